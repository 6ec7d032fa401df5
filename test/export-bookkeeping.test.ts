import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { InvoiceRecordSchema, type InvoiceRecord } from '../src/core/invoice-record.js';
import { add } from '../src/extract/decimal.js';
import { apportion, billLines, QUICKBOOKS_COLUMNS, quickbooksFormat, XERO_COLUMNS, xeroFormat } from '../src/export/bills.format.js';
import { parseCsv } from '../src/export/csv.js';
import { belegfeld, DATEV_COLUMNS, datevFormat, fiscalYearStart, taxKey } from '../src/export/datev.format.js';
import type { ExportOptions } from '../src/export/export-format.js';
import { recordItem, type ExportItem } from '../src/export/export-item.js';
import { fromWindows1252 } from '../src/export/windows-1252.js';

/** The bundled samples' records (samples/expected: what `extract samples/*` returns, test/samples.test.ts). */
const EXPECTED = resolve(import.meta.dirname, '../samples/expected');
const SAMPLES: ExportItem[] = readdirSync(EXPECTED).filter((f) => f.endsWith('.expected.json')).sort().map((f) => {
  const record = InvoiceRecordSchema.parse(JSON.parse(readFileSync(join(EXPECTED, f), 'utf8')));
  return recordItem(record, `samples/${record.source.file}`, '2026-01-01T00:00:00.000Z');
});
const bySample = (name: string): InvoiceRecord => SAMPLES.find((s) => s.file!.includes(name))!.record!;
/** One item per invoice: the scan of the GB invoice is the same invoice (same number) as its PDF. */
const INVOICES = SAMPLES.filter((s) => !s.file!.endsWith('.scan.jpg'));

function options(overrides: Parameters<typeof loadConfig>[0]['overrides'] = {}) {
  const reports: string[] = [];
  const o: ExportOptions = {
    csv: { delimiter: ',', decimalComma: false },
    settings: loadConfig({ env: {}, overrides }).export,
    single: false,
    now: new Date('2026-03-01T10:20:30.456Z'),
    report: (item, message) => reports.push(`${item.file}: ${message}`),
  };
  return { o, reports };
}

const asText = (out: string | Uint8Array): string => (typeof out === 'string' ? out : fromWindows1252(out));

