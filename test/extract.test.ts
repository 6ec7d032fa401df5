import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntitySpan } from '../src/core/entity-span.js';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { docFromCells, docFromLines } from './extract-fixtures.js';

const options = { config: { extract: { reviewThreshold: 0.6 } }, model: { name: 'test', version: '0' } };
const codes = (r: { warnings: Array<{ code: string }> }) => r.warnings.map((w) => w.code);

describe('extractInvoice: English invoice, rule-only', () => {
  const doc = docFromCells([
    [[40, 'Northwind Traders Ltd'], [380, 'INVOICE']],
    [[40, '12 Harbour Road'], [380, 'Invoice No: INV-2024-0117']],
    [[40, 'Springfield, IL 62704, USA'], [380, 'Invoice Date: 03/05/2024']],
    [[40, 'Tax ID: 12-3456789']],
    [],
    [[40, 'Bill To:']],
    [[40, 'Contoso Corporation']],
    [[40, '500 Main Street']],
    [[40, 'Portland, OR 97201']],
    [],
    [[40, 'Description'], [250, 'Qty'], [320, 'Unit Price'], [440, 'Amount']],
    [[40, 'Widget, large'], [250, '10'], [320, '$12.50'], [440, '$125.00']],
    [[40, 'Consulting hours'], [250, '2'], [320, '$150.00'], [440, '$300.00']],
    [],
    [[320, 'Subtotal'], [440, '$425.00']],
    [[320, 'Sales Tax 8%'], [440, '$34.00']],
    [[320, 'Total Due'], [440, '$459.00']],
    [],
    [[40, 'Payment terms: Net 30']],
  ]);
  const r = extractInvoice(doc, [], options);

  it('produces a valid record', () => assert.doesNotThrow(() => InvoiceRecordSchema.parse(r)));
  it('tells vendor from customer', () => {
    assert.equal(r.vendor.name, 'Northwind Traders Ltd');
    assert.equal(r.customer.name, 'Contoso Corporation');
  });
  it('reads the labelled invoice number and a US date', () => {
    assert.equal(r.invoiceNumber, 'INV-2024-0117');
    assert.equal(r.invoiceDate, '2024-03-05');
  });
  it('derives the due date from "Net 30"', () => {
    assert.equal(r.dueDate, '2024-04-04');
    assert.equal(r.fields.dueDate?.method, 'derived');
  });
  it('reads totals that add up, and resolves "$" by the country', () => {
    assert.deepEqual([r.subtotal, r.tax, r.total], ['425.00', '34.00', '459.00']);
    assert.equal(r.currency, 'USD');
    assert.ok(!codes(r).includes('TOTALS_MISMATCH'));
  });
  it('reads line items checked arithmetically', () => {
    assert.deepEqual(r.lineItems, [
      { description: 'Widget, large', quantity: '10.00', unitPrice: '12.50', amount: '125.00', unit: null, taxRate: null, productCode: null },
      { description: 'Consulting hours', quantity: '2.00', unitPrice: '150.00', amount: '300.00', unit: null, taxRate: null, productCode: null },
    ]);
  });
  it('gives provenance and confidence per field', () => {
    const total = r.fields.total!;
    assert.equal(total.provenance?.page, 1);
    assert.match(total.provenance!.text, /459\.00/);
    assert.ok(total.provenance!.bbox![0] >= 440);
    assert.ok(total.confidence > 0.6 && !total.review);
  });
});

