import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config/config.js';
import { ingestDocument } from '../src/service/ingest.js';
import { closeServiceContext, createServiceContext, type ServiceContext } from '../src/service/service-context.js';
import { cleanupPrefix, redisAvailable, SKIP_MESSAGE, testConfig, waitFor } from './service-harness.js';
import { testDocument } from './service-stages.fixture.js';

/**
 * Real worker processes (`ledgerlens worker`, OCR sandboxed in child processes), killed and stopped
 * while they hold a job.
 */
const skip = (await redisAvailable()) ? false : SKIP_MESSAGE;
const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(root, 'test/service-stages.fixture.ts');

function spawnWorker(configPath: string, queues = 'ocr,ner,extract,deliver'): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'worker', '--queues', queues, '--stages', FIXTURE], {
    cwd: root, env: { ...process.env, LEDGERLENS_CONFIG: configPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  return Object.assign(child, { output: () => out });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
  else child.once('exit', (code) => resolve(code));
});

/** Children of a process, from /proc (the sandboxed OCR processors). */
function childrenOf(pid: number): number[] {
  const path = `/proc/${pid}/task/${pid}/children`;
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}
const isGone = (pid: number) => {
  try {
    return /\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

describe('worker processes: SIGKILL mid-job and graceful SIGTERM', { skip }, () => {
  let config: Config;
  let dir: string;
  let configPath: string;
  let ctx: ServiceContext;
  let hook: Server;
  const deliveries: string[] = [];
  const spawned: ChildProcess[] = [];

  before(async () => {
    ({ config, dir } = await testConfig({
      queue: { sandboxOcr: true, lockDurationMs: 1500, stalledIntervalMs: 500, concurrency: { ocr: 1 } },
    }));
    configPath = join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify(config));
    ctx = createServiceContext(config);
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => { deliveries.push(req.headers['x-ledgerlens-delivery'] as string); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    await ctx.webhooks.add({ url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, secret: 'process-test-secret-0001', events: ['record.created'] });
  });

  after(async () => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ctx?.queues.close();
    await closeServiceContext(ctx);
    await cleanupPrefix(config.redis.prefix);
    await new Promise((r) => hook.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const settled = (id: string, timeoutMs = 30_000) => waitFor(`document ${id}`, async () => {
    const doc = await ctx.state.get(id);
    return doc && (doc.status === 'completed' || doc.status === 'failed') ? doc : null;
  }, timeoutMs);

  test('SIGKILL of a worker mid-job: another worker completes it; nothing lost, nothing duplicated', async () => {
    const a = spawnWorker(configPath);
    spawned.push(a);
    const ids: string[] = [];
    for (const lines of [['SLOW:2500', 'Invoice INV-K0', 'Total 10.00 EUR'], ['Invoice INV-K1', 'Total 11.00 EUR'], ['Invoice INV-K2', 'Total 12.00 EUR']]) {
      ids.push((await ingestDocument(ctx, testDocument(lines), `${lines[1]}.pdf`)).document.id);
    }
    const slowId = ids[0]!;
    await waitFor('worker A to start the slow OCR job', async () => (await ctx.state.get(slowId))?.status === 'processing', 30_000);
    const sandboxes = childrenOf(a.pid!);
    // /proc/PID/task/PID/children needs CONFIG_PROC_CHILDREN; without it this part is not checked.
    if (existsSync(`/proc/${a.pid}/task/${a.pid}/children`)) assert.ok(sandboxes.length >= 1, `the OCR job runs in a sandboxed child (${a.output()})`);
    a.kill('SIGKILL');
    await exited(a);
    // The orphaned sandboxed processor notices its parent is gone and exits.
    await waitFor('the orphaned OCR sandbox to exit', async () => sandboxes.every(isGone), 10_000);

    const b = spawnWorker(configPath);
    spawned.push(b);
    for (const id of ids) assert.equal((await settled(id)).status, 'completed', b.output());
    const slowJob = await ctx.queues.queue('invoice.ocr').getJob(`ocr-${slowId}`);
    assert.ok((slowJob?.attemptsStarted ?? 0) >= 2, 'the slow job was started again after the crash');
    assert.equal(await ctx.redis.zcard(ctx.state.recordsKey), 3, 'three records, none twice');
    for (const name of ['invoice.ner', 'invoice.extract'] as const) {
      assert.equal((await ctx.queues.queue(name).getJobs(['completed', 'waiting', 'active', 'failed', 'delayed'])).length, 3, `${name}: one job per document`);
    }
    await waitFor('three webhook deliveries', async () => deliveries.length >= 3);
    assert.equal(deliveries.length, 3);
    assert.equal(new Set(deliveries).size, 3, 'one delivery per record');
    b.kill('SIGTERM');
    assert.equal(await exited(b), 0);
  });

  test('SIGTERM: the in-flight job finishes, the process exits 0, the job is not run twice', async () => {
    const c = spawnWorker(configPath, 'ocr');
    spawned.push(c);
    const { document } = await ingestDocument(ctx, testDocument(['SLOW:1500', 'Invoice INV-T1', 'Total 21.00 EUR']), 'term.pdf');
    await waitFor('worker C to start the job', async () => (await ctx.state.get(document.id))?.status === 'processing', 30_000);
    const t0 = Date.now();
    c.kill('SIGTERM');
    assert.equal(await exited(c), 0, c.output());
    assert.ok(Date.now() - t0 < 10_000, 'shutdown is prompt');
    const ocrJob = await ctx.queues.queue('invoice.ocr').getJob(`ocr-${document.id}`);
    assert.equal(await ocrJob?.getState(), 'completed', 'finished before exiting, not abandoned');
    assert.equal(ocrJob?.attemptsStarted, 1);
    // The rest of the pipeline is picked up by whichever worker runs next.
    const d = spawnWorker(configPath, 'ner,extract');
    spawned.push(d);
    assert.equal((await settled(document.id)).status, 'completed');
    d.kill('SIGTERM');
    assert.equal(await exited(d), 0);
  });
});
