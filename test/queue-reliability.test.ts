import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../src/service/api/app.js';
import { runBatch } from '../src/service/batch.js';
import { scanInbox, type InboxScanResult } from '../src/service/inbox.js';
import { ingestDocument } from '../src/service/ingest.js';
import { startService } from '../src/service/runtime.js';
import { silentLogger } from '../src/service/logger.js';
import { createServiceContext } from '../src/service/service-context.js';
import { API_KEY, REDIS_URL, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';
import { createStages, testDocument } from './service-stages.fixture.js';

const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const auth = { authorization: `Bearer ${API_KEY}` };

async function settled(h: Harness, id: string) {
  return waitFor(`document ${id} to finish`, async () => {
    const doc = await h.ctx.state.get(id);
    return doc && (doc.status === 'completed' || doc.status === 'failed') ? doc : null;
  });
}

describe('failures: permanent, transient, dead letters and retry', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  before(async () => {
    h = await startHarness(createStages());
    app = await buildApi(h.ctx);
  });
  after(async () => { await app?.close(); await h?.close(); });

  test('a permanent error fails at once, with its code on the document and in /v1/failed', async () => {
    const { document } = await ingestDocument(h.ctx, testDocument(['FAIL:CORRUPT']), 'bad.pdf');
    const doc = await settled(h, document.id);
    assert.equal(doc.status, 'failed');
    assert.equal(doc.errorCode, 'CORRUPT_DOCUMENT');
    assert.equal(doc.stage, 'ocr');
    // The document's state is written before BullMQ finishes moving the job to failed: wait for that.
    const job = await waitFor('the ocr job to be marked failed', async () => {
      const j = await h.ctx.queues.queue('invoice.ocr').getJob(`ocr-${document.id}`);
      return j?.finishedOn ? j : null;
    });
    assert.equal(job.attemptsMade, 1, 'not retried');
    const failed = (await app.inject({ method: 'GET', url: '/v1/failed', headers: auth })).json() as { failed: { jobId: string; error: { code: string } }[] };
    const entry = failed.failed.find((f) => f.jobId === `ocr-${document.id}`);
    assert.equal(entry?.error.code, 'CORRUPT_DOCUMENT');
  });

  test('a transient error is retried with backoff and then succeeds', async () => {
    const { document } = await ingestDocument(h.ctx, testDocument(['FAIL:TRANSIENT:2', 'Invoice INV-7', 'Total 7.00 EUR']), 'flaky.pdf');
    const doc = await settled(h, document.id);
    assert.equal(doc.status, 'completed');
    const job = await h.ctx.queues.queue('invoice.ocr').getJob(`ocr-${document.id}`);
    assert.equal(job?.attemptsMade, 3, 'two failed attempts, then the one that succeeded');
    assert.equal(await h.ctx.redis.zscore(h.ctx.state.recordsKey, document.id) !== null, true);
  });

  test('attempts exhausted -> dead letter; POST retry runs it again to a record', async () => {
    const { document } = await ingestDocument(h.ctx, testDocument(['FAIL:TRANSIENT:5', 'Invoice INV-8', 'Total 8.00 EUR']), 'flakier.pdf');
    const failed = await settled(h, document.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorCode, 'OCR_FAILED');
    const list = (await app.inject({ method: 'GET', url: '/v1/failed', headers: auth })).json() as { failed: { jobId: string; error: { code: string }; attemptsMade: number }[] };
    const entry = list.failed.find((f) => f.jobId === `ocr-${document.id}`);
    assert.deepEqual([entry?.error.code, entry?.attemptsMade], ['OCR_FAILED', 3]);
    const retry = await app.inject({ method: 'POST', url: `/v1/failed/ocr-${document.id}/retry`, headers: auth });
    assert.equal(retry.statusCode, 202, retry.body);
    const again = await app.inject({ method: 'POST', url: `/v1/failed/ocr-${document.id}/retry`, headers: auth });
    assert.ok([202, 409].includes(again.statusCode));
    const done = await settled(h, document.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.errorCode, null);
    assert.equal(await h.ctx.redis.zcard(h.ctx.state.recordsKey) >= 1, true);
  });
});

