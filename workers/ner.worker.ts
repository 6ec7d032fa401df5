import { Worker } from 'bullmq';
import type { WorkerContext } from '../src/service/service-context.js';
import { processStageJob } from '../src/service/stage-runner.js';
import { workerOptions } from '../src/service/worker-options.js';

/** invoice.ner: DocumentText -> EntitySpan[] (the token classifier; the model is loaded once per process). */
export function createNerWorker(ctx: WorkerContext): Worker {
  return new Worker('invoice.ner', (job, token) => processStageJob('invoice.ner', job, ctx, token ?? `${job.id}:${job.attemptsStarted}`), workerOptions(ctx.config, 'invoice.ner'));
}
