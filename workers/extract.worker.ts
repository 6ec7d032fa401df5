import { Worker } from 'bullmq';
import type { WorkerContext } from '../src/service/service-context.js';
import { processStageJob } from '../src/service/stage-runner.js';
import { workerOptions } from '../src/service/worker-options.js';

/** invoice.extract: DocumentText + spans -> InvoiceRecord, then webhooks are fanned out. */
export function createExtractWorker(ctx: WorkerContext): Worker {
  return new Worker('invoice.extract', (job, token) => processStageJob('invoice.extract', job, ctx, token ?? `${job.id}:${job.attemptsStarted}`), workerOptions(ctx.config, 'invoice.extract'));
}
