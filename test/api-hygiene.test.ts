import assert from 'node:assert/strict';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { buildApi } from '../src/service/api/app.js';
import { silentLogger } from '../src/service/logger.js';
import { closeServiceContext, createServiceContext } from '../src/service/service-context.js';
import { API_KEY, multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, testConfig, type Harness } from './service-harness.js';
import { createStages, testDocument } from './service-stages.fixture.js';

/** Issue 16, failures 3 and 5: keys with `+`, timeouts, rate limits, 503 while Redis is down, malformed multipart. */
const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const PLUS_KEY = 'c2VjcmV0K2tleQ+/base64+key+0123456789==';

test('(3) LEDGERLENS_API_KEYS splits on commas only: base64 keys keep their +', () => {
  const config = loadConfig({ env: { LEDGERLENS_API_KEYS: `${PLUS_KEY}, second-key-0123456789abcdef` } });
  assert.deepEqual(config.api.apiKeys, [PLUS_KEY, 'second-key-0123456789abcdef']);
  assert.deepEqual(loadConfig({ env: { LEDGERLENS_OCR_LANGUAGES: 'eng+deu' } }).ocr.languages, ['eng', 'deu'], 'languages still split on +');
});

/** Raw HTTP over a socket: what a slow or broken client sends. */
function rawRequest(port: number): { socket: Socket; closed: Promise<{ ms: number; data: string }> } {
  const socket = connect(port, '127.0.0.1');
  const t0 = Date.now();
  let data = '';
  socket.on('data', (c: Buffer) => { data += c.toString('latin1'); });
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; data: string }>((resolve) => socket.on('close', () => resolve({ ms: Date.now() - t0, data })));
  return { socket, closed };
}

describe('HTTP hygiene', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  let port: number;
  const auth = { authorization: `Bearer ${PLUS_KEY}` };

  before(async () => {
    h = await startHarness(createStages(), {
      overrides: {
        api: {
          keys: [{ key: PLUS_KEY, tenant: 'default', role: 'member' }],
          headersTimeoutMs: 1000, requestTimeoutMs: 2000,
          rateLimit: { perIp: 100_000, perKey: 25, authFailuresPerIp: 10, windowMs: 60_000 },
        },
      },
    });
    app = await buildApi(h.ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  after(async () => { await app?.close(); await h?.close(); });

  test('(3) a key containing + is accepted whole; its halves are refused', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: auth })).statusCode, 200);
    for (const half of PLUS_KEY.split('+')) {
      assert.equal((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: `Bearer ${half}` } })).statusCode, 401);
    }
  });

  test('(5) headers that never finish: the connection is closed after api.headersTimeoutMs', async () => {
    const { socket, closed } = rawRequest(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const { ms, data } = await closed;
    assert.ok(ms < 4000, `closed after ${ms} ms`);
    assert.ok(data === '' || /^HTTP\/1\.1 408/.test(data), data);
  });

  test('(5) an upload that trickles in: 408 after api.requestTimeoutMs', async () => {
    const { socket, closed } = rawRequest(port);
    socket.write(`POST /v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PLUS_KEY}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n`);
    const drip = setInterval(() => socket.write('x'), 200);
    const { ms, data } = await closed;
    clearInterval(drip);
    assert.ok(ms < 5000, `closed after ${ms} ms`);
    assert.match(data, /^HTTP\/1\.1 408/);
  });

  test('(5) malformed multipart is 400 INVALID_INPUT; a second file part is refused clearly', async () => {
    const truncated = await app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=zz' }, payload: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc' });
    assert.equal(truncated.statusCode, 400, truncated.body);
    assert.equal(truncated.json().error.code, 'INVALID_INPUT');
    const garbage = await app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=zz' }, payload: 'this is not multipart at all' });
    assert.equal(garbage.statusCode, 400, garbage.body);
    const one = multipartBody(testDocument(['Invoice INV-H1']), 'a.pdf');
    const boundary = /boundary=(.*)$/.exec(one.headers['content-type']!)![1]!;
    const two = Buffer.concat([
      one.payload.subarray(0, one.payload.length - `--${boundary}--\r\n`.length),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="extra"; filename="b.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 second\r\n--${boundary}--\r\n`),
    ]);
    const second = await app.inject({ method: 'POST', url: '/v1/documents', headers: { ...auth, ...one.headers }, payload: two });
    assert.equal(second.statusCode, 400, second.body);
    assert.match(second.json().error.message, /exactly one file part/);
  });

  test('(5) wrong keys from one address are cut off (429 with Retry-After); then the per-key limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/records', headers: { authorization: `Bearer wrong-key-${i}-0123456789` }, remoteAddress: '10.9.9.9' })).statusCode);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.ok(statuses.slice(11).every((s) => s === 429), statuses.join(','));
    const refused = await app.inject({ method: 'GET', url: '/v1/records', headers: auth, remoteAddress: '10.9.9.9' });
    assert.equal(refused.statusCode, 429, 'a right key from a blocked address waits too');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    let lastOk = 0;
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/webhooks', headers: auth });
      if (res.statusCode === 200) lastOk = i + 1;
      else limited = res;
    }
    assert.ok(limited, 'the per-key limit answers');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.ok(lastOk <= 25, `${lastOk} requests passed`);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'probes are never limited');
  });
});

describe('(5) Redis down: 503 with Retry-After, not 500', () => {
  test('uploads and reads answer 503 UNAVAILABLE at once', async () => {
    // A port with a listener that is closed again: nothing answers there.
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { config } = await testConfig({ redis: { url: `redis://127.0.0.1:${deadPort}` } });
    const ctx = createServiceContext(config, { log: silentLogger });
    const app = await buildApi(ctx);
    try {
      await sleep(200);
      const { payload, headers } = multipartBody(testDocument(['Invoice INV-R1']), 'r.pdf');
      const t0 = Date.now();
      const upload = await app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, authorization: `Bearer ${API_KEY}` } });
      assert.equal(upload.statusCode, 503, upload.body);
      assert.equal(upload.json().error.code, 'UNAVAILABLE');
      assert.ok(Number(upload.headers['retry-after']) > 0);
      assert.ok(Date.now() - t0 < 3000, 'at once, not after reconnect attempts');
      const read = await app.inject({ method: 'GET', url: `/v1/documents/${'a'.repeat(64)}`, headers: { authorization: `Bearer ${API_KEY}` } });
      assert.equal(read.statusCode, 503);
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    } finally {
      await app.close();
      await closeServiceContext(ctx, 500);
    }
  });
});
