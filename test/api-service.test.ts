import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { buildApi } from '../src/service/api/app.js';
import { API_KEY, multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';
import { createStages, testDocument } from './service-stages.fixture.js';

const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const auth = { authorization: `Bearer ${API_KEY}` };

describe('API over the queue (fastify inject, real Redis)', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;

  before(async () => {
    h = await startHarness(createStages(), { overrides: { limits: { maxFileBytes: 4096 } } });
    app = await buildApi(h.ctx, { readiness: [() => ({ name: 'model', ok: true })] });
  });
  after(async () => {
    await app?.close();
    await h?.close();
  });

  async function upload(bytes: Buffer, name = 'invoice.pdf') {
    const { payload, headers } = multipartBody(bytes, name);
    return app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, ...auth } });
  }

  async function waitDone(id: string) {
    return waitFor(`document ${id}`, async () => {
      const res = await app.inject({ method: 'GET', url: `/v1/documents/${id}`, headers: auth });
      const body = res.json() as { status: string };
      return body.status === 'completed' || body.status === 'failed' ? body : null;
    });
  }

  test('upload -> 202 with id and status URL -> record', async () => {
    const res = await upload(testDocument(['Invoice INV-1001', 'Total 123.45 EUR']));
    assert.equal(res.statusCode, 202);
    const doc = res.json() as { id: string; statusUrl: string; status: string };
    assert.match(doc.id, /^[0-9a-f]{64}$/);
    assert.equal(doc.statusUrl, `/v1/documents/${doc.id}`);
    assert.equal(res.headers.location, doc.statusUrl);
    const done = await waitDone(doc.id) as { status: string; progress: number; recordUrl: string };
    assert.equal(done.status, 'completed');
    assert.equal(done.progress, 100);
    const rec = await app.inject({ method: 'GET', url: done.recordUrl, headers: auth });
    assert.equal(rec.statusCode, 200);
    const record = InvoiceRecordSchema.parse(rec.json());
    assert.equal(record.invoiceNumber, 'INV-1001');
    assert.equal(record.total, '123.45');
    assert.equal(record.source.sha256, doc.id);
  });

  test('the same file again returns the same document, and no second job', async () => {
    const bytes = testDocument(['Invoice INV-2002', 'Total 9.99 EUR']);
    const first = await upload(bytes, 'a.pdf');
    const second = await upload(bytes, 'b.pdf');
    assert.equal(first.statusCode, 202);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().id, first.json().id);
    await waitDone(first.json().id);
    const counts = await h.ctx.queues.queue('invoice.ocr').getJobCounts('completed', 'waiting', 'active', 'failed');
    const jobs = await h.ctx.queues.queue('invoice.ocr').getJobs(['completed', 'waiting', 'active', 'failed']);
    assert.equal(jobs.filter((j) => (j.data as { documentId: string }).documentId === first.json().id).length, 1, JSON.stringify(counts));
  });

  test('records export: JSON pages by cursor, JSON Lines, CSV', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await upload(testDocument([`Invoice INV-30${i}`, `Total 1${i}.00 EUR`]));
      await waitDone(res.json().id);
    }
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/records?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.inject({ method: 'GET', url, headers: auth });
      assert.equal(res.statusCode, 200);
      const page = res.json() as { records: { documentId: string; record: unknown }[]; nextCursor: string | null };
      assert.ok(page.records.length <= 2);
      for (const r of page.records) InvoiceRecordSchema.parse(r.record);
      all.push(...page.records.map((r) => r.documentId));
      cursor = page.nextCursor;
    } while (cursor);
    assert.ok(all.length >= 5, `expected at least 5 records, got ${all.length}`);
    assert.equal(new Set(all).size, all.length, 'no record twice across pages');

    const jsonl = await app.inject({ method: 'GET', url: '/v1/records?limit=1000', headers: { ...auth, accept: 'application/x-ndjson' } });
    assert.match(jsonl.headers['content-type'] as string, /ndjson/);
    const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l) as { documentId: string });
    assert.deepEqual(lines.map((l) => l.documentId), all);

    const csv = await app.inject({ method: 'GET', url: '/v1/records?format=csv&limit=1000', headers: auth });
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const rows = csv.body.trim().split('\r\n');
    assert.equal(rows[0]!.split(',')[0], 'documentId');
    assert.ok(rows[0]!.includes('invoiceNumber') && rows[0]!.includes('total'));
    assert.equal(rows.length, all.length + 1);
    assert.ok(rows.some((r) => r.includes('INV-300') && r.includes('10.00')));

    const future = await app.inject({ method: 'GET', url: `/v1/records?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, headers: auth });
    assert.deepEqual(future.json(), { records: [], nextCursor: null });
  });

  test('DELETE removes the document and its record', async () => {
    const res = await upload(testDocument(['Invoice INV-4004', 'Total 4.00 EUR']));
    const { id } = res.json() as { id: string };
    await waitDone(id);
    const del = await app.inject({ method: 'DELETE', url: `/v1/documents/${id}`, headers: auth });
    assert.equal(del.statusCode, 204);
    const gone = await app.inject({ method: 'GET', url: `/v1/documents/${id}`, headers: auth });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'NOT_FOUND');
    assert.equal(await h.ctx.store.hasOriginal(id), false);
    // Uploading it again starts afresh (its jobs were removed with it).
    const again = await upload(testDocument(['Invoice INV-4004', 'Total 4.00 EUR']));
    assert.equal(again.statusCode, 202);
    assert.equal((await waitDone(id) as { status: string }).status, 'completed');
  });

  test('bad requests get 4xx with stable codes', async () => {
    const cases: [string, Promise<{ statusCode: number; json(): unknown }>, number, string][] = [
      ['no API key', app.inject({ method: 'GET', url: '/v1/records' }), 401, 'UNAUTHORIZED'],
      ['wrong API key', app.inject({ method: 'GET', url: '/v1/records', headers: { authorization: 'Bearer nope-nope-nope-nope' } }), 401, 'UNAUTHORIZED'],
      ['no file', (() => {
        const boundary = 'xyz';
        return app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n` });
      })(), 400, 'INVALID_INPUT'],
      ['not multipart', app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth, 'content-type': 'application/json' }, payload: '{}' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['wrong type', upload(Buffer.from('just some text, not an invoice file')), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['empty file', upload(Buffer.alloc(0)), 400, 'EMPTY_DOCUMENT'],
      ['oversize', upload(testDocument(['x'.repeat(5000)])), 413, 'FILE_TOO_LARGE'],
      ['malformed JSON', app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"url": ' }), 400, 'INVALID_INPUT'],
      ['invalid webhook', app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url: 'ftp://x', secret: 'short' } }), 400, 'INVALID_INPUT'],
      ['unknown id', app.inject({ method: 'GET', url: `/v1/documents/${'0'.repeat(64)}`, headers: auth }), 404, 'NOT_FOUND'],
      ['malformed id', app.inject({ method: 'GET', url: '/v1/documents/../etc', headers: auth }), 404, 'NOT_FOUND'],
      ['bad id shape', app.inject({ method: 'GET', url: '/v1/documents/abc', headers: auth }), 400, 'INVALID_INPUT'],
      ['bad limit', app.inject({ method: 'GET', url: '/v1/records?limit=0', headers: auth }), 400, 'INVALID_INPUT'],
      ['bad cursor', app.inject({ method: 'GET', url: '/v1/records?cursor=%%%', headers: auth }), 400, 'INVALID_INPUT'],
      ['unknown route', app.inject({ method: 'GET', url: '/v2/nothing', headers: auth }), 404, 'NOT_FOUND'],
      ['retry unknown job', app.inject({ method: 'POST', url: '/v1/failed/ocr-nothing/retry', headers: auth }), 404, 'NOT_FOUND'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.statusCode, status, `${what}: ${JSON.stringify(res.json())}`);
      assert.equal((res.json() as { error: { code: string } }).error.code, code, what);
    }
  });

  test('probes and OpenAPI answer without a key; every route is described', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json().checks.redis, { ok: true });
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(spec.openapi, '3.1.0');
    for (const [path, method] of [['/v1/documents', 'post'], ['/v1/documents/{id}', 'get'], ['/v1/documents/{id}/record', 'get'], ['/v1/documents/{id}', 'delete'],
      ['/v1/records', 'get'], ['/v1/failed', 'get'], ['/v1/failed/{jobId}/retry', 'post'], ['/v1/webhooks', 'post'], ['/readyz', 'get']] as const) {
      assert.ok(spec.paths[path]?.[method], `${method.toUpperCase()} ${path} is in the OpenAPI document`);
    }
  });

  test('readyz is 503 when a readiness check fails', async () => {
    const notReady = await buildApi(h.ctx, { readiness: [() => ({ name: 'model', ok: false, detail: 'loading' })] });
    try {
      const res = await notReady.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json().checks.model, { ok: false, detail: 'loading' });
    } finally {
      await notReady.close();
    }
  });
});
