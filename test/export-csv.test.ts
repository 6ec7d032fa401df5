import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { CORE_FIELDS, DecimalSchema, emptyRecord, InvoiceRecordSchema, type InvoiceRecord } from '../src/core/invoice-record.js';
import { csvCell, LINE_ITEMS_HEADER, lineItemsCsv, parseCsv, RECORDS_HEADER, recordsCsv } from '../src/export/csv.js';
import { errorItem, recordItem } from '../src/export/export-item.js';
import { EXPORT_FORMATS, findFormat } from '../src/export/format-registry.js';
import { columnsOf, RECORD_COLUMNS } from '../src/export/record-columns.js';
import { toCsv } from '../src/service/records-export.js';

const SHA = 'a'.repeat(64);
function record(): InvoiceRecord {
  const r = emptyRecord({ file: 'x.pdf', sha256: SHA, mediaType: 'application/pdf', bytes: 1, pages: 1 }, { name: 'm', version: '1' });
  Object.assign(r, { invoiceNumber: '=1+2', invoiceDate: '2024-03-05', currency: 'EUR', subtotal: '1248.00', tax: '237.12', total: '1485.12' });
  r.vendor.name = '=HYPERLINK("http://evil.example","click")';
  r.customer.name = 'Kunden AG; Einkauf';
  r.vendor.address = '+49 30 1234\nBerlin';
  r.lineItems = [{ description: '@SUM(A1:A9)', quantity: '2', unitPrice: '-12.50', amount: '-25.00' }, { description: 'Ordner', quantity: null, unitPrice: null, amount: '1273.00' }];
  r.warnings = [{ code: 'LINE_ITEMS_MISMATCH', message: 'x' }, { code: 'NO_MODEL', message: 'y' }];
  return r;
}

