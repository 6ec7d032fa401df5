import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import type { LineItem } from '../src/core/invoice-record.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { processDocument } from '../src/pipeline/process-document.js';

/**
 * Line items on the bundled samples (the README's first command): no junk rows. Every item found on
 * a PDF equals an item of samples/expected (description, quantity, unit price, amount); the Dutch
 * two-page invoice yields all 32 items across its pages and none of its footer, carry-forward, IBAN
 * or postcode lines; on the scan (OCR) every item found multiplies out.
 */
const SAMPLES = resolve(import.meta.dirname, '../samples');
const config = loadConfig({ env: {} });
after(() => closeOcrPool());

const letters = (s: string | null) => (s ?? '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\d]+/gu, '');
const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Math.abs(Number(a) - Number(b)) < 0.005);
const equal = (g: LineItem, w: LineItem) => letters(g.description) === letters(w.description) && same(g.quantity, w.quantity) && same(g.unitPrice, w.unitPrice) && same(g.amount, w.amount);

for (const name of readdirSync(SAMPLES).filter((f) => /\.(pdf|jpg)$/.test(f)).sort()) {
  test(`samples/${name}: no junk line items`, async () => {
    const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected', `${name.replace(/\.(pdf|jpg)$/, '')}.expected.json`), 'utf8')) as { lineItems: LineItem[] };
    const record = await processDocument(new Uint8Array(readFileSync(join(SAMPLES, name))), { file: name, config });
    for (const [i, item] of record.lineItems.entries()) {
      assert.ok(item.description && item.amount, `item ${i} has a description and an amount`);
      assert.ok(record.fields[`lineItems.${i}.amount`]?.provenance, `item ${i} points back to the page`);
      if (name.endsWith('.jpg')) assert.ok(item.quantity && item.unitPrice && Math.abs(Number(item.quantity) * Number(item.unitPrice) - Number(item.amount)) < 0.02, `OCR item ${i} multiplies out`);
      else assert.ok(expected.lineItems.some((w) => equal(item, w)), `item ${i} ${JSON.stringify(item)} is one of the document's items`);
    }
    if (name === 'factuur-nl-multi-page.pdf') {
      assert.equal(record.lineItems.length, 32);
      assert.deepEqual(new Set(record.lineItems.map((i) => record.fields[`lineItems.${record.lineItems.indexOf(i)}.amount`]!.provenance!.page)), new Set([1, 2]));
    }
  });
}
