/**
 * Load benchmark of the queue service over loopback (bounded: defaults 200 documents, 20 clients).
 *   nice -n 10 node --import tsx bench/load.bench.ts [--docs 200] [--clients 20] [--stages MODULE]
 * 1. generates invoices (src/synth), 2. runs ocr -> ner -> extract in-process on each, one after
 * the other (what `ledgerlens extract` does), 3. starts the API and every worker role in this
 * process (OCR sandboxed in child processes, default concurrency) on a fresh key prefix and store,
 * 4. uploads all documents over HTTP from N concurrent clients and waits for every record.
 * Prints docs/min both ways and their ratio, p50/p95 upload-to-record latency, Redis memory of the
 * run's keys, peak RSS of the service process and its sandboxes, and lost / duplicated / differing records.
 * Needs Redis at LEDGERLENS_REDIS_URL (default 127.0.0.1:6379); deletes its keys and store afterwards.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import type { InvoiceRecord } from '../src/core/invoice-record.js';
import type { Stages } from '../src/pipeline/stage-types.js';
import { createServiceContext } from '../src/service/service-context.js';
import { startService } from '../src/service/runtime.js';
import { silentLogger } from '../src/service/logger.js';
import { sha256 } from '../src/service/content.store.js';
import { loadStages, resolveStagesModule } from '../src/service/stages-loader.js';
import { generateInvoice } from '../src/synth/generate.js';

const { values } = parseArgs({ options: {
  docs: { type: 'string', default: '200' }, clients: { type: 'string', default: '20' }, stages: { type: 'string' },
  warmup: { type: 'string', default: '20' },
} });
const N = Number(values.docs);
const CLIENTS = Number(values.clients);
/** Documents run before either measurement (JIT warm-up of pdfjs and friends: the first pass costs ~2x). */
const WARMUP = Number(values.warmup);
const KEY = 'bench-key-0123456789abcdef';
const prefix = `llbench-${randomBytes(4).toString('hex')}`;
const dir = await mkdtemp(join(tmpdir(), 'ledgerlens-bench-'));
const config = loadConfig({ overrides: { redis: { prefix }, store: { dir: join(dir, 'store') }, api: { port: 0, apiKeys: [KEY] } } });
const stagesModule = resolveStagesModule(values.stages ?? null);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};
const childrenOf = (pid: number): number[] => {
  const path = `/proc/${pid}/task/${pid}/children`;
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
/** CPU seconds of a process (utime + stime from /proc, clock ticks of 1/100 s). */
const cpuOfPid = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
/** CPU seconds of this process and its live children (the sandboxed OCR processors). */
const ownCpu = () => {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6;
};
const childCpu = () => childrenOf(process.pid).reduce((s, pid) => s + cpuOfPid(pid), 0);
const cpuNow = () => ownCpu() + childCpu();

// 1. documents
const docs: { name: string; pdf: Uint8Array; id: string }[] = [];
for (let i = 0; i < N; i++) {
  const g = await generateInvoice(1000 + i, { name: `bench-${i}` });
  docs.push({ name: `${g.name}.pdf`, pdf: g.pdf, id: sha256(g.pdf) });
}
const distinct = new Set(docs.map((d) => d.id)).size;
const warmDocs: { name: string; pdf: Uint8Array }[] = [];
for (let i = 0; i < WARMUP; i++) {
  const g = await generateInvoice(900_000 + i, { name: `warm-${i}` });
  warmDocs.push({ name: `${g.name}.pdf`, pdf: g.pdf });
}

// 2. in-process baseline
const stages: Stages = await loadStages(config, stagesModule);
const inProcess = new Map<string, InvoiceRecord>();
for (const d of warmDocs) {
  const o = await stages.ocr(d.pdf, { file: d.name }, { config });
  if (o.kind === 'text') await stages.extract(o.text, await stages.ner(o.text, { config }), { config });
}
const t0 = performance.now();
const cpu0 = cpuNow();
for (const d of docs) {
  const ctx = { config };
  const o = await stages.ocr(d.pdf, { file: d.name }, ctx);
  inProcess.set(d.id, o.kind === 'record' ? o.record : await stages.extract(o.text, await stages.ner(o.text, ctx), ctx));
}
const inProcessMs = performance.now() - t0;
const inProcessCpu = cpuNow() - cpu0;

// 3. the service
const ctx = { ...createServiceContext(config, { log: silentLogger }), stages, stagesModule };
const service = await startService(ctx, { roles: ['ocr', 'ner', 'extract', 'deliver'], api: true });
service.api!.log.level = 'warn';
const base = `http://127.0.0.1:${(service.api!.server.address() as AddressInfo).port}`;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssOf(process.pid) + childrenOf(process.pid).reduce((s, pid) => s + rssOf(pid), 0));
}, 250);
// Warm-up: the same warm-up documents through the service (starts and warms the sandboxed OCR children).
{
  const ids = await Promise.all(warmDocs.map(async (d) => {
    const form = new FormData();
    form.append('file', new Blob([d.pdf]), d.name);
    const res = await fetch(`${base}/v1/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${KEY}` } });
    return ((await res.json()) as { id: string }).id;
  }));
  for (const id of ids) while ((await ctx.state.get(id))?.status !== 'completed') await sleep(100);
}
// 4. concurrent uploads
const cpu1 = cpuNow();
const child1 = childCpu();
const uploadedAt = new Map<string, number>();
let next = 0;
const t1 = Date.now();
await Promise.all(Array.from({ length: CLIENTS }, async () => {
  while (next < docs.length) {
    const d = docs[next++]!;
    const form = new FormData();
    form.append('file', new Blob([d.pdf]), d.name);
    const started = Date.now();
    const res = await fetch(`${base}/v1/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${KEY}` } });
    if (res.status !== 202 && res.status !== 200) throw new Error(`upload ${d.name}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (!uploadedAt.has(d.id)) uploadedAt.set(d.id, started);
  }
}));
const uploadMs = Date.now() - t1;
const deadline = Date.now() + 30 * 60_000;
for (;;) {
  const done = (await ctx.redis.zcard(ctx.state.recordsKey)) - WARMUP;
  const failed = (await ctx.queues.queue('invoice.ocr').getFailedCount()) + (await ctx.queues.queue('invoice.ner').getFailedCount()) + (await ctx.queues.queue('invoice.extract').getFailedCount());
  if (done + failed >= distinct || Date.now() > deadline) break;
  await sleep(100);
}
clearInterval(sampler);
const queueCpu = cpuNow() - cpu1;
const queueChildCpu = childCpu() - child1;

// 5. figures
const latencies: number[] = [];
let lastDone = t1;
let differing = 0;
let lost = 0;
for (const id of new Set(docs.map((d) => d.id))) {
  const doc = await ctx.state.get(id);
  if (doc?.status !== 'completed' || !doc.completedAt) { lost++; continue; }
  const doneAt = Date.parse(doc.completedAt);
  lastDone = Math.max(lastDone, doneAt);
  latencies.push(doneAt - uploadedAt.get(id)!);
  if (!isDeepStrictEqual(await ctx.store.getArtefact(id, 'record'), JSON.parse(JSON.stringify(inProcess.get(id))))) differing++;
}
const queueMs = lastDone - t1;
const jobCounts = await Promise.all((['invoice.ocr', 'invoice.ner', 'invoice.extract'] as const).map(async (q) => (await ctx.queues.queue(q).getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])).length - WARMUP));
const admin = new Redis(config.redis.url);
let redisBytes = 0;
let keys = 0;
let cursor = '0';
do {
  const [c, batch] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = c;
  for (const k of batch) { keys++; redisBytes += Number(await admin.memory('USAGE', k)) || 0; }
} while (cursor !== '0');

const perMin = (n: number, ms: number) => (n / ms) * 60_000;
console.log(`documents: ${N} generated (${distinct} distinct), ${CLIENTS} concurrent clients, after ${WARMUP} warm-up documents each way; stages ${stagesModule}`);
console.log(`in-process (sequential ocr->ner->extract): ${(inProcessMs / 1000).toFixed(1)} s, ${perMin(N, inProcessMs).toFixed(0)} docs/min`);
console.log(`queue (API + workers, OCR concurrency ${config.queue.concurrency.ocr}${config.queue.sandboxOcr ? ' sandboxed' : ' in-process'}): first upload to last record ${(queueMs / 1000).toFixed(1)} s, ${perMin(distinct - lost, queueMs).toFixed(0)} docs/min (uploads took ${(uploadMs / 1000).toFixed(1)} s)`);
console.log(`ratio queue/in-process throughput: ${(perMin(distinct - lost, queueMs) / perMin(N, inProcessMs)).toFixed(2)}`);
console.log(`CPU per document: in-process ${(inProcessCpu / N * 1000).toFixed(0)} ms, queue ${(queueCpu / (distinct - lost) * 1000).toFixed(0)} ms (API, HTTP clients, workers and sandboxes together, of which sandboxes ${(queueChildCpu / (distinct - lost) * 1000).toFixed(0)} ms); overhead ${((queueCpu / (distinct - lost)) / (inProcessCpu / N) * 100 - 100).toFixed(0)}%`);
console.log(`upload-to-record latency: p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, max ${Math.max(...latencies)} ms`);
console.log(`redis: ${keys} keys under the run's prefix, ${mb(redisBytes)} (MEMORY USAGE sum, completed jobs kept)`);
console.log(`peak RSS, service process + sandboxed OCR children: ${mb(peakRss)}`);
console.log(`lost: ${lost}, duplicated jobs: ${jobCounts.map((c) => c - distinct).join('/')} (ocr/ner/extract), records differing from in-process: ${differing}`);

await service.close();
admin.disconnect();
const cleaner = new Redis(config.redis.url);
cursor = '0';
do {
  const [c, batch] = await cleaner.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = c;
  if (batch.length) await cleaner.del(...batch);
} while (cursor !== '0');
cleaner.disconnect();
await rm(dir, { recursive: true, force: true });
