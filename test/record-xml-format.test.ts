import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LedgerlensError } from '../src/core/errors.js';
import { parseInvoiceXml } from '../src/einvoice/einvoice.js';
import { hasXmllint, schemaFor, validateXml } from '../src/einvoice/xsd-validate.js';
import type { DocumentFormat, ExportOptions } from '../src/export/export-format.js';
import { findFormat } from '../src/export/format-registry.js';
import { completeRecord } from '../src/extract/record/complete-record.js';
import { docFromCells } from './extract-fixtures.js';
import { fullRecord } from './record-fixtures.js';

const reports: string[] = [];
const options = { report: (_: unknown, m: string) => reports.push(m) } as unknown as ExportOptions;
const source = { file: null, sha256: '0'.repeat(64), mediaType: 'application/xml' as const, bytes: 0, pages: 0 };

test('--format ubl and cii are registered one-document formats', () => {
  for (const name of ['ubl', 'cii']) {
    const f = findFormat(name);
    assert.equal(f?.kind, 'document');
    assert.equal(f?.extension, 'xml');
  }
});

test('a text-path record written as UBL and CII validates and reads back with its v2 fields', { skip: !hasXmllint() && 'xmllint not installed' }, async () => {
  // the v2 finders on a printed page, then the writers
  const doc = docFromCells([
    [[40, 'Bestellnummer: PO-4711']],
    [[40, 'Widget'], [300, '2'], [360, '50,00'], [450, '100,00']],
    [[40, 'Nettobetrag'], [450, '100,00']],
    [[40, 'USt 19%'], [300, '100,00'], [450, '19,00']],
    [[40, 'Gesamtbetrag'], [450, '119,00']],
    [[40, 'IBAN: DE89 3704 0044 0532 0130 00']],
  ]);
  const base = fullRecord({ purchaseOrder: null, payment: { iban: null, bic: null, accountHolder: null, reference: null }, taxBreakdown: [],
    lineItems: [], discount: null, shipping: null, prepaid: null, amountDue: null, subtotal: '100.00', tax: '19.00', total: '119.00' });
  const record = completeRecord(doc, base, { reviewThreshold: 0.9 });
  assert.equal(record.lineItems.length, 1);
  for (const name of ['ubl', 'cii']) {
    const f = findFormat(name) as DocumentFormat;
    const xml = String(f.write(record, options));
    const profile = /<ram:ID>(urn:[^<]+)<\/ram:ID>/.exec(xml)?.[1] ?? '';
    const v = await validateXml(xml, schemaFor({ syntax: name === 'ubl' ? 'ubl-invoice' : 'cii', profile }));
    assert.ok(v.valid, `${name}: ${v.errors.join('; ')}`);
    const back = parseInvoiceXml(xml, source);
    assert.equal(back.purchaseOrder, 'PO-4711');
    assert.equal(back.payment.iban, 'DE89370400440532013000');
    assert.equal(back.total, '119.00');
    assert.deepEqual(back.taxBreakdown.map((r) => [r.rate, r.base, r.amount]), [['19', '100.00', '19.00']]);
  }
});

test('a record without a seller name is refused with INCOMPLETE_RECORD naming it', () => {
  const f = findFormat('ubl') as DocumentFormat;
  const record = fullRecord({ vendor: { name: null, address: null, taxId: null } });
  assert.throws(() => f.write(record, options), (e: unknown) => e instanceof LedgerlensError && e.code === 'INCOMPLETE_RECORD' && /vendor\.name/.test(e.message));
});
