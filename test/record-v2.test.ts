import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRecord, InvoiceRecordSchema, RECORD_FIELDS, CORE_FIELDS, getField } from '../src/core/invoice-record.js';
import { applySignConvention, arithmeticWarnings } from '../src/core/record-checks.js';
import { checkTaxId, validBic, validIban } from '../src/core/record-ids.js';
import { documentTypeOfCode, sameUnit, unitCodeOf } from '../src/einvoice/code-lists.js';
import { normalisePercent, parsePaymentTerms } from '../src/extract/record/payment-terms.js';
import { fullRecord } from './record-fixtures.js';

const SOURCE = { file: 'x.pdf', sha256: 'd'.repeat(64), mediaType: 'application/pdf' as const, bytes: 1, pages: 1 };

test('record v2: CORE_FIELDS unchanged and first; a stored version-1 record parses into v2 with empty new fields', () => {
  assert.deepEqual(CORE_FIELDS, ['vendor.name', 'vendor.address', 'vendor.taxId', 'customer.name', 'customer.address',
    'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total']);
  assert.deepEqual(RECORD_FIELDS.slice(0, CORE_FIELDS.length), [...CORE_FIELDS]);
  const v1 = {
    vendor: { name: 'A', address: null, taxId: null }, customer: { name: null, address: null },
    invoiceNumber: '1', invoiceDate: '2024-01-01', dueDate: null, currency: 'EUR', subtotal: '1.00', tax: '0.19', total: '1.19',
    lineItems: [{ description: 'x', quantity: '1', unitPrice: '1.00', amount: '1.00' }], fields: {}, warnings: [], source: SOURCE,
    model: { name: 'm', version: '1' },
  };
  const r = InvoiceRecordSchema.parse(v1);
  assert.equal(r.schemaVersion, 2);
  assert.equal(r.documentType, null);
  assert.equal(r.customer.taxId, null);
  assert.deepEqual(r.paymentTerms, { text: null, netDays: null, discounts: [] });
  assert.deepEqual(r.lineItems[0], { description: 'x', quantity: '1', unit: null, unitPrice: '1.00', amount: '1.00', taxRate: null, productCode: null });
  assert.deepEqual(r.taxBreakdown, []);
  assert.doesNotThrow(() => InvoiceRecordSchema.parse(emptyRecord(SOURCE, { name: 'm', version: '1' })));
  assert.throws(() => InvoiceRecordSchema.parse({ ...r, documentType: 'bill' }));
  assert.throws(() => InvoiceRecordSchema.parse({ ...r, taxBreakdown: [{ rate: '19.0', base: null, amount: null, category: null }] }), 'percent without trailing zeros');
  assert.equal(getField(fullRecord(), 'paymentTerms.netDays'), '30');
  assert.equal(getField(fullRecord(), 'payment.iban'), 'DE89370400440532013000');
});

test('arithmetic: a consistent record passes; each broken relation is named with its fields', () => {
  assert.deepEqual(arithmeticWarnings(fullRecord()), []);
  const codes = (over: Parameters<typeof fullRecord>[0]) => arithmeticWarnings(fullRecord(over)).map((w) => `${w.code}:${w.fields.join('+')}`);
  assert.deepEqual(codes({ shipping: '6.00' }), ['LINE_ITEMS_MISMATCH:lineItems+subtotal+discount+shipping']);
  assert.deepEqual(codes({ total: '340.00', amountDue: '300.95' }), ['TOTALS_MISMATCH:subtotal+tax+total']);
  assert.deepEqual(codes({ taxBreakdown: [{ rate: '19', base: '195.00', amount: '37.05', category: 'S' }] }), [
    'TAX_BREAKDOWN_MISMATCH:taxBreakdown+tax', 'TAX_BREAKDOWN_MISMATCH:taxBreakdown+subtotal']);
  assert.deepEqual(codes({ prepaid: null }), ['AMOUNT_DUE_MISMATCH:total+amountDue']);
  // a tolerance for printed documents
  assert.deepEqual(arithmeticWarnings(fullRecord({ total: '339.06', amountDue: '300.01' }), { tolerance: '0.02' }), []);
  // gross-priced line amounts add up to the total: no mismatch
  const gross = fullRecord({ discount: null, shipping: null, lineItems: [{ ...fullRecord().lineItems[0]!, amount: '339.05' }], taxBreakdown: [] });
  assert.deepEqual(arithmeticWarnings(gross), []);
});

