import { Worker } from 'bullmq';
import { parseJob } from '../src/service/job-registry.js';
import { scanInbox } from '../src/service/inbox.js';
import type { ServiceContext } from '../src/service/service-context.js';
import { workerOptions } from '../src/service/worker-options.js';

/** invoice.inbox: the scheduled scan of the inbox folder (jobs come from a BullMQ job scheduler). */
export function createInboxWorker(ctx: ServiceContext): Worker {
  return new Worker('invoice.inbox', async (job) => {
    const { dir } = parseJob('invoice.inbox', job.data);
    return scanInbox(ctx, dir);
  }, workerOptions(ctx.config, 'invoice.inbox'));
}
