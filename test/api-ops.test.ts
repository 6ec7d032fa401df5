import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../src/service/api/app.js';
import { API_KEY, multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';
import { createStages, testDocument } from './service-stages.fixture.js';

/** Operations: /metrics, /admin/queues, /docs behind auth, GET /v1/documents, OpenAPI quality, request ids. */
const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const ADMIN = 'ops-admin-key-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN}` };
const member = { authorization: `Bearer ${API_KEY}` };
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}` });

describe('operations', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  before(async () => {
    h = await startHarness(createStages(), { overrides: { api: { keys: [{ key: ADMIN, tenant: 'default', role: 'admin' }] } } });
    app = await buildApi(h.ctx);
  });
  after(async () => { await app?.close(); await h?.close(); });

  test('GET /v1/documents: newest first, filtered by status, paged by cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { payload, headers } = multipartBody(testDocument(i === 2 ? ['FAIL:CORRUPT', `n${i}`] : [`Invoice INV-L${i}`, `Total ${i}.00 EUR`]), `l${i}.pdf`);
      ids.push((await app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, ...member } })).json().id as string);
    }
    await waitFor('all five to finish', async () => (await h.ctx.state.getMany(ids)).every((d) => d && (d.status === 'completed' || d.status === 'failed')));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await app.inject({ method: 'GET', url, headers: member })).json() as { documents: { id: string }[]; nextCursor: string | null };
      seen.push(...page.documents.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse(), 'newest first, each once');
    const failed = (await app.inject({ method: 'GET', url: '/v1/documents?status=failed', headers: member })).json() as { documents: { id: string; errorCode: string }[] };
    assert.deepEqual(failed.documents.map((d) => [d.id, d.errorCode]), [[ids[2], 'CORRUPT_DOCUMENT']]);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/documents?status=bogus', headers: member })).statusCode, 400);
  });

  test('/metrics (admin): queue depths, documents per status, failures by code, stage durations, webhook outcomes', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: admin });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/plain/);
    for (const needle of [/ledgerlens_queue_jobs\{queue="invoice.ocr",state="completed"\} \d+/, /ledgerlens_documents\{status="completed"\} [1-9]/,
      /ledgerlens_document_failures_total\{code="CORRUPT_DOCUMENT"\} [1-9]/, /ledgerlens_stage_duration_seconds_bucket\{stage="ocr",le="\+Inf"\} [1-9]/,
      /ledgerlens_stage_duration_seconds_count\{stage="extract"\} [1-9]/, /ledgerlens_webhook_attempts_total\{outcome="delivered"\} \d+/, /ledgerlens_redis_up 1/]) {
      assert.match(res.body, needle);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
  });

  test('/admin/learn (admin): lists versions; learning from a store with no reviewed documents is a clear 400', async () => {
    const list = await app.inject({ method: 'GET', url: '/admin/learn', headers: admin });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { current: null, versions: [] });
    const learn = await app.inject({ method: 'POST', url: '/admin/learn', headers: admin, payload: {} });
    assert.equal(learn.statusCode, 400, learn.body);
    assert.equal((learn.json() as { error: { code: string } }).error.code, 'INVALID_INPUT');
    assert.match(learn.body, /no reviewed documents/);
    const back = await app.inject({ method: 'POST', url: '/admin/learn/rollback', headers: admin });
    assert.equal((back.json() as { error: { code: string } }).error.code, 'CONFLICT');
    assert.equal((await app.inject({ method: 'POST', url: '/admin/learn', headers: member, payload: {} })).statusCode, 403);
  });

  test('/admin/queues (bull-board) and /docs (Swagger UI) open in a browser with Basic credentials', async () => {
    const noKey = await app.inject({ method: 'GET', url: '/docs' });
    assert.equal(noKey.statusCode, 401);
    assert.match(noKey.headers['www-authenticate'] as string, /^Basic /);
    const docs = await app.inject({ method: 'GET', url: '/docs/', headers: basic(API_KEY) });
    assert.ok([200, 302].includes(docs.statusCode), `${docs.statusCode}`);
    const board = await app.inject({ method: 'GET', url: '/admin/queues', headers: basic(ADMIN) });
    assert.equal(board.statusCode, 200, board.body.slice(0, 200));
    assert.match(board.body, /<html/i);
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: admin });
    assert.equal(api.statusCode, 200);
    assert.ok((api.json() as { queues: { name: string }[] }).queues.some((q) => q.name === 'invoice.ocr'));
  });

  test('OpenAPI: operationIds, shared components, webhook payloads; redocly recommended rules report no problem', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      openapi: string; paths: Record<string, Record<string, { operationId?: string }>>; components: { schemas: Record<string, unknown> }; webhooks: Record<string, unknown>;
    };
    assert.equal(spec.openapi, '3.1.0');
    const ops = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op.operationId] as const));
    assert.ok(ops.length >= 15, `${ops.length} operations`);
    for (const [what, id] of ops) assert.ok(id, `${what} has an operationId`);
    assert.ok(!ops.some(([what]) => what.includes('/admin/queues/')), 'bull-board routes are not in the API description');
    for (const name of ['Error', 'Document', 'InvoiceRecord', 'Subscription', 'FailedJob', 'DeliveryLogEntry']) assert.ok(spec.components.schemas[name], `component ${name}`);
    assert.deepEqual(Object.keys(spec.webhooks).sort(), ['document.failed', 'record.created', 'record.updated']);
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(spec), absoluteRef: 'openapi.json', config });
    const shown = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`);
    // The one accepted finding: the two probes take no input, so they have no 4xx answer to describe.
    const accepted = ['#/paths/~1healthz/get/responses', '#/paths/~1readyz/get/responses'].map((at) => `warn operation-4xx-response: Operation must have at least one \`4XX\` response. @ ${at}`);
    assert.deepEqual(shown, accepted, shown.join('\n'));
  });

  test('every response carries its request id (X-Request-Id, echoed when given)', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc-123' } });
    assert.equal(res.headers['x-request-id'], 'trace-abc-123');
    assert.match((await app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  });
});