test('sign convention: a credit note printed with minus signs reads positive; invoices keep their signs', () => {
  const printed = fullRecord({
    documentType: 'credit_note', subtotal: '-295.00', tax: '-44.05', total: '-339.05', discount: '-10.00', shipping: '-5.00', prepaid: null, amountDue: '-339.05',
    taxBreakdown: [{ rate: '19', base: '-195.00', amount: '-37.05', category: 'S' }, { rate: '7', base: '-100.00', amount: '-7.00', category: 'S' }],
    lineItems: [
      { description: 'a', quantity: '2', unit: null, unitPrice: '-50.00', amount: '-100.00', taxRate: null, productCode: null },
      { description: 'b', quantity: '-4', unit: null, unitPrice: '25.00', amount: '-100.00', taxRate: null, productCode: null },
      { description: 'c', quantity: '1', unit: null, unitPrice: '-100.00', amount: '-100.00', taxRate: null, productCode: null },
    ],
  });
  const r = applySignConvention(printed);
  assert.deepEqual([r.subtotal, r.tax, r.total, r.discount, r.shipping, r.amountDue], ['295.00', '44.05', '339.05', '10.00', '5.00', '339.05']);
  assert.deepEqual(r.lineItems.map((i) => [i.quantity, i.unitPrice, i.amount]), [['2', '50.00', '100.00'], ['4', '25.00', '100.00'], ['1', '100.00', '100.00']]);
  assert.deepEqual(r.taxBreakdown.map((t) => t.amount), ['37.05', '7.00']);
  assert.deepEqual(arithmeticWarnings({ ...r, amountDue: null }), []);
  const invoice = { ...printed, documentType: 'invoice' as const };
  assert.equal(applySignConvention(invoice), invoice, 'an invoice with negative amounts keeps them');
  const positive = fullRecord({ documentType: 'credit_note' });
  assert.equal(applySignConvention(positive), positive);
});

