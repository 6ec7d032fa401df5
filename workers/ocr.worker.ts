import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { SandboxPool } from '../src/service/sandbox-pool.js';
import type { WorkerContext } from '../src/service/service-context.js';
import { processStageJob } from '../src/service/stage-runner.js';
import { workerOptions } from '../src/service/worker-options.js';
import { SANDBOX_CONFIG_ENV, SANDBOX_STAGES_ENV } from './sandbox-env.js';

const childFile = fileURLToPath(new URL(`./ocr.child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * invoice.ocr: file -> DocumentText. OCR is CPU-bound and the riskiest stage (hostile PDFs), so by
 * default each job's stage call runs in a sandboxed child process (SandboxPool): the parent's event
 * loop stays free to renew the job lock, limits.jobTimeoutMs and the memory caps are enforced by
 * killing the child, and a crash maps to a code. Claim, artefact and state writes stay here.
 */
const pools = new WeakMap<Worker, SandboxPool>();
/** The sandbox pool of an OCR worker (null when OCR runs in the worker process). */
export const sandboxOf = (worker: Worker): SandboxPool | null => pools.get(worker) ?? null;

export function createOcrWorker(ctx: WorkerContext): Worker {
  const options = workerOptions(ctx.config, 'invoice.ocr');
  if (!ctx.config.queue.sandboxOcr || !ctx.stagesModule) {
    return new Worker('invoice.ocr', (job, token) => processStageJob('invoice.ocr', job, ctx, token ?? `${job.id}:${job.attemptsStarted}`), options);
  }
  const { limits } = ctx.config;
  const pool = new SandboxPool({
    childFile,
    env: { ...process.env, [SANDBOX_CONFIG_ENV]: JSON.stringify(ctx.config), [SANDBOX_STAGES_ENV]: ctx.stagesModule },
    size: ctx.config.queue.concurrency.ocr,
    timeoutMs: limits.jobTimeoutMs,
    heapMb: limits.ocrChildHeapMb,
    rssMb: limits.ocrChildRssMb,
    log: ctx.log.child({ role: 'ocr', component: 'sandbox' }),
  });
  const sandboxed: WorkerContext = { ...ctx, stages: { ...ctx.stages, ocr: (bytes, input) => pool.run(bytes, input.file) } };
  const worker = new Worker('invoice.ocr', (job, token) => processStageJob('invoice.ocr', job, sandboxed, token ?? `${job.id}:${job.attemptsStarted}`), options);
  pools.set(worker, pool);
  pool.warm();
  // The children end with the worker (after its in-flight jobs), or with this process (IPC disconnect).
  worker.on('closed', () => pool.close());
  return worker;
}
