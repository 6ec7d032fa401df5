import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mapInOrder } from '../src/cli/ordered-pool.js';
import { loadConfig } from '../src/config/config.js';
import type { DocumentText } from '../src/core/document-text.js';
import { closeOcrPool, ocrPoolStats } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { wordAccuracy } from '../src/document/testing/word-accuracy.js';
import { run } from './cli-harness.js';

/**
 * extract/text run documents concurrently (src/cli/ordered-pool.ts) on the one OCR pool of the
 * process (src/document/ocr-pool.ts): several documents at once share it, each gets its own words.
 */
const config = loadConfig({ env: {}, overrides: { ocr: { workers: 2 } } });
const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-concurrency-'));
let scan: Awaited<ReturnType<typeof fx.makeScanPng>>;
let invoice: fx.GeneratedPdf;
before(async () => {
  scan = await fx.makeScanPng(300);
  invoice = await fx.makeInvoicePdf();
  writeFileSync(join(dir, 'scan.png'), scan.png);
  writeFileSync(join(dir, 'invoice.pdf'), invoice.bytes);
});
after(async () => { await closeOcrPool(); rmSync(dir, { recursive: true, force: true }); });

test('the OCR pool serves concurrent documents: one pool, each document its own words, in input order', async () => {
  const before = ocrPoolStats().poolsCreated;
  const inputs = [scan.png, invoice.bytes, scan.png, scan.png];
  const texts: DocumentText[] = [];
  let inFlight = 0;
  let most = 0;
  await mapInOrder(inputs, 3, async (bytes) => {
    most = Math.max(most, ++inFlight);
    try { return await readDocumentText(bytes, { file: null, config }); } finally { inFlight--; }
  }, (t) => texts.push(t));
  assert.equal(most, 3, 'three documents were in flight at once');
  assert.equal(ocrPoolStats().poolsCreated - before, 1, 'one pool for all of them');
  for (const i of [0, 2, 3]) {
    assert.equal(texts[i]!.pages[0]!.method, 'ocr');
    assert.ok(wordAccuracy(scan.words.map((w) => w.text), texts[i]!.pages[0]!.words.map((w) => w.text)) >= 0.95, `scan ${i}`);
  }
  assert.equal(texts[1]!.pages[0]!.method, 'text-layer');
  assert.deepEqual(texts[1]!.pages[0]!.words.map((w) => w.text), invoice.words.map((w) => w.text));
});

test('ledgerlens text --jobs 2 on scans and PDFs: the same output as --jobs 1, in argument order', () => {
  const args = ['text', 'scan.png', 'invoice.pdf', 'scan.png', '--quiet'];
  const one = run([...args, '--jobs', '1'], { cwd: dir });
  const two = run([...args, '--jobs', '2'], { cwd: dir });
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.deepEqual(two.stdout.trim().split('\n').map((l) => (JSON.parse(l) as DocumentText).source.file), ['scan.png', 'invoice.pdf', 'scan.png']);
});