describe('the one CSV writer', () => {
  test('formula injection: cells a spreadsheet would evaluate get an apostrophe; numbers are left alone', () => {
    for (const s of ['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '＝1+2']) assert.ok(csvCell(s).replace(/^"/, '').startsWith(`'`), s);
    for (const s of ['-12.50', '-12,50', 'plain', '12', 'a=b']) assert.ok(!csvCell(s).includes(`'`), s);
    assert.equal(csvCell('-12,50', ';'), '-12,50');
    assert.equal(csvCell('-12,50', ','), '"-12,50"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('a;b', ';'), '"a;b"');
    assert.equal(csvCell('a;b', ','), 'a;b');
    assert.equal(csvCell(null), '');
  });

  test('records: one column set from the record schema; parse back to the values, escaped', () => {
    for (const f of CORE_FIELDS) assert.ok(RECORDS_HEADER.includes(f), f);
    const rows = parseCsv(recordsCsv([recordItem(record(), 'x.pdf', '2026-01-01T00:00:00.000Z'), errorItem('bad.pdf', { code: 'CORRUPT_DOCUMENT', message: 'truncated, "badly"' })]));
    assert.deepEqual(rows[0], [...RECORDS_HEADER]);
    const get = (row: number, col: string) => rows[row]![RECORDS_HEADER.indexOf(col)];
    assert.equal(get(1, 'documentId'), SHA);
    assert.equal(get(1, 'vendor.name'), `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(get(1, 'vendor.address'), `'+49 30 1234\nBerlin`);
    assert.equal(get(1, 'invoiceNumber'), `'=1+2`);
    assert.equal(get(1, 'total'), '1485.12');
    assert.equal(get(1, 'lineItems'), '2');
    assert.equal(get(1, 'warnings'), 'LINE_ITEMS_MISMATCH NO_MODEL');
    assert.equal(get(2, 'file'), 'bad.pdf');
    assert.equal(get(2, 'errorCode'), 'CORRUPT_DOCUMENT');
    assert.equal(get(2, 'errorMessage'), 'truncated, "badly"');
    assert.ok(rows.every((r) => r.length === RECORDS_HEADER.length));
  });

  test('; and decimal commas: only decimal columns change', () => {
    const text = recordsCsv([recordItem(record(), 'x.pdf', '2026-01-01T00:00:00.000Z')], { delimiter: ';', decimalComma: true });
    const rows = parseCsv(text, ';');
    const get = (col: string) => rows[1]![RECORDS_HEADER.indexOf(col)];
    assert.equal(get('total'), '1485,12');
    assert.equal(get('subtotal'), '1248,00');
    assert.equal(get('invoiceDate'), '2024-03-05');
    assert.equal(get('customer.name'), 'Kunden AG; Einkauf');
    assert.match(text, /"Kunden AG; Einkauf"/);
  });

  test('line items: a second table with the document id and the line number', () => {
    const rows = parseCsv(lineItemsCsv([recordItem(record(), 'x.pdf', 'now'), errorItem('bad.pdf', { code: 'NOT_FOUND', message: 'x' })], { delimiter: ';', decimalComma: true }), ';');
    assert.deepEqual(rows[0], [...LINE_ITEMS_HEADER]);
    const pick = (row: string[]) => ['documentId', 'file', 'line', 'description', 'quantity', 'unitPrice', 'amount'].map((c) => row[LINE_ITEMS_HEADER.indexOf(c)]);
    assert.deepEqual(rows.slice(1).map(pick), [
      [SHA, 'x.pdf', '1', `'@SUM(A1:A9)`, '2', '-12,50', '-25,00'],
      [SHA, 'x.pdf', '2', 'Ordner', '', '', '1273,00'],
    ]);
    assert.ok(rows.every((r) => r.length === LINE_ITEMS_HEADER.length));
  });

  test('columns follow the schema: a field added to the record becomes a column with no change to the writer', () => {
    const extended = InvoiceRecordSchema.extend({
      testKind: z.enum(['a', 'b']).nullable(),
      testGroup: z.object({ first: z.string().nullable(), second: z.number().nullable() }),
      testAmount: DecimalSchema.nullable(),
      testRows: z.array(z.object({ rate: DecimalSchema })),
    });
    const paths = columnsOf(extended).map((c) => c.path);
    assert.deepEqual(paths.slice(0, RECORD_COLUMNS.length), RECORD_COLUMNS.map((c) => c.path));
    assert.deepEqual(paths.slice(RECORD_COLUMNS.length), ['testKind', 'testGroup.first', 'testGroup.second', 'testAmount']);
    assert.equal(columnsOf(extended).find((c) => c.path === 'testAmount')?.decimal, true);
    assert.equal(RECORD_COLUMNS.find((c) => c.path === 'total')?.decimal, true);
    assert.equal(RECORD_COLUMNS.find((c) => c.path === 'invoiceNumber')?.decimal, false);
  });

  test('the API CSV export is the same writer, the same columns', () => {
    const csv = toCsv([{ documentId: SHA, completedAt: '2026-01-01T00:00:00.000Z', fileName: 'up.pdf', record: record() }]);
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [...RECORDS_HEADER]);
    assert.equal(rows[1]![RECORDS_HEADER.indexOf('vendor.name')], `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(rows[1]![RECORDS_HEADER.indexOf('file')], 'up.pdf');
    assert.equal(toCsv([], false), '', 'later pages: no header');
  });
});

describe('format registry', () => {
  test('names are unique; each has a summary, media type and extension; lookup by name', () => {
    const names = EXPORT_FORMATS.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    for (const f of EXPORT_FORMATS) {
      assert.ok(f.summary && f.mediaType && /^[a-z0-9.]+$/.test(f.extension), f.name);
      assert.ok(f.kind === 'batch' || f.kind === 'document');
    }
    assert.equal(findFormat('csv')?.extension, 'csv');
    assert.equal(findFormat('nope'), undefined);
    for (const name of ['jsonl', 'json', 'csv']) assert.ok(names.includes(name), name);
  });
});