test('IBAN and BIC: only checksum-valid, well-formed values', () => {
  assert.equal(validIban('DE89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
  assert.equal(validIban('IBAN: GB82 WEST 1234 5698 7654 32'), 'GB82WEST12345698765432');
  assert.equal(validIban('DE89 3704 0044 0532 0130 01'), null, 'checksum');
  assert.equal(validIban('FR2012421242124212421242124'), null, 'French RIB key');
  assert.equal(validBic('COBADEFFXXX'), 'COBADEFFXXX');
  assert.equal(validBic('cobade ff'), 'COBADEFF');
  assert.equal(validBic('COBADEFXXX'), null, '10 characters');
  assert.equal(validBic('COBAXXFF'), null, 'no such country');
});

test('tax ids: EU VAT check digits (jsvat), India GSTIN check character, others unchecked', () => {
  assert.deepEqual(checkTaxId('DE136695976'), { value: 'DE136695976', scheme: 'eu-vat', country: 'DE', status: 'valid' });
  assert.equal(checkTaxId('DE123456789').status, 'invalid');
  assert.equal(checkTaxId('FR 32 123 456 789').status, 'valid');
  assert.equal(checkTaxId('CHE-123.456.788 MWST').status, 'valid');
  assert.equal(checkTaxId('27AAPFU0939F1ZV').status, 'valid');
  assert.equal(checkTaxId('27AAPFU0939F1ZW').status, 'invalid');
  assert.deepEqual(checkTaxId('12-3456789'), { value: '12-3456789', scheme: 'other', country: null, status: 'unchecked' });
});

test('payment terms: net days and early-payment discounts in six languages and the usual notations', () => {
  const t = (s: string) => parsePaymentTerms(s);
  const d = (percent: string, days: number | null) => ({ percent, days, amount: null });
  assert.deepEqual(t('Zahlbar innerhalb 30 Tagen netto, 3% Skonto innerhalb 10 Tagen'), { netDays: 30, discounts: [d('3', 10)] });
  assert.deepEqual(t('Bei Zahlung innerhalb 14 Tagen gewähren wir 2,0% Skonto.'), { netDays: null, discounts: [d('2', 14)] });
  assert.deepEqual(t('Skontovereinbarung: 2% bei Zahlung innerhalb 10 Tagen nach Rechnungsdatum'), { netDays: null, discounts: [d('2', 10)] });
  assert.deepEqual(t('Innerhalb von 30 Tagen 2% Skonto, 60 Tage ohne Abzug'), { netDays: 60, discounts: [d('2', 30)] });
  assert.deepEqual(t('Zahlbar sofort rein netto'), { netDays: 0, discounts: [] });
  assert.deepEqual(t('Zahlbar ohne Abzug bis 12.12.2020'), { netDays: null, discounts: [] });
  assert.deepEqual(t('Net 30'), { netDays: 30, discounts: [] });
  assert.deepEqual(t('Payment terms: 2/10 net 30'), { netDays: 30, discounts: [d('2', 10)] });
  assert.deepEqual(t('Payable within 14 days. 2% discount if paid within 7 days'), { netDays: 14, discounts: [d('2', 7)] });
  assert.deepEqual(t("30% d'acompte, solde à 30 j"), { netDays: 30, discounts: [] });
  assert.deepEqual(t('Paiement à 45 jours fin de mois. Escompte de 1,5 % pour paiement sous 8 jours'), { netDays: 45, discounts: [d('1.5', 8)] });
  assert.deepEqual(t('Pago a 60 días'), { netDays: 60, discounts: [] });
  assert.deepEqual(t('Pagamento a 30 giorni data fattura'), { netDays: 30, discounts: [] });
  assert.deepEqual(t('Betaling binnen 14 dagen'), { netDays: 14, discounts: [] });
  assert.deepEqual(t('#SKONTO#TAGE=14#PROZENT=2.00#'), { netDays: null, discounts: [d('2', 14)] });
  assert.deepEqual(t('Skontoabzüge werden nicht akzeptiert. Zahlbar innerhalb von 30 Tagen netto'), { netDays: 30, discounts: [] });
  assert.equal(normalisePercent('19,00'), '19');
  assert.equal(normalisePercent('5.50'), '5.5');
});

test('code lists: document type codes, unit words, same-unit comparison', () => {
  assert.equal(documentTypeOfCode('380'), 'invoice');
  assert.equal(documentTypeOfCode('381'), 'credit_note');
  assert.equal(documentTypeOfCode('261'), 'credit_note');
  assert.equal(documentTypeOfCode('384'), 'invoice', 'a corrected invoice is an invoice (its amounts carry the sign)');
  assert.equal(documentTypeOfCode('389'), 'invoice', 'self-billed invoice');
  assert.equal(documentTypeOfCode('383'), 'debit_note');
  assert.equal(documentTypeOfCode('325'), 'proforma');
  assert.equal(documentTypeOfCode('999'), 'invoice');
  assert.equal(unitCodeOf('Stk.'), 'H87');
  assert.equal(unitCodeOf('Std'), 'HUR');
  assert.equal(unitCodeOf('C62'), 'C62');
  assert.equal(unitCodeOf('Fass'), null);
  assert.ok(sameUnit('pcs', 'C62'));
  assert.ok(sameUnit('kg', 'KGM'));
  assert.ok(!sameUnit('kg', 'HUR'));
});
