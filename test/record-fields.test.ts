import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as roles from '../src/extract/record/field-lexicon.js';
import type { Role } from '../src/extract/record/field-lexicon.js';
import { LANGUAGES, LEXICONS, phraseTokens } from '../src/lexicon/index.js';
import { docFromCells, docFromLines } from './extract-fixtures.js';
import { completeOn as complete } from './record-fixtures.js';

test('every role phrase is a lexicon phrase of its concept', () => {
  for (const [name, role] of Object.entries(roles)) {
    if (!role || typeof role !== 'object' || !('concept' in role)) continue;
    const r = role as Role;
    const have = new Set(LANGUAGES.flatMap((l) => (LEXICONS[l].labels[r.concept] ?? []).map((p) => phraseTokens(p).join(' '))));
    for (const p of r.phrases) assert.ok(have.has(phraseTokens(p).join(' ')), `${name}: "${p}" is not a ${r.concept} phrase`);
  }
});

test('IBAN: printed in groups, checksum-valid, with provenance; a broken checksum is never an IBAN', () => {
  const r = complete(docFromLines(['Bank details', 'IBAN: DE89 3704 0044 0532 0130 00   BIC: COBADEFFXXX', 'Account holder: Nordlicht GmbH']));
  assert.equal(r.payment.iban, 'DE89370400440532013000');
  assert.equal(r.payment.bic, 'COBADEFFXXX');
  assert.equal(r.payment.accountHolder, 'Nordlicht GmbH');
  assert.equal(r.fields['payment.iban']?.provenance?.text, 'DE89 3704 0044 0532 0130 00');
  const broken = complete(docFromLines(['IBAN: DE89 3704 0044 0532 0130 01', 'BIC: ABCDXX12']));
  assert.equal(broken.payment.iban, null);
  assert.equal(broken.payment.bic, null);
});

test('IBAN: the payer\'s account of a direct debit is not the payee\'s', () => {
  const r = complete(docFromLines(['Der Betrag wird per SEPA-Lastschrift', 'von Ihrem Konto IBAN DE89 3704 0044 0532 0130 00 eingezogen.']));
  assert.equal(r.payment.iban, null);
  const payee = complete(docFromLines(['Der Betrag wird von Ihrem Konto DE89 3704 0044 0532 0130 00 abgebucht', 'Unsere Bankverbindung: IBAN GB82 WEST 1234 5698 7654 32']));
  assert.equal(payee.payment.iban, 'GB82WEST12345698765432');
});

test('payment reference and purchase order: the value after the label, beside or below it; never the invoice number', () => {
  const r = complete(docFromCells([
    [[40, 'Bestellnummer:'], [200, 'PO-2024-118']],
    [[40, 'Verwendungszweck: RE 2024/0815']],
  ]), { invoiceNumber: 'RE 2024/0815' });
  assert.equal(r.purchaseOrder, 'PO-2024-118');
  assert.equal(r.payment.reference, 'RE 2024/0815');
  const below = complete(docFromCells([[[300, 'PO number']], [[300, '4500012345']]]));
  assert.equal(below.purchaseOrder, '4500012345');
  const same = complete(docFromLines(['Order no. 2024-77']), { invoiceNumber: '2024-77' });
  assert.equal(same.purchaseOrder, null);
  const dated = complete(docFromLines(['Ihre Bestellung vom 01.03.2024']));
  assert.equal(dated.purchaseOrder, null);
});

test('customer tax id: under the buyer heading or addressed to the reader, never the seller\'s', () => {
  const r = complete(docFromCells([
    [[40, 'Seller:'], [320, 'Bill to:']],
    [[40, 'Nordlicht GmbH'], [320, 'Kanzlei Weber']],
    [[40, 'VAT no.: DE136695976'], [320, 'VAT no.: FR32123456789']],
  ]), { vendor: { name: 'Nordlicht GmbH', address: null, taxId: 'DE136695976' } });
  assert.equal(r.customer.taxId, 'FR32123456789');
  const addressed = complete(docFromLines(['Ihre USt-IdNr.: ATU13585627', 'USt-IdNr.: DE136695976']));
  assert.equal(addressed.customer.taxId, 'ATU13585627');
  const sellerOnly = complete(docFromLines(['Nordlicht GmbH', 'USt-IdNr.: DE136695976']));
  assert.equal(sellerOnly.customer.taxId, null);
  const invalid = complete(docFromLines(['Your VAT number: DE123456789']));
  assert.equal(invalid.customer.taxId, 'DE123456789');
  assert.ok(invalid.warnings.some((w) => w.code === 'INVALID_TAX_ID'));
  assert.equal(invalid.fields['customer.taxId']?.review, true);
});