describe('webhooks', { skip }, () => {
  let h: Harness;
  let server: Server;
  let slow: Server;
  const received: { headers: IncomingMessage['headers']; body: string; answered: number }[] = [];
  let failFirst = 2;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        const answered = failFirst-- > 0 ? 503 : 200;
        received.push({ headers: req.headers, body, answered });
        res.writeHead(answered).end();
      });
    });
    // A subscriber that never answers: it must not hold up the pipeline or other subscribers.
    slow = createServer(() => { /* never responds */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    h = await startHarness(createStages(), { overrides: { webhooks: { timeoutMs: 300 } } });
  });
  after(async () => {
    await h?.close();
    slow?.closeAllConnections();
    await new Promise((r) => server.close(r));
    await new Promise((r) => slow.close(r));
  });

  test('signed delivery, retried with backoff, logged, delivered once; a dead subscriber blocks nothing', async () => {
    const secret = 'whsec-0123456789abcdef';
    const sub = await h.ctx.webhooks.add({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, secret, events: ['record.created'] });
    const dead = await h.ctx.webhooks.add({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`, secret, events: ['record.created'] });
    const started = Date.now();
    const { document } = await ingestDocument(h.ctx, testDocument(['Invoice INV-55', 'Total 55.00 EUR']), 'hook.pdf');
    assert.equal((await settled(h, document.id)).status, 'completed');
    assert.ok(Date.now() - started < 5000, 'the record does not wait for subscribers');
    await waitFor('the successful delivery', async () => received.find((r) => r.answered === 200));
    assert.equal(received.length, 3, 'two refused attempts, one accepted');
    for (const r of received) {
      const ts = r.headers['x-ledgerlens-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
      assert.equal(r.headers['x-ledgerlens-signature'], expected, 'HMAC-SHA256 over `${timestamp}.${body}`');
      assert.equal(r.headers['x-ledgerlens-event'], 'record.created');
    }
    assert.equal(new Set(received.map((r) => r.headers['x-ledgerlens-delivery'])).size, 1, 'one delivery id across retries');
    const payload = JSON.parse(received[2]!.body) as { event: string; documentId: string; record: { invoiceNumber: string } };
    assert.deepEqual([payload.event, payload.documentId, payload.record.invoiceNumber], ['record.created', document.id, 'INV-55']);
    // The subscriber answers before the worker writes the log entry: wait for it.
    const log = await waitFor('the delivery log', async () => {
      const entries = await h.ctx.webhooks.deliveries(sub.id);
      return entries.length === 3 ? entries : null;
    });
    assert.deepEqual(log.map((e) => e.outcome), ['delivered', 'failed', 'failed']);
    assert.deepEqual(log.map((e) => e.httpStatus), [200, 503, 503]);
    // Re-running the fan-out (a recovered extract job) adds no delivery.
    const { fanOut } = await import('../src/service/stage-runner.js');
    await fanOut(h.ctx, document.id, 'record.created');
    await sleep(300);
    assert.equal(received.length, 3);
    const deadLog = await waitFor('a timed-out attempt to the dead subscriber', async () => {
      const entries = await h.ctx.webhooks.deliveries(dead.id);
      return entries.length > 0 ? entries : null;
    });
    assert.equal(deadLog[0]!.outcome, 'failed');
  });
});

describe('webhooks: failures are announced too', { skip }, () => {
  test('a permanently failed document sends one document.failed event with its error code', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => { bodies.push(body); res.writeHead(200).end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const h = await startHarness(createStages());
    try {
      await h.ctx.webhooks.add({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, secret: 'failed-events-secret-01', events: ['document.failed'] });
      const ok = await ingestDocument(h.ctx, testDocument(['Invoice INV-1', 'Total 1.00 EUR']), 'ok.pdf');
      const bad = await ingestDocument(h.ctx, testDocument(['FAIL:CORRUPT', 'x']), 'bad.pdf');
      await settled(h, ok.document.id);
      await settled(h, bad.document.id);
      await waitFor('the failure event', async () => bodies.length > 0);
      await sleep(300);
      assert.equal(bodies.length, 1, 'only the failure, and only once (no record.created subscription)');
      const event = JSON.parse(bodies[0]!) as { event: string; documentId: string; document: { errorCode: string }; record: unknown };
      assert.deepEqual([event.event, event.documentId, event.document.errorCode, event.record], ['document.failed', bad.document.id, 'CORRUPT_DOCUMENT', null]);
    } finally {
      await h.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('recovery from dropped Redis connections', { skip }, () => {
  let h: Harness;
  before(async () => { h = await startHarness(createStages()); });
  after(async () => { await h?.close(); });

  test('CLIENT KILL of every connection of this deployment mid-processing: all documents complete once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { document } = await ingestDocument(h.ctx, testDocument([`SLOW:300`, `Invoice INV-90${i}`, `Total 9${i}.00 EUR`]), `r${i}.pdf`);
      ids.push(document.id);
    }
    await waitFor('processing to start', async () => (await h.ctx.state.get(ids[0]!))?.status === 'processing');
    const admin = new Redis(REDIS_URL);
    try {
      for (let round = 0; round < 2; round++) {
        await sleep(round * 400);
        const list = await admin.client('LIST') as string;
        const ours = list.split('\n').filter((l) => l.includes(` name=${h.prefix}:`)).map((l) => /\bid=(\d+)/.exec(l)?.[1]).filter(Boolean) as string[];
        if (round === 0) assert.ok(ours.length >= 5, `found this test's connections (${ours.length})`);
        for (const id of ours) await admin.client('KILL', 'ID', id).catch(() => 0);
      }
    } finally {
      admin.disconnect();
    }
    for (const id of ids) assert.equal((await settled(h, id)).status, 'completed');
    assert.equal(await h.ctx.redis.zcard(h.ctx.state.recordsKey), ids.length, 'one record each');
    const ner = await h.ctx.queues.queue('invoice.ner').getJobs(['completed']);
    assert.equal(ner.length, ids.length, 'one ner job each');
  });
});

