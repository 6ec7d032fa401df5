import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../src/core/errors.js';
import { buildApi } from '../src/service/api/app.js';
import { normaliseValue } from '../src/service/record-corrections.js';
import { multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';
import { createReviewStages, reviewDocument } from './ui-stages.fixture.js';

/** Issue 15: corrections through the API: record versions with an audit trail, record.updated, tenants. */
const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const KEYS = { acme: 'acme-key-0123456789abcdef', globex: 'globex-key-0123456789abcdef' };
const bearer = (who: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[who]}` });
const basic = (user: string, who: keyof typeof KEYS) => ({ authorization: `Basic ${Buffer.from(`${user}:${KEYS[who]}`).toString('base64')}` });

test('reviewer values are normalised as the extractor normalises them, or refused naming the field', () => {
  assert.equal(normaliseValue('total', '1.234,50 €', null), '1234.50');
  assert.equal(normaliseValue('total', '(12.00)', null), '-12.00');
  assert.equal(normaliseValue('invoiceDate', '03.04.2024', null), '2024-04-03');
  assert.equal(normaliseValue('invoiceDate', '2024-12-31', null), '2024-12-31');
  assert.equal(normaliseValue('currency', 'eur', null), 'EUR');
  assert.equal(normaliseValue('currency', '£', null), 'GBP');
  assert.equal(normaliseValue('paymentTerms.netDays', '30', null), 30);
  assert.equal(normaliseValue('lineItems.0.taxRate', '19,0 %', null), '19');
  assert.equal(normaliseValue('payment.iban', 'DE89 3704 0044 0532 0130 00', null), 'DE89370400440532013000');
  assert.equal(normaliseValue('vendor.name', '  ACME   GmbH ', null), 'ACME GmbH');
  assert.equal(normaliseValue('vendor.name', '   ', null), null);
  for (const [path, value] of [['total', 'abc'], ['invoiceDate', '31.31.2024'], ['payment.iban', 'DE00 1234'], ['documentType', 'bill']]) {
    assert.throws(() => normaliseValue(path!, value!, null), (e: unknown) => e instanceof LedgerlensError && e.code === 'INVALID_INPUT' && e.message.startsWith(`${path}:`), `${path}=${value}`);
  }
});

describe('corrections API (real Redis, fastify inject)', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  let hook: Server;
  const received: { event: string; version?: number; total?: string; headerEvent: string }[] = [];

  before(async () => {
    h = await startHarness(createReviewStages(), {
      overrides: { api: { apiKeys: [], keys: [{ key: KEYS.acme, tenant: 'acme', role: 'member' }, { key: KEYS.globex, tenant: 'globex', role: 'member' }] } },
    });
    app = await buildApi(h.ctx);
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const e = JSON.parse(body) as { event: string; version?: number; record: { total?: string } | null };
        received.push({ event: e.event, version: e.version, total: e.record?.total, headerEvent: String(req.headers['x-ledgerlens-event']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  after(async () => { await app?.close(); await h?.close(); await new Promise((r) => hook.close(r)); });

  async function uploaded(bytes: Buffer, who: keyof typeof KEYS = 'acme'): Promise<string> {
    const { payload, headers } = multipartBody(bytes, 'review.pdf');
    const res = await app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, ...bearer(who) } });
    assert.equal(res.statusCode, 202, res.body);
    const id = (res.json() as { id: string }).id;
    // The real text stage (a sample PDF) loads pdfjs first: a generous deadline on a loaded machine.
    const doc = await waitFor(`document ${id}`, async () => {
      const d = await h.ctx.state.get(id);
      return d && (d.status === 'completed' || d.status === 'failed') ? d : null;
    }, 120_000);
    assert.equal(doc.status, 'completed', `${doc.errorCode}: ${doc.errorMessage}`);
    return id;
  }
  const patch = (id: string, body: unknown, headers: Record<string, string> = bearer('acme')) =>
    app.inject({ method: 'PATCH', url: `/v1/documents/${id}/record`, payload: body as object, headers });
  const get = (url: string, headers: Record<string, string> = bearer('acme')) => app.inject({ method: 'GET', url, headers });

  test('a correction is a new version: normalised, audited (who, when, from -> to), the original kept, the record and example updated', async () => {
    const id = await uploaded(reviewDocument('a'));
    const before = Date.now();
    const res = await patch(id, { fields: { total: '1.234,50 €' }, baseVersion: 1 }, basic('alice', 'acme'));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-ledgerlens-record-version'], '2');
    const { version, record } = res.json() as { version: { version: number; kind: string; author: { user: string; tenant: string; keyId: string }; createdAt: string; changes: { path: string; from: string; to: string }[] }; record: { total: string; fields: Record<string, { confidence: number; review: boolean; provenance: unknown }>; warnings: { code: string }[] } };
    assert.equal(version.version, 2);
    assert.equal(version.kind, 'correction');
    assert.equal(version.author.user, 'alice');
    assert.equal(version.author.tenant, 'acme');
    assert.match(version.author.keyId, /^[0-9a-f]{12}$/);
    assert.ok(Date.parse(version.createdAt) >= before - 1000);
    assert.deepEqual(version.changes.map(({ path, from, to }) => ({ path, from, to })), [{ path: 'total', from: '123.45', to: '1234.50' }]);
    assert.equal(record.total, '1234.50');
    assert.deepEqual({ ...record.fields.total }, { confidence: 1, review: false, method: 'review', provenance: null }, 'a typed value points at no words; the reviewer set it');
    // 100.00 + 19.00 is not 1234.50: the untouched terms of the failing check go under review
    assert.ok(record.warnings.some((w) => w.code === 'TOTALS_MISMATCH'));
    assert.equal(record.fields.subtotal!.review, true);

    const current = (await get(`/v1/documents/${id}/record`)).json() as { total: string };
    assert.equal(current.total, '1234.50', 'GET record serves the newest version');
    const v1 = (await get(`/v1/documents/${id}/record/versions/1`)).json() as { total: string; fields: Record<string, { review: boolean }> };
    assert.equal(v1.total, '123.45', 'the extracted record is kept as version 1');
    assert.equal(v1.fields.total!.review, true);
    const versions = (await get(`/v1/documents/${id}/record/versions`)).json() as { versions: { version: number; kind: string; author: unknown }[] };
    assert.deepEqual(versions.versions.map((v) => [v.version, v.kind]), [[1, 'extracted'], [2, 'correction']]);
    assert.equal(versions.versions[0]!.author, null);

    const example = JSON.parse(await readFile(join(h.ctx.store.examplesDir, id, 'v2.json'), 'utf8')) as { format: string; tenant: string; labels: { path: string; value: string; previous: string; source: string }[]; text: { pages: unknown[] } };
    assert.equal(example.format, 'ledgerlens.example/1');
    assert.equal(example.tenant, 'acme');
    assert.deepEqual(example.labels.map(({ path, value, previous, source }) => ({ path, value, previous, source })), [{ path: 'total', value: '1234.50', previous: '123.45', source: 'typed' }]);
    assert.equal(example.text.pages.length, 1);
  });

  test('a value picked from words gets those words as provenance; a stale baseVersion is a conflict; bad values are 400', async () => {
    const id = await uploaded(reviewDocument('b'));
    const text = (await get(`/v1/documents/${id}/text`)).json() as { pages: { words: { text: string; bbox: number[] }[] }[] };
    const index = text.pages[0]!.words.findIndex((w) => w.text === '03.04.2024');
    const totalIndex = text.pages[0]!.words.findIndex((w) => w.text === '123.45');
    const res = await patch(id, { fields: { invoiceDate: { value: '04.03.2024', words: [{ page: 1, index }] }, total: { value: '119,00', words: [{ page: 1, index: totalIndex }] } } });
    assert.equal(res.statusCode, 200, res.body);
    const { record } = res.json() as { record: { invoiceDate: string; total: string; warnings: { code: string }[]; fields: Record<string, { review: boolean; provenance: { page: number; bbox: number[]; text: string } | null }> } };
    assert.equal(record.invoiceDate, '2024-03-04');
    assert.deepEqual(record.fields.invoiceDate!.provenance, { page: 1, bbox: text.pages[0]!.words[index]!.bbox, text: '03.04.2024' });
    assert.equal(record.total, '119.00');
    assert.ok(!record.warnings.some((w) => w.code === 'TOTALS_MISMATCH'), '100.00 + 19.00 = 119.00');

    const stale = await patch(id, { fields: { total: '120.00' }, baseVersion: 1 });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /version 2/);
    for (const body of [{ fields: { total: 'twelve' } }, { fields: { 'vendor.colour': 'red' } }, { fields: { 'lineItems.3.amount': '1.00' } }, {}, { fields: { invoiceDate: { value: '1.1.2024', words: [{ page: 1, index: 999 }] } } }]) {
      const bad = await patch(id, body);
      assert.equal(bad.statusCode, 400, JSON.stringify(body));
      assert.equal((bad.json() as { error: { code: string } }).error.code, 'INVALID_INPUT');
    }
    const versions = (await get(`/v1/documents/${id}/record/versions`)).json() as { versions: unknown[] };
    assert.equal(versions.versions.length, 2, 'refused corrections add no version');
  });

  test('review queue: needsReview lists records with unconfirmed review fields; confirming takes every field out of review', async () => {
    const id = await uploaded(reviewDocument('c'));
    const queue = async () => ((await get('/v1/review/documents?needsReview=true&limit=200')).json() as { documents: { document: { id: string }; review: { reviewCount: number; reviewed: boolean; total: string; version: number } }[] }).documents;
    const listed = (await queue()).find((d) => d.document.id === id);
    assert.ok(listed, 'listed while fields are under review');
    assert.equal(listed.review.reviewCount, 2);
    assert.equal(listed.review.total, '123.45');
    const res = await patch(id, { reviewed: true });
    assert.equal(res.statusCode, 200, res.body);
    const { version, record } = res.json() as { version: { kind: string; reviewed: boolean; changes: unknown[] }; record: { fields: Record<string, { review: boolean }> } };
    assert.equal(version.kind, 'confirmation');
    assert.equal(version.reviewed, true);
    assert.ok(Object.values(record.fields).every((f) => !f.review));
    assert.equal((await queue()).find((d) => d.document.id === id), undefined, 'a confirmed record leaves the queue');
    const all = ((await get('/v1/review/documents?limit=200')).json() as { documents: { document: { id: string }; review: { reviewed: boolean; version: number } }[] }).documents;
    const summary = all.find((d) => d.document.id === id)?.review;
    assert.deepEqual(summary && { reviewed: summary.reviewed, version: summary.version }, { reviewed: true, version: 2 });
    const example = JSON.parse(await readFile(join(h.ctx.store.examplesDir, id, 'v2.json'), 'utf8')) as { kind: string; labels: { path: string; source: string; words: { text: string }[] }[] };
    assert.equal(example.kind, 'confirmation');
    const total = example.labels.find((l) => l.path === 'total');
    assert.deepEqual(total && { source: total.source, words: total.words.map((w) => w.text) }, { source: 'confirmed', words: ['123.45'] });
  });

  test('record.updated goes to subscribers, once per version (a second correction is not deduplicated against the first)', async () => {
    const sub = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer('acme'), payload: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, secret: 'review-hook-secret-0123', events: ['record.updated'] } });
    assert.equal(sub.statusCode, 201, sub.body);
    const id = await uploaded(reviewDocument('d'));
    assert.equal((await patch(id, { fields: { total: '119.00' } })).statusCode, 200);
    assert.equal((await patch(id, { fields: { total: '119.50' } })).statusCode, 200);
    await waitFor('two record.updated deliveries', async () => received.filter((r) => r.event === 'record.updated').length >= 2);
    const updates = received.filter((r) => r.event === 'record.updated').sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
    assert.deepEqual(updates.map((u) => [u.version, u.total, u.headerEvent]), [[2, '119.00', 'record.updated'], [3, '119.50', 'record.updated']]);
    assert.ok(!received.some((r) => r.event === 'record.created'), 'the subscription asked for record.updated only');
  });

  test('tenants: another tenant\'s document is 404 for corrections, versions, text and the queue', async () => {
    const id = await uploaded(reviewDocument('e'));
    assert.equal((await patch(id, { fields: { total: '1.00' } }, bearer('globex'))).statusCode, 404);
    for (const url of [`/v1/documents/${id}/record/versions`, `/v1/documents/${id}/record/versions/1`, `/v1/documents/${id}/text`, `/v1/documents/${id}/pages/1/image`]) {
      assert.equal((await get(url, bearer('globex'))).statusCode, 404, url);
    }
    const queue = (await get('/v1/review/documents?limit=200', bearer('globex'))).json() as { documents: { document: { id: string } }[] };
    assert.ok(!queue.documents.some((d) => d.document.id === id));
    const versions = (await get(`/v1/documents/${id}/record/versions`)).json() as { versions: unknown[] };
    assert.equal(versions.versions.length, 1, 'the refused correction added nothing');
  });

  test('a PDF page is rendered once to a PNG whose shape is the page\'s; a page it does not have is 404', async () => {
    const id = await uploaded(await readFile('samples/rechnung-de-din5008.pdf'));
    const text = (await get(`/v1/documents/${id}/text`)).json() as { pages: { width: number; height: number; words: unknown[] }[] };
    assert.ok(text.pages[0]!.words.length > 20, 'the text layer was read');
    const res = await get(`/v1/documents/${id}/pages/1/image`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 200));
    assert.equal(res.headers['content-type'], 'image/png');
    const png = res.rawPayload;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(Math.abs(width / height - text.pages[0]!.width / text.pages[0]!.height) < 0.01, `${width}x${height}`);
    assert.ok(width > text.pages[0]!.width, 'rendered above 72 dpi');
    assert.ok(await h.ctx.store.hasDocumentFile(id, 'pages/p1.png'), 'kept in the store');
    assert.deepEqual((await get(`/v1/documents/${id}/pages/1/image`)).rawPayload, png, 'served again from the store');
    assert.equal((await get(`/v1/documents/${id}/pages/2/image`)).statusCode, 404);
  });

  test('deleting a document removes its versions and examples', async () => {
    const id = await uploaded(reviewDocument('f'));
    assert.equal((await patch(id, { fields: { total: '2.00' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/documents/${id}`, headers: bearer('acme') })).statusCode, 204);
    assert.equal(await h.ctx.redis.exists(`${h.prefix}:versions:${id}`), 0);
    await assert.rejects(readFile(join(h.ctx.store.examplesDir, id, 'v2.json')), { code: 'ENOENT' });
  });

  test('the page is served at /ui behind the keys: Basic challenge for browsers and for the page\'s own API calls', async () => {
    const anon = await get('/ui', {});
    assert.equal(anon.statusCode, 401);
    assert.match(String(anon.headers['www-authenticate']), /^Basic /);
    const page = await get('/ui', basic('alice', 'acme'));
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<script type="module" src="\/ui\/assets\/app.js">/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    const js = await get('/ui/assets/app.js', basic('alice', 'acme'));
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await get('/ui/assets/../../package.json', basic('alice', 'acme'))).statusCode, 404);
    const fromPage = await get('/v1/review/documents', { 'x-ledgerlens-client': 'ui' });
    assert.equal(fromPage.statusCode, 401);
    assert.match(String(fromPage.headers['www-authenticate']), /^Basic /);
    assert.match(String((await get('/v1/review/documents', {})).headers['www-authenticate']), /^Bearer /, 'other API clients keep the Bearer challenge');
  });
});
