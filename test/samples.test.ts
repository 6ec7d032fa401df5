import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { getField, InvoiceRecordSchema, type RecordField } from '../src/core/invoice-record.js';
import { processDocument } from '../src/pipeline/process-document.js';

/**
 * The README's first command, `ledgerlens extract samples/*`, on the committed default model:
 * every core field of every sample (PDFs and the scan) equals its ground truth in samples/expected.
 */
const SAMPLES = resolve(import.meta.dirname, '../samples');
const FIELDS: RecordField[] = ['documentType', 'vendor.name', 'customer.name', 'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total'];
const config = loadConfig({ env: {} });

after(() => closeOcrPool());

for (const name of readdirSync(SAMPLES).filter((f) => /\.(pdf|jpg)$/.test(f)).sort()) {
  test(`samples/${name}: the record matches samples/expected`, async () => {
    const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected', `${name.replace(/\.(pdf|jpg)$/, '')}.expected.json`), 'utf8'));
    const record = await processDocument(new Uint8Array(readFileSync(join(SAMPLES, name))), { file: name, config });
    InvoiceRecordSchema.parse(record);
    assert.notEqual(record.model.name, 'rules-only', 'the default model bundle is loaded');
    for (const field of FIELDS) assert.equal(getField(record, field), getField(expected, field), field);
  });
}
