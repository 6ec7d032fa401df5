import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import type { WorkerContext } from '../src/service/service-context.js';
import { processStageJob } from '../src/service/stage-runner.js';
import { workerOptions } from '../src/service/worker-options.js';
import { SANDBOX_CONFIG_ENV, SANDBOX_STAGES_ENV } from './sandbox-env.js';

const processorFile = fileURLToPath(new URL(`./ocr.processor${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * invoice.ocr: file -> DocumentText. OCR is CPU-bound, so by default each job runs in a sandboxed
 * child process: the parent's event loop stays free to renew the job lock, and a long page never
 * stalls into duplicate work. The child loads the same stages module and config.
 */
export function createOcrWorker(ctx: WorkerContext): Worker {
  const options = workerOptions(ctx.config, 'invoice.ocr');
  if (ctx.config.queue.sandboxOcr && ctx.stagesModule) {
    return new Worker('invoice.ocr', processorFile, {
      ...options,
      workerForkOptions: {
        env: { ...process.env, [SANDBOX_CONFIG_ENV]: JSON.stringify(ctx.config), [SANDBOX_STAGES_ENV]: ctx.stagesModule },
      },
    });
  }
  return new Worker('invoice.ocr', (job) => processStageJob('invoice.ocr', job, ctx), options);
}