test('customer tax id: "n°" labels, ids in digit groups or as a Swiss UID, a one-letter NIF prefix, a label longer than the name', () => {
  const seller = { vendor: { name: 'Lambert S.A.', address: null, taxId: 'FR 08 676 819 471' } };
  // the lexicon matches "TVA n°" without its ring: the value still follows
  const numero = complete(docFromCells([
    [[40, 'Vendu par:'], [320, 'Adresse de facturation:']],
    [[40, 'Lambert S.A.'], [320, 'Meyer Informatique EURL']],
    [[40, 'TVA n°: FR 08 676 819 471'], [320, 'TVA n°: FR 21 861 383 380']],
  ]), seller);
  assert.equal(numero.customer.taxId, 'FR 21 861 383 380');
  // no heading and a label the lexicon lacks: a grouped id whose check digits hold, in the block under the buyer's name
  const buyer = (name: string) => ({ customer: { name, address: null, taxId: null } });
  const grouped = complete(docFromLines(['Pingpank Logistik GmbH', 'Auf dem Bruch 664', '12345 Alt Jonadorf', 'UStID DE 368 344 840']), buyer('Pingpank Logistik GmbH'));
  assert.equal(grouped.customer.taxId, 'DE 368 344 840');
  const swiss = complete(docFromLines(['Elektron Druck Sàrl', 'Sihlfeldstrasse 601', '3146 Cham', 'MWST: CHE-396.846.583 MWST']), buyer('Elektron Druck Sàrl'));
  assert.equal(swiss.customer.taxId, 'CHE-396.846.583 MWST');
  // the id's cell starts under the name though the value itself lies right of the name's end
  const long = complete(docFromLines(['Migliore Srl', 'Strada Romola, 590', 'PART. IVA N.IT74634830496']), buyer('Migliore Srl'));
  assert.equal(long.customer.taxId, 'IT74634830496');
  const nif = complete(docFromCells([[[40, 'Comprador:']], [[40, 'Posada Ruelas SA']], [[40, 'NIF: B-60779212']]]));
  assert.equal(nif.customer.taxId, 'B-60779212');
  // a grouped token that fails its check digits is not an unlabelled id
  assert.equal(complete(docFromLines(['Pingpank Logistik GmbH', 'UStID DE 368 344 841']), buyer('Pingpank Logistik GmbH')).customer.taxId, null);
});

test('seller tax id: one whose check digits fail is kept as stated, warned and flagged for review; a valid one is not', () => {
  const seller = (taxId: string) => complete(docFromLines(['Nordlicht GmbH', `USt-IdNr.: ${taxId}`]), {
    vendor: { name: 'Nordlicht GmbH', address: null, taxId },
    fields: { 'vendor.taxId': { confidence: 0.97, review: false, method: 'rule', provenance: null } },
  });
  const bad = seller('DE123456789');
  assert.equal(bad.vendor.taxId, 'DE123456789');
  assert.deepEqual(bad.warnings.map((w) => w.code), ['INVALID_TAX_ID']);
  assert.match(bad.warnings[0]!.message, /seller tax id DE123456789/);
  assert.equal(bad.fields['vendor.taxId']?.review, true);
  const good = seller('DE136695976');
  assert.deepEqual(good.warnings, []);
  assert.equal(good.fields['vendor.taxId']?.review, false);
  // GSTINs have a check character too; a scheme without one (a US EIN) is not judged
  assert.ok(seller('27AAPFU0939F1ZA').warnings.some((w) => w.code === 'INVALID_TAX_ID' && /GSTIN/.test(w.message)));
  assert.deepEqual(seller('12-3456789').warnings, []);
  // "No." of a label read into the value is no Norwegian prefix: an SST number has no check digits to fail
  assert.deepEqual(seller('No. W10-8140-33943493').warnings, []);
  assert.ok(seller('NO 123456789 MVA').warnings.some((w) => w.code === 'INVALID_TAX_ID'));
});

test('tax breakdown: rows whose base x rate = tax and whose sums the totals confirm', () => {
  const doc = docFromCells([
    [[40, 'Widget A'], [300, '2'], [360, '10,00'], [450, '20,00']],
    [[40, 'Nettobetrag'], [450, '295,00']],
    [[40, 'USt 19% von 195,00'], [450, '37,05']],
    [[40, 'USt 7%'], [300, '100,00'], [450, '7,00']],
    [[40, 'Gesamtbetrag'], [450, '339,05']],
  ]);
  const r = complete(doc, { subtotal: '295.00', tax: '44.05', total: '339.05' });
  assert.deepEqual(r.taxBreakdown, [
    { rate: '19', base: '195.00', amount: '37.05', category: 'S' },
    { rate: '7', base: '100.00', amount: '7.00', category: 'S' },
  ]);
  assert.ok(!r.warnings.some((w) => w.code === 'TAX_BREAKDOWN_MISMATCH'));
  // a tax total the rows do not reach refutes them (record-tax-breakdown.test.ts has the rules)
  assert.deepEqual(complete(doc, { subtotal: '295.00', tax: '50.00', total: '345.00' }).taxBreakdown, []);
  const single = complete(docFromCells([[[40, 'Subtotal'], [450, '200.00']], [[40, 'VAT 20%'], [450, '40.00']]]), { subtotal: '200.00', tax: '40.00' });
  assert.deepEqual(single.taxBreakdown, [{ rate: '20', base: '200.00', amount: '40.00', category: 'S' }]);
});

