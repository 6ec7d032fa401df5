import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../src/service/api/app.js';
import { parseInvoiceXml } from '../src/einvoice/einvoice.js';
import { API_KEY, multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';
import { createStages, testDocument } from './service-stages.fixture.js';
import { fullRecord } from './record-fixtures.js';

/** GET /v1/documents/:id/record?format=ubl|cii: the stored record as e-invoice XML, or 422 naming what it lacks. */
const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const auth = { authorization: `Bearer ${API_KEY}` };

describe('record as UBL / CII over the API', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  before(async () => {
    const stages = createStages();
    // documents that say "FULL" get a complete record; others the fixture's sparse one
    const extract = stages.extract.bind(stages);
    stages.extract = async (text, spans) => (/FULL/.test(text.text) ? { ...fullRecord(), source: text.source } : extract(text, spans));
    h = await startHarness(stages);
    app = await buildApi(h.ctx, { readiness: [() => ({ name: 'model', ok: true })] });
  });
  after(async () => {
    await app?.close();
    await h?.close();
  });

  async function completed(lines: string[]): Promise<string> {
    const { payload, headers } = multipartBody(testDocument(lines), 'x.pdf');
    const res = await app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, ...auth } });
    const id = (res.json() as { id: string }).id;
    await waitFor(`document ${id}`, async () => {
      const s = (await app.inject({ method: 'GET', url: `/v1/documents/${id}`, headers: auth })).json() as { status: string };
      return s.status === 'completed' ? s : null;
    });
    return id;
  }

  test('?format=ubl and ?format=cii return XML the reader reads back; json stays the default', async () => {
    const id = await completed(['FULL Invoice INV-2001', 'Total 339.05 EUR']);
    const ubl = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record?format=ubl`, headers: auth });
    assert.equal(ubl.statusCode, 200);
    assert.match(String(ubl.headers['content-type']), /^application\/xml/);
    const src = { file: null, sha256: id, mediaType: 'application/xml' as const, bytes: 1, pages: 0 };
    assert.equal(parseInvoiceXml(ubl.body, src).total, '339.05');
    const cii = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record?format=cii`, headers: auth });
    assert.equal(cii.statusCode, 200);
    assert.equal(parseInvoiceXml(cii.body, src).payment.iban, 'DE89370400440532013000');
    const json = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record`, headers: auth });
    assert.equal((json.json() as { schemaVersion: number }).schemaVersion, 2);
    const bad = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record?format=pdf`, headers: auth });
    assert.equal(bad.statusCode, 400);
  });

  test('a record lacking what the syntax needs: 422 INCOMPLETE_RECORD naming the fields', async () => {
    const id = await completed(['Invoice INV-2002', 'Total 12.00 EUR']);
    const res = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record?format=ubl`, headers: auth });
    assert.equal(res.statusCode, 422);
    const body = res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'INCOMPLETE_RECORD');
    assert.match(body.error.message, /invoiceDate, vendor\.name, lineItems/);
  });

  test('the OpenAPI document names the format parameter and the XML media type', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, { content?: Record<string, unknown> }> } }> };
    const route = doc.paths['/v1/documents/{id}/record']!.get;
    assert.ok(route.parameters.some((p) => p.name === 'format'));
    assert.ok(route.responses['200']!.content!['application/xml']);
    assert.ok(route.responses['422']);
  });
});