describe('extractInvoice: German invoice', () => {
  const doc = docFromCells([
    [[40, 'Musterbau GmbH · Industriestraße 5 · 80333 München']],
    [[40, 'Rechnungsempfänger'], [360, 'Rechnungsnummer']],
    [[40, 'Kunden AG'], [360, 'RE-4711']],
    [[40, 'Kundenweg 1'], [360, 'Rechnungsdatum']],
    [[40, '60311 Frankfurt'], [360, '05.03.2024']],
    [],
    [[40, 'Pos'], [80, 'Bezeichnung'], [300, 'Menge'], [360, 'Preis'], [460, 'Betrag']],
    [[40, '1'], [80, 'Trennblätter A4'], [300, '20'], [360, '9,90'], [460, '198,00']],
    [[40, '2'], [80, 'Ordner'], [300, '4'], [360, '12,50'], [460, '50,00']],
    [],
    [[300, 'Summe netto'], [460, '248,00 €']],
    [[300, 'zzgl. 19% USt.'], [460, '47,12 €']],
    [[300, 'Rechnungsbetrag'], [460, '295,12 €']],
    [],
    [[40, 'Zahlbar innerhalb 14 Tagen ohne Abzug.']],
    [[40, 'USt-IdNr.: DE123456789   IBAN DE08 7009 0100 1234 5678 90']],
  ]);
  const r = extractInvoice(doc, [], options);
  it('reads parties from the sender line and the recipient block', () => {
    assert.equal(r.vendor.name, 'Musterbau GmbH');
    assert.equal(r.vendor.address, 'Industriestraße 5 80333 München');
    assert.equal(r.customer.name, 'Kunden AG');
    assert.equal(r.vendor.taxId, 'DE123456789');
  });
  it('reads labels stacked above values', () => {
    assert.equal(r.invoiceNumber, 'RE-4711');
    assert.equal(r.invoiceDate, '2024-03-05');
  });
  it('derives the due date from "zahlbar innerhalb 14 Tagen"', () => {
    assert.equal(r.dueDate, '2024-03-19');
    assert.equal(r.fields.dueDate?.method, 'derived');
  });
  it('reads comma-decimal totals in euro', () => {
    assert.deepEqual([r.subtotal, r.tax, r.total, r.currency], ['248.00', '47.12', '295.12', 'EUR']);
    assert.equal(r.lineItems.length, 2);
    assert.deepEqual(r.lineItems[0], { description: 'Trennblätter A4', quantity: '20.00', unitPrice: '9.90', amount: '198.00', unit: null, taxRate: null, productCode: null });
  });
});

describe('extractInvoice: French and Spanish labels', () => {
  it('reads a French invoice', () => {
    const r = extractInvoice(docFromLines([
      'Atelier Dupont SARL', '3 rue de la Paix, 75002 Paris', 'N° de facture : F-2024-031', 'Date de facture : 5 mars 2024',
      "Date d'échéance : 4 avril 2024", 'Client : Boulangerie Martin', '', 'Total HT 1 000,00 €', 'TVA 20 % 200,00 €', 'Total TTC 1 200,00 €',
    ]), [], options);
    assert.equal(r.vendor.name, 'Atelier Dupont SARL');
    assert.equal(r.customer.name, 'Boulangerie Martin');
    assert.equal(r.invoiceNumber, 'F-2024-031');
    assert.equal(r.invoiceDate, '2024-03-05');
    assert.equal(r.dueDate, '2024-04-04');
    assert.deepEqual([r.subtotal, r.tax, r.total, r.currency], ['1000.00', '200.00', '1200.00', 'EUR']);
  });
  it('reads a Spanish invoice', () => {
    const r = extractInvoice(docFromLines([
      'Distribuciones Ruiz S.L.', 'Factura nº 2024/118', 'Fecha: 5 de marzo de 2024', 'Vencimiento: 4 de abril de 2024',
      'Base imponible 500,00 EUR', 'IVA 21% 105,00 EUR', 'Total factura 605,00 EUR',
    ]), [], options);
    assert.equal(r.invoiceNumber, '2024/118');
    assert.deepEqual([r.invoiceDate, r.dueDate], ['2024-03-05', '2024-04-04']);
    assert.deepEqual([r.subtotal, r.tax, r.total], ['500.00', '105.00', '605.00']);
  });
});