test('document amounts: discount, shipping, prepaid and amount due from the totals block, not from item rows', () => {
  const doc = docFromCells([
    [[40, 'Widget'], [300, '1'], [360, '100,00'], [450, '100,00']],
    [[40, 'Rabatt 10%'], [450, '-10,00']],
    [[40, 'Zwischensumme'], [450, '90,00']],
    [[40, 'abzgl. Nachlass'], [450, '-5,00']],
    [[40, 'zzgl. Versandkosten'], [450, '4,90']],
    [[40, 'Nettobetrag'], [450, '89,90']],
    [[40, 'Gesamtbetrag'], [450, '106,98']],
    [[40, 'Bereits bezahlt'], [450, '50,00']],
    [[40, 'Offener Betrag'], [450, '56,98']],
  ]);
  const r = complete(doc, { subtotal: '89.90', tax: '17.08', total: '106.98' });
  assert.equal(r.discount, '5.00');
  assert.equal(r.shipping, '4.90');
  assert.equal(r.prepaid, '50.00');
  assert.equal(r.amountDue, '56.98');
  assert.equal(r.fields['amountDue']?.method, 'rule');
  assert.ok(!r.warnings.some((w) => w.code === 'AMOUNT_DUE_MISMATCH'));
  const derived = complete(docFromCells([[[40, 'Total'], [450, '120.00']]]), { total: '120.00' });
  assert.equal(derived.amountDue, '120.00');
  assert.equal(derived.fields['amountDue']?.method, 'derived');
});

test('payment terms: the sentence, its net days and discount; a leading label is not part of the text', () => {
  const r = complete(docFromLines(['Zahlungsbedingungen: Zahlbar innerhalb 30 Tagen netto, 2% Skonto innerhalb 10 Tagen']));
  assert.equal(r.paymentTerms.text, 'Zahlbar innerhalb 30 Tagen netto, 2% Skonto innerhalb 10 Tagen');
  assert.equal(r.paymentTerms.netDays, 30);
  assert.deepEqual(r.paymentTerms.discounts, [{ percent: '2', days: 10, amount: null }]);
  assert.ok(r.fields['paymentTerms.text']?.provenance);
});

test('document type: a qualified invoice title, an abbreviated title and a glued number label name a credit note', () => {
  const type = (lines: Array<Array<[number, string]>>) => complete(docFromCells(lines)).documentType;
  const body: Array<Array<[number, string]>> = [[[40, 'Widget']], [[40, 'Total'], [400, '10,00']]];
  assert.equal(type([[[400, 'Invoice Credit']], [[40, 'Number'], [300, 'A-1']], ...body]), 'credit_note');
  assert.equal(type([[[400, 'Credit Invoice']], ...body]), 'credit_note');
  assert.equal(type([[[400, 'Creditfact.']], [[40, 'Datum'], [300, '01-02-2024']], ...body]), 'credit_note');
  assert.equal(type([[[400, 'Factuur']], [[40, 'Creditnr.:'], [300, '3334578']], ...body]), 'credit_note');
  // not credit notes: an invoice title with other words, a long sentence, a number label of another word
  assert.equal(type([[[400, 'Invoice']], [[40, 'Credit terms: 30 days net']], ...body]), 'invoice');
  assert.equal(type([[[400, 'Verkoopfact.']], [[40, 'Documentnummer'], [300, 'F-2025-1']], ...body]), 'invoice');
  assert.equal(type([[[400, 'Invoice']], [[40, 'Credit card payment accepted here']], ...body]), 'invoice');
});

test('document type: a title of several words with words cut short ("Nota cred.", "Cred. note"); joining words may be left out', () => {
  const type = (title: string) => complete(docFromCells([[[400, title]], [[40, 'Widget']], [[40, 'Total'], [400, '10,00']]])).documentType;
  assert.equal(type('Nota cred.'), 'credit_note');
  assert.equal(type('Cred. note'), 'credit_note');
  assert.equal(type('Note de déb.'), 'debit_note');
  assert.equal(type('Fatt. proforma'), 'proforma');
  // a cut word that starts titles of two types, a cut too short, words of no title: not evidence
  assert.equal(type('Nota de cr.'), 'invoice');
  assert.equal(type('Cred. card'), 'invoice');
});

test('document type: a compound ending in a title word names its document; a short receipt on an 80 mm roll is a receipt', () => {
  const body: Array<Array<[number, string]>> = [[[20, 'Widget'], [150, '10,00']], [[20, 'Summe'], [150, '10,00']]];
  assert.equal(complete(docFromCells([[[300, 'Rechnungsgutschrift NC-2026-1']], ...body])).documentType, 'credit_note');
  assert.equal(complete(docFromCells([[[300, 'Sammelrechnung 2026-1']], ...body])).documentType, 'invoice');
  // 227 pt wide and barely taller than wide: still a till roll; the same lines on A4 are an invoice
  assert.equal(complete(docFromCells([[[20, 'Bon 4711']], ...body], { width: 227, height: 240 })).documentType, 'receipt');
  assert.equal(complete(docFromCells([[[20, 'Bon 4711']], ...body])).documentType, 'invoice');
});