describe('scheduled inbox', { skip }, () => {
  test('two scheduler replicas take each inbox file exactly once and move it', async () => {
    const h = await startHarness(createStages(), { overrides: { inbox: { everyMs: 150 } } });
    const inbox = join(h.dir, 'inbox');
    await mkdir(inbox, { recursive: true });
    const config = { ...h.config, inbox: { ...h.config.inbox, dir: inbox } };
    // Two replicas, each with its own connections, each registering the schedule and running the inbox role.
    const replicas = await Promise.all([0, 1].map(() => startService({ ...createServiceContext(config, { log: silentLogger }), stages: h.ctx.stages, stagesModule: null }, { roles: ['inbox'] })));
    try {
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 5; i++) files[`inv-${i}.pdf`] = testDocument([`Invoice INV-60${i}`, `Total 6${i}.00 EUR`]);
      files['copy-of-inv-0.pdf'] = files['inv-0.pdf']!; // same content: the same document
      files['corrupt.pdf'] = testDocument(['FAIL:CORRUPT']);
      files['notes.txt'] = Buffer.from('not an invoice');
      await Promise.all(Object.entries(files).map(([name, bytes]) => writeFile(join(inbox, name), bytes)));
      // Plus two direct scans racing the scheduled ones.
      const direct = await Promise.all(replicas.map((r) => scanInbox(r.ctx, inbox)));
      await waitFor('the inbox to empty', async () => (await readdir(inbox, { withFileTypes: true })).filter((e) => e.isFile()).length === 0, 20_000);
      const scheduled = (await h.ctx.queues.queue('invoice.inbox').getCompleted(0, -1)).map((j) => j.returnvalue as InboxScanResult);
      assert.ok(scheduled.length >= 2, 'the schedule ran');
      const enqueued = [...direct, ...scheduled].flatMap((r) => Object.values(r.enqueued));
      assert.equal(enqueued.length, 6, 'six distinct contents (five invoices, one corrupt), each enqueued once');
      assert.equal(new Set(enqueued).size, 6);
      assert.deepEqual((await readdir(join(inbox, 'processed'))).sort(), ['copy-of-inv-0.pdf', 'inv-0.pdf', 'inv-1.pdf', 'inv-2.pdf', 'inv-3.pdf', 'inv-4.pdf']);
      assert.deepEqual((await readdir(join(inbox, 'failed'))).sort(), ['corrupt.pdf', 'corrupt.pdf.error.json', 'notes.txt', 'notes.txt.error.json']);
      assert.equal(await h.ctx.redis.zcard(h.ctx.state.recordsKey), 5);
      const schedulers = await h.ctx.queues.queue('invoice.inbox').getJobSchedulers();
      assert.equal(schedulers.length, 1, 'both replicas upserted one schedule');
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await h.close();
    }
  });

  test('batch: one pass over a folder, waits for every record, moves the files', async () => {
    const h = await startHarness(createStages());
    try {
      const folder = join(h.dir, 'batch');
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'a.pdf'), testDocument(['Invoice INV-801', 'Total 81.00 EUR']));
      await writeFile(join(folder, 'b.pdf'), testDocument(['Invoice INV-802', 'Total 82.00 EUR']));
      await writeFile(join(folder, 'c.pdf'), testDocument(['FAIL:CORRUPT']));
      await writeFile(join(folder, 'd.txt'), 'plain text');
      const results = await runBatch(h.ctx, folder, { timeoutMs: 20_000, pollMs: 50 });
      assert.deepEqual(results.map((r) => [r.file, r.status, r.errorCode]), [
        ['a.pdf', 'completed', null], ['b.pdf', 'completed', null], ['c.pdf', 'failed', 'CORRUPT_DOCUMENT'], ['d.txt', 'rejected', 'UNSUPPORTED_MEDIA_TYPE'],
      ]);
      assert.deepEqual((await readdir(join(folder, 'processed'))).sort(), ['a.pdf', 'b.pdf']);
      assert.deepEqual((await readdir(join(folder, 'failed'))).sort(), ['c.pdf', 'c.pdf.error.json', 'd.txt', 'd.txt.error.json']);
    } finally {
      await h.close();
    }
  });
});