describe('extractInvoice: credit notes, window letters and more label wording', () => {
  it('reads a credit note\'s own number before the corrected invoice\'s, and "À régler avant le"', () => {
    const r = extractInvoice(docFromLines([
      'Atelier Dupont SARL', '3 rue de la Paix, 75002 Paris', 'AVOIR', "N° D'AVOIR: AV-2024-017", 'DATE: 05/03/2024',
      'RÉF. FACTURE: FA-2024-031', 'DATE: 12/02/2024', 'À RÉGLER AVANT LE: 04/04/2024', 'SOUS-TOTAL: -100,00 €', 'TVA 20 % -20,00 €', 'TOTAL TTC: -120,00 €',
    ]), [], options);
    assert.equal(r.invoiceNumber, 'AV-2024-017');
    assert.deepEqual([r.invoiceDate, r.dueDate], ['2024-03-05', '2024-04-04']);
  });
  it('falls back to "Réf. facture" when it is the only number label', () => {
    const r = extractInvoice(docFromLines(['Atelier Dupont SARL', 'Réf. facture : F-88123', 'Date : 05/03/2024', 'Total TTC 120,00 €']), [], options);
    assert.equal(r.invoiceNumber, 'F-88123');
  });
  it('reads Italian, Spanish and Dutch credit-note numbers', () => {
    const it1 = extractInvoice(docFromLines(['Rossi S.r.l.', 'Nota di credito n. NC-2024-9', 'Fattura di riferimento FT-100', 'Totale -50,00 €']), [], options);
    assert.equal(it1.invoiceNumber, 'NC-2024-9');
    const es = extractInvoice(docFromLines(['Distribuciones Ruiz S.L.', 'Nº Rectificativa: R-2024-12', 'Factura original: F-2024-99', 'Total -50,00 EUR']), [], options);
    assert.equal(es.invoiceNumber, 'R-2024-12');
    const nl = extractInvoice(docFromLines(['Jansen B.V.', 'Creditnotanummer CN20241', 'Totaal -50,00 €']), [], options);
    assert.equal(nl.invoiceNumber, 'CN20241');
  });
  it('reads "Re.-Nr.", "Summe Positionen" and the recipient under a sender line after the salutation "Herrn"', () => {
    const r = extractInvoice(docFromCells([
      [[40, 'Musterbau AG'], [360, 'Tel. 089 123456']],
      [[40, 'Industriestraße 5 | 80333 München']],
      [],
      [[40, 'Musterbau AG | Industriestraße 5, 80333 München'], [360, 'RE.-NR.: U05-97133']],
      [[40, 'Herrn'], [360, 'RECHNUNGSDATUM: 05.03.2024']],
      [[40, 'Arda Kirch'], [360, 'ZAHLBAR BIS: 04.04.2024']],
      [[40, 'Fliederweg 74a']],
      [[40, '84448 Estherdorf']],
      [],
      [[300, 'SUMME POSITIONEN:'], [460, '100,00 €']],
      [[300, 'MwSt. 19 %'], [460, '19,00 €']],
      [[300, 'GESAMT BRUTTO:'], [460, '119,00 €']],
    ]), [], options);
    assert.equal(r.vendor.name, 'Musterbau AG');
    assert.equal(r.customer.name, 'Arda Kirch');
    assert.equal(r.invoiceNumber, 'U05-97133');
    assert.deepEqual([r.invoiceDate, r.dueDate], ['2024-03-05', '2024-04-04']);
    assert.deepEqual([r.subtotal, r.tax, r.total], ['100.00', '19.00', '119.00']);
  });
  it('reads Dutch "Factuuradres" blocks and "Uiterste betaaldatum"', () => {
    const r = extractInvoice(docFromCells([
      [[40, 'Jansen B.V.']],
      [[40, 'Factuuradres'], [360, 'Factuurnummer: F2024-77']],
      [[40, 'Bakkerij de Vries'], [360, 'Factuurdatum: 05-03-2024']],
      [[40, 'Dorpsstraat 12'], [360, 'Uiterste betaaldatum: 04-04-2024']],
      [],
      [[300, 'Subtotaal'], [460, '€ 100,00']], [[300, 'BTW 21%'], [460, '€ 21,00']], [[300, 'Totaal'], [460, '€ 121,00']],
    ]), [], options);
    assert.equal(r.customer.name, 'Bakkerij de Vries');
    assert.equal(r.invoiceNumber, 'F2024-77');
    assert.deepEqual([r.invoiceDate, r.dueDate], ['2024-03-05', '2024-04-04']);
  });
  it('never reads "INVOICE TOTAL" as an "Invoice to" heading', () => {
    const r = extractInvoice(docFromCells([
      [[40, 'Syarikat Maju Trading']], [[40, 'BILL NO: INV-2023-1']], [[40, 'SUB-TOTAL'], [300, 'MYR 10.00']],
      [[40, 'SST 6%'], [300, 'MYR 0.60']], [[40, 'INVOICE TOTAL'], [300, 'MYR 10.60']],
    ]), [], options);
    assert.equal(r.customer.name, null);
    assert.equal(r.total, '10.60');
  });
});