describe('DATEV booking batch (EXTF Buchungsstapel)', () => {
  test('on the samples with the default EUR batch: the French credit note is booked (H), the rest is reported with the reason', () => {
    const { o, reports } = options();
    const bytes = datevFormat.write(SAMPLES, o);
    assert.ok(bytes instanceof Uint8Array);
    const rows = parseCsv(fromWindows1252(bytes), ';');
    assert.equal(rows[0]!.length, 31, 'header: 31 fields');
    assert.deepEqual(rows[0]!.slice(0, 6), ['EXTF', '700', '21', 'Buchungsstapel', '13', '20260301102030456']);
    assert.deepEqual(rows[0]!.slice(10, 16), ['1001', '1', '20240101', '4', '20241031', '20241031']);
    assert.equal(rows[0]![21], 'EUR');
    assert.deepEqual(rows[1], [...DATEV_COLUMNS]);
    assert.equal(DATEV_COLUMNS.length, 125);
    assert.equal(rows.length, 3, 'one booking');
    const b = rows[2]!;
    const cell = (name: string) => b[DATEV_COLUMNS.indexOf(name)];
    assert.equal(b.length, 125);
    const fr = bySample('avoir-fr');
    assert.equal(cell('Umsatz (ohne Soll/Haben-Kz)'), '25907,34');
    assert.equal(cell('Soll/Haben-Kennzeichen'), 'H', 'a credit note reverses the booking');
    assert.equal(cell('Konto'), '4980');
    assert.equal(cell('Gegenkonto (ohne BU-Schlüssel)'), '70000');
    assert.equal(cell('BU-Schlüssel'), '', '20 % French VAT has no German input-tax key');
    assert.equal(cell('Belegdatum'), '3110');
    assert.equal(cell('Belegfeld 1'), belegfeld(fr.invoiceNumber!));
    assert.equal(cell('Buchungstext'), fr.vendor.name);
    assert.equal(cell('Beleginfo - Inhalt 1'), fr.source.sha256);
    assert.equal(cell('Fälligkeit'), '15122024');
    assert.equal(reports.length, SAMPLES.length - 1);
    assert.ok(reports.some((r) => /factuur-nl.*2019-09-30 is outside the fiscal year from 2024-01-01/.test(r)), reports.join('\n'));
    assert.equal(reports.filter((r) => /currency (CHF|GBP|USD|MYR|INR) is not the batch currency EUR/.test(r)).length, SAMPLES.length - 2);
  });

  test('a CHF batch books the German sample with input-tax key 9 (19 %); text is Windows-1252', () => {
    const { o } = options({ export: { datev: { currency: 'CHF', consultantNumber: 29098, clientNumber: 55003, expenseAccount: '6300', chartOfAccounts: '04' } } });
    const bytes = datevFormat.write(SAMPLES.filter((s) => s.file!.includes('rechnung-de')), o) as Uint8Array;
    const rows = parseCsv(fromWindows1252(bytes), ';');
    assert.deepEqual(rows[0]!.slice(10, 12), ['29098', '55003']);
    assert.equal(rows[0]![26], '04');
    const b = rows[2]!;
    const cell = (name: string) => b[DATEV_COLUMNS.indexOf(name)];
    assert.equal(cell('Umsatz (ohne Soll/Haben-Kz)'), '8402,77');
    assert.equal(cell('Soll/Haben-Kennzeichen'), 'S');
    assert.equal(cell('WKZ Umsatz'), 'CHF');
    assert.equal(cell('Konto'), '6300');
    assert.equal(cell('BU-Schlüssel'), '9');
    assert.equal(cell('Belegdatum'), '2612');
    assert.ok(bytes.includes(0xfc), 'ü of Gegenkonto (ohne BU-Schlüssel) as one byte');
    assert.ok(!Buffer.from(bytes).toString('latin1').includes('Ã'), 'no UTF-8 sequences');
  });

  test('tax keys, document numbers, fiscal years', () => {
    const keys = { 19: '9', 7: '8' };
    assert.equal(taxKey('100.00', '19.00', keys), '9');
    assert.equal(taxKey('33.33', '2.33', keys), '8');
    assert.equal(taxKey('-50.00', '-9.50', keys), '9');
    assert.equal(taxKey('100.00', '13.00', keys), null, 'mixed rates: no key');
    assert.equal(taxKey(null, '19.00', keys), null);
    assert.equal(belegfeld('RE 2024/0815_ä#1'), 'RE-2024/0815---1');
    assert.equal(belegfeld('x'.repeat(40)).length, 36);
    assert.equal(fiscalYearStart('2024-03-31', 4), '2023-04-01');
    assert.equal(fiscalYearStart('2024-04-01', 4), '2024-04-01');
  });
});

