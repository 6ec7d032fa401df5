import type { SandboxedJob } from 'bullmq';
import { ConfigSchema } from '../src/config/config.js';
import { LedgerlensError } from '../src/core/errors.js';
import { createServiceContext } from '../src/service/service-context.js';
import type { WorkerContext } from '../src/service/service-context.js';
import { processStageJob } from '../src/service/stage-runner.js';
import { loadStages } from '../src/service/stages-loader.js';
import { SANDBOX_CONFIG_ENV, SANDBOX_STAGES_ENV } from './sandbox-env.js';

/** Sandboxed invoice.ocr processor: runs in a child process forked by the ocr worker. */
let context: Promise<WorkerContext> | null = null;

// When the worker process dies (SIGKILL, OOM), this child must not live on with its own Redis
// connection: exit at once; the job's lock expires and another worker recovers it.
process.on('disconnect', () => process.exit(0));

function childContext(): Promise<WorkerContext> {
  context ??= (async () => {
    const rawConfig = process.env[SANDBOX_CONFIG_ENV];
    const stagesModule = process.env[SANDBOX_STAGES_ENV];
    if (!rawConfig || !stagesModule) throw new LedgerlensError('INVALID_CONFIG', 'the sandboxed OCR processor was started without its config');
    const config = ConfigSchema.parse(JSON.parse(rawConfig));
    const stages = await loadStages(config, stagesModule);
    return { ...createServiceContext(config), stages, stagesModule };
  })();
  return context;
}

export default async function ocrProcessor(job: SandboxedJob): Promise<unknown> {
  return processStageJob('invoice.ocr', job, await childContext());
}