describe('extractInvoice: arithmetic and warnings', () => {
  it('prefers the total that subtotal + tax explains', () => {
    const r = extractInvoice(docFromLines([
      'Acme Supplies Inc.', 'Invoice # 991', 'Subtotal 100.00', 'VAT 20.00', 'Total 120.00', 'Total paid 150.00',
    ]), [], options);
    assert.deepEqual([r.subtotal, r.tax, r.total], ['100.00', '20.00', '120.00']);
  });
  it('warns when the printed totals do not add up', () => {
    const r = extractInvoice(docFromLines(['Acme Supplies Inc.', 'Invoice # 992', 'Subtotal 100.00', 'Tax 20.00', 'Total 125.00']), [], options);
    assert.equal(r.total, '125.00');
    assert.ok(codes(r).includes('TOTALS_MISMATCH'));
  });
  it('reads a credit note printed with minus signs as positive amounts, typed credit_note (record v2 convention)', () => {
    const r = extractInvoice(docFromLines(['Acme Supplies Inc.', 'Credit note No. CN-7', 'Net amount -7,67', 'VAT -1,12', 'Total amount -8,79']), [], options);
    assert.deepEqual([r.documentType, r.subtotal, r.tax, r.total], ['credit_note', '7.67', '1.12', '8.79']);
  });
  it('leaves absent fields null', () => {
    const r = extractInvoice(docFromLines(['Hello world', 'nothing to see here']), [], options);
    assert.equal(r.invoiceNumber, null);
    assert.equal(r.invoiceDate, null);
    assert.equal(r.total, null);
    assert.equal(r.currency, null);
    assert.deepEqual(r.lineItems, []);
    assert.equal(r.fields.total, undefined);
  });
});

describe('extractInvoice: receipts', () => {
  it('reads a Malaysian receipt and ignores cash and change', () => {
    const r = extractInvoice(docFromCells([
      [[150, 'TAN WOON YANN']],
      [[100, 'BOOK TA .K (TAMAN DAYA) SDN BHD']],
      [[200, '789417-W']],
      [[120, 'NO.53 55,57 & 59, JALAN SAGU 18,']],
      [[190, 'TAMAN DAYA,']],
      [[170, '81100 JOHOR BAHRU,']],
      [[210, 'JOHOR.']],
      [[50, 'DOCUMENT NO : TD01167104']],
      [[50, 'DATE:'], [165, '25/12/2018 8:13:39 PM']],
      [[30, 'KF MODELLING CLAY KIDDY FISH'], [411, '9.00']],
      [[245, 'TOTAL:'], [411, '9.00']],
      [[245, 'CASH'], [411, '10.00']],
      [[245, 'CHANGE'], [411, '1.00']],
    ], { width: 463, height: 700 }), [], options);
    assert.equal(r.vendor.name, 'BOOK TA .K (TAMAN DAYA) SDN BHD');
    assert.equal(r.vendor.address, 'NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR.');
    assert.equal(r.invoiceDate, '2018-12-25');
    assert.equal(r.total, '9.00');
    assert.equal(r.currency, 'MYR');
  });
});