describe('bills for Xero and QuickBooks Online', () => {
  test('Xero on the samples: its template columns; lines add up to the net amount and the tax; credit note and missing due date reported', () => {
    const { o, reports } = options();
    const rows = parseCsv(asText(xeroFormat.write(INVOICES, o)));
    assert.deepEqual(rows[0], [...XERO_COLUMNS]);
    const at = (row: string[], name: (typeof XERO_COLUMNS)[number]) => row[XERO_COLUMNS.indexOf(name)]!;
    const exported = INVOICES.filter((s) => !s.file!.includes('avoir-fr'));
    assert.deepEqual([...new Set(rows.slice(1).map((r) => at(r, '*InvoiceNumber')))], exported.map((s) => s.record!.invoiceNumber));
    for (const { record: r } of exported) {
      const lines = rows.slice(1).filter((row) => at(row, '*InvoiceNumber') === r!.invoiceNumber);
      const net = add(...lines.map((l) => String(Number(at(l, '*Quantity')) * Number(at(l, '*UnitAmount')))));
      assert.equal(Number(net).toFixed(2), r!.subtotal, `${r!.invoiceNumber}: net`);
      assert.equal(add(...lines.map((l) => at(l, 'TaxAmount'))), Number(r!.tax).toFixed(2), `${r!.invoiceNumber}: tax`);
      for (const l of lines) {
        assert.equal(at(l, '*ContactName'), r!.vendor.name);
        assert.equal(at(l, '*InvoiceDate'), r!.invoiceDate!.split('-').reverse().join('/'));
        assert.equal(at(l, '*AccountCode'), '429');
        assert.equal(at(l, 'Currency'), r!.currency);
      }
    }
    const de = rows.slice(1).filter((row) => at(row, '*InvoiceNumber') === 'U05-97133');
    assert.deepEqual(de.map((l) => [at(l, '*Description'), at(l, '*Quantity'), at(l, '*UnitAmount')]), [['Anfahrtspauschale - QQ559', '299', '14.65'], ['Grafikdesign', '10', '268.08']]);
    assert.deepEqual(de.map((l) => at(l, 'POAddressLine1')), ['Sanddornstr. 64, 27046 Nord Jamie, Deutschland', 'Sanddornstr. 64, 27046 Nord Jamie, Deutschland']);
    assert.ok(reports.some((r) => /avoir-fr.*not exported to Xero: a credit note/.test(r)), reports.join('\n'));
    assert.ok(reports.some((r) => /receipt-my-till.*no due date/.test(r)), reports.join('\n'));
  });

  test('QuickBooks Online on the samples: net line amounts and apportioned tax add up; US dates; account from the config', () => {
    const { o, reports } = options({ export: { quickbooks: { account: 'Office Supplies', taxCode: 'TAX' } } });
    const rows = parseCsv(asText(quickbooksFormat.write(INVOICES, o)));
    assert.deepEqual(rows[0], [...QUICKBOOKS_COLUMNS]);
    const at = (row: string[], name: (typeof QUICKBOOKS_COLUMNS)[number]) => row[QUICKBOOKS_COLUMNS.indexOf(name)]!;
    for (const { record: r, documentId } of INVOICES.filter((s) => !s.file!.includes('avoir-fr'))) {
      const lines = rows.slice(1).filter((row) => at(row, 'Bill No') === r!.invoiceNumber);
      assert.ok(lines.length >= 1, r!.invoiceNumber!);
      assert.equal(add(...lines.map((l) => at(l, 'Line Amount'))), r!.subtotal, `${r!.invoiceNumber}: net`);
      assert.equal(add(...lines.map((l) => at(l, 'Line Tax Amount'))), Number(r!.tax).toFixed(2));
      const [y, m, d] = r!.invoiceDate!.split('-');
      assert.equal(at(lines[0]!, 'Bill Date'), `${m}/${d}/${y}`);
      assert.equal(at(lines[0]!, 'Vendor'), r!.vendor.name);
      assert.equal(at(lines[0]!, 'Account'), 'Office Supplies');
      assert.equal(at(lines[0]!, 'Line Tax Code'), 'TAX');
      assert.equal(at(lines[0]!, 'Memo'), `Ledgerlens document ${documentId}`);
    }
    assert.equal(reports.length, 1, reports.join('\n'));
  });

  test('line items are used only when they add up to the subtotal; tax apportioned in cents', () => {
    const r = structuredClone(bySample('rechnung-de'));
    r.lineItems[1]!.amount = '100.00'; // no longer adds up: one line for the invoice
    assert.deepEqual(billLines(r), [{ description: 'Invoice U05-97133', quantity: '1', unitAmount: '7061.15', amount: '7061.15', tax: '1341.62' }]);
    assert.deepEqual(apportion(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
    assert.deepEqual(apportion(1n, [0n, 0n]), [1n, 0n]);
  });
});
