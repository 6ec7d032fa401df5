import { Worker } from 'bullmq';
import type { ServiceContext } from '../src/service/service-context.js';
import { processDeliverJob } from '../src/service/stage-runner.js';
import { workerOptions } from '../src/service/worker-options.js';

/**
 * invoice.deliver: one signed webhook POST per job, retried with backoff. Its own queue and
 * concurrency, and a per-request timeout, so a slow or dead subscriber never holds up the pipeline.
 */
export function createDeliverWorker(ctx: ServiceContext): Worker {
  return new Worker('invoice.deliver', (job, token) => processDeliverJob(job, ctx, token), workerOptions(ctx.config, 'invoice.deliver'));
}