describe('extractInvoice: receipt totals', () => {
  const receipt = (lines: string[]) => extractInvoice(docFromLines(['KEDAI RUNCIT MAJU SDN BHD', 'NO 3, JALAN PERMAS 10/8, 81750 MASAI, JOHOR', ...lines]), [], options);
  it('applies cash rounding printed after the total', () => {
    assert.equal(receipt(['Total Amount: RM7.72', 'Rounding: -RM0.02', 'Nett Total: RM7.70', 'CASH RM7.70']).total, '7.70');
    assert.equal(receipt(['SUB TOTAL 7.00', 'GST 6% 0.42', 'ROUNDING ADJ -0.02', 'NET TOTAL 7.40']).total, '7.40');
  });
  it('reads "TOTAL INCLUDES 6% GST" as the tax inside the total', () => {
    const r = receipt(['TakeOut Total (incl GST) 18.90', 'Cash Tendered 50.00', 'Change 31.10', 'TOTAL INCLUDES 6% GST 1.07']);
    assert.deepEqual([r.total, r.tax], ['18.90', '1.07']);
  });
  it('reads "Total (Excluding GST)" as the subtotal', () => {
    const r = receipt(['Total (Excluding GST): 15.00', 'Total GST (0%): 0.00', 'Total (Inclusive of GST): 15.00']);
    assert.deepEqual([r.subtotal, r.tax, r.total], ['15.00', '0.00', '15.00']);
  });
  it('derives the total from cash tendered minus change when no total is readable', () => {
    const r = receipt(['2x LED FITTING 56.00', 'Received 150.00', 'Change 14.00']);
    assert.equal(r.total, '136.00');
    assert.equal(r.fields.total?.method, 'derived');
  });
  it('never reads clock times or percentages as amounts', () => {
    const r = receipt(['Mo.-Fr. 08.30 - 12.30 Uhr', 'GST 6% 0.60', 'TOTAL 10.60']);
    assert.deepEqual([r.tax, r.total], ['0.60', '10.60']);
  });
});

describe('extractInvoice: entity spans', () => {
  const doc = docFromLines(['Globex', 'Ref 7781-A', 'Date: 2024-01-15', 'Total 99.00 EUR']);
  const span = (label: string, text: string, score: number): EntitySpan => {
    const start = doc.text.indexOf(text);
    return { label, text, start, end: start + text.length, score, page: 1, bbox: null };
  };
  it('takes a value only the model found, marked as model output', () => {
    const r = extractInvoice(doc, [span('INVOICE_NO', '7781-A', 0.9)], options);
    assert.equal(r.invoiceNumber, '7781-A');
    assert.equal(r.fields.invoiceNumber?.method, 'model');
    assert.ok(r.fields.invoiceNumber!.confidence < 0.8);
  });
  it('raises confidence where the model agrees with the rules', () => {
    const without = extractInvoice(doc, [], options);
    const withSpans = extractInvoice(doc, [span('MONEY', '99.00', 0.95), span('ORG', 'Globex', 0.9)], options);
    assert.equal(withSpans.total, '99.00');
    assert.ok(withSpans.fields.total!.confidence > without.fields.total!.confidence);
    assert.equal(withSpans.vendor.name, 'Globex');
    assert.ok((withSpans.fields['vendor.name']?.confidence ?? 0) > (without.fields['vendor.name']?.confidence ?? 0));
  });
});

describe('extract helpers', async () => {
  const { foldOcr } = await import('../src/extract/amounts.js');
  const { cleanName, repairLegalForm } = await import('../src/extract/parties.js');
  it('folds OCR slips in labels', () => {
    assert.equal(foldOcr('Grand TotaI'), 'Grand Total');
    assert.equal(foldOcr('[otal Gross'), 'Total Gross');
    assert.equal(foldOcr('T0TAL'), 'TOTAL');
    assert.equal(foldOcr('Subtotal'), 'Subtotal');
  });
  it('drops registration numbers after a name, keeps ids alone', () => {
    assert.equal(cleanName('99 SPEED MART S/B (519537-X)'), '99 SPEED MART S/B');
    assert.equal(cleanName("KING'S CONFECTIONERY S/B 273500-U (GKJ)"), "KING'S CONFECTIONERY S/B");
    assert.equal(cleanName('Dion Realties Sdn Bhd (Co. No:20154-T)'), 'Dion Realties Sdn Bhd');
    assert.equal(cleanName('GARDENIA BAKERIES (KL) SDN BHD (139386 X)'), 'GARDENIA BAKERIES (KL) SDN BHD');
    assert.equal(cleanName('GLN 4333741000005'), 'GLN 4333741000005');
  });
  it('repairs digit-for-letter slips in legal forms only', () => {
    assert.equal(repairLegalForm('99 SPEED MART 5/B'), '99 SPEED MART S/B');
    assert.equal(repairLegalForm('ABC 5DN 8HD'), 'ABC SDN BHD');
    assert.equal(repairLegalForm('ROUTE 58 CAFE'), 'ROUTE 58 CAFE');
  });
});
