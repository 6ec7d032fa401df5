import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LedgerlensError } from '../src/core/errors.js';
import { emptyRecord } from '../src/core/invoice-record.js';
import { toHttpError } from '../src/service/api/http-errors.js';
import { ContentStore, sha256 } from '../src/service/content.store.js';
import { JOBS, PIPELINE, jobIdFor, jobNameFromId, nextStage, parseJob } from '../src/service/job-registry.js';
import { csvCell as csvField, RECORDS_HEADER } from '../src/export/csv.js';
import { decodeCursor, encodeCursor, toCsv } from '../src/service/records-export.js';
import { workerContextFromCli } from '../src/service/cli-support.js';
import { signPayload } from '../src/service/webhooks.js';

const SHA = 'a'.repeat(64);

test('job registry: pipeline order, payload validation, deterministic ids', () => {
  assert.deepEqual([...PIPELINE], ['invoice.ocr', 'invoice.ner', 'invoice.extract']);
  assert.equal(nextStage('invoice.ocr'), 'invoice.ner');
  assert.equal(nextStage('invoice.extract'), null);
  assert.ok(Object.keys(JOBS).includes('invoice.deliver'));
  assert.deepEqual(parseJob('invoice.ner', { documentId: SHA }), { documentId: SHA });
  assert.throws(() => parseJob('invoice.ner', { documentId: 'x' }), (e: unknown) => e instanceof LedgerlensError && e.code === 'INVALID_INPUT' && e.permanent);
  assert.throws(() => parseJob('invoice.ocr', { documentId: SHA }), LedgerlensError); // fileName missing
  assert.equal(jobIdFor('invoice.ocr', { documentId: SHA, fileName: 'a.pdf' }), jobIdFor('invoice.ocr', { documentId: SHA, fileName: 'b.pdf' }));
  const deliver = jobIdFor('invoice.deliver', { documentId: SHA, subscriptionId: 'abc', event: 'record.created' });
  assert.ok(!deliver.includes(':'), 'BullMQ ids carry no colon');
  assert.equal(jobNameFromId(deliver), 'invoice.deliver');
  assert.equal(jobNameFromId(`ner-${SHA}`), 'invoice.ner');
  assert.equal(jobNameFromId('bogus-1'), null);
});

test('content store: addressed by sha256, atomic writes leave no temp files, remove', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'll-store-'));
  try {
    const store = new ContentStore(dir);
    const bytes = Buffer.from('%PDF-1.4 hello');
    const id = await store.putOriginal(bytes);
    assert.equal(id, sha256(bytes));
    assert.equal(await store.putOriginal(bytes), id);
    assert.deepEqual(Buffer.from(await store.getOriginal(id)), bytes);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.putArtefact(id, 'spans', { i })));
    assert.equal(typeof ((await store.getArtefact(id, 'spans')) as { i: number }).i, 'number');
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'every temp file was renamed into place');
    await store.remove(id);
    assert.equal(await store.hasOriginal(id), false);
    await assert.rejects(store.getArtefact(id, 'spans'), (e: unknown) => e instanceof LedgerlensError && e.code === 'NOT_FOUND');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('CSV: quoting, formula guard, decimals untouched; cursors round-trip', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('-12.50'), '-12.50');
  assert.equal(csvField(null), '');
  const record = emptyRecord({ file: 'x.pdf', sha256: SHA, mediaType: 'application/pdf', bytes: 1, pages: 1 }, { name: 'm', version: '1' });
  record.vendor.name = 'ACME, Inc.';
  record.total = '100.00';
  const csv = toCsv([{ documentId: SHA, completedAt: '2026-01-01T00:00:00.000Z', fileName: 'x.pdf', record }]);
  const [header, row] = csv.trim().split('\r\n');
  const cols = header!.split(',');
  assert.deepEqual(cols, [...RECORDS_HEADER], 'the one column set of src/export/csv.ts');
  assert.ok(row!.includes('"ACME, Inc."') && row!.includes('100.00'));
  assert.deepEqual(decodeCursor(encodeCursor(123, SHA)), { score: 123, id: SHA });
  assert.equal(decodeCursor('%%%'), null);
});

test('webhook signature is HMAC-SHA256 over `${timestamp}.${body}`', () => {
  // Reference value: printf '1700000000.{}' | openssl dgst -sha256 -hmac secret
  assert.equal(signPayload('secret', 1700000000, '{}'), 'sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163');
  assert.notEqual(signPayload('secret', 1700000000, '{}'), signPayload('secret', 1700000001, '{}'));
});

test('HTTP errors: 4xx keep their code, 5xx hide internals', () => {
  assert.deepEqual(toHttpError(new LedgerlensError('NOT_FOUND', 'no document x')), { status: 404, code: 'NOT_FOUND', message: 'no document x' });
  assert.deepEqual(toHttpError(new Error('ECONNREFUSED 10.0.0.3:6379')), { status: 500, code: 'INTERNAL', message: 'Internal error' });
  assert.deepEqual(toHttpError(new LedgerlensError('INTERNAL', 'stack details')), { status: 500, code: 'INTERNAL', message: 'Internal error' });
});

test('a process with the ner role loads the model bundle at start: a broken bundle fails there with MODEL_INVALID', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'll-badmodel-'));
  try {
    for (const f of ['config.json', 'tokenizer.json', 'README.md']) await copyFile(join(import.meta.dirname, '../test/fixtures/tiny-model/layout', f), join(dir, f));
    await writeFile(join(dir, 'model.onnx'), 'not an onnx graph');
    await assert.rejects(
      workerContextFromCli({ overrides: { model: { dir } }, roles: ['ner'] }),
      (err: unknown) => err instanceof LedgerlensError && err.code === 'MODEL_INVALID',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
