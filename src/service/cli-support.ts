import { loadConfig, type Config, type ConfigInput } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';
import type { Stages } from '../pipeline/stage-types.js';
import type { Role } from './job-registry.js';
import { createServiceContext, type WorkerContext } from './service-context.js';
import { loadStages, resolveStagesModule } from './stages-loader.js';

/** Shared by serve, worker and batch: parse the config once, load the stages once, build the context. */
export async function workerContextFromCli(options: {
  config?: string | undefined; stages?: string | undefined; overrides?: ConfigInput; roles: readonly Role[];
}): Promise<WorkerContext> {
  const config: Config = loadConfig({ ...(options.config ? { file: options.config } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
  const stagesModule = resolveStagesModule(options.stages ?? null);
  // Only processes that run a stage load the stages (and with them the model).
  const needsStages = options.roles.some((r) => r === 'ocr' || r === 'ner' || r === 'extract');
  const stages = needsStages ? await loadStages(config, stagesModule) : NO_STAGES;
  // The ner role loads the model bundle now: a broken bundle fails at start (MODEL_INVALID), not on
  // the first document, and /readyz reports ready only once it is in memory.
  if (options.roles.includes('ner')) await preloadModel(config);
  return { ...createServiceContext(config), stages, stagesModule };
}

async function preloadModel(config: Config): Promise<void> {
  const { hasModel } = await import('../pipeline/stages.js');
  if (!hasModel(config)) return;
  const { loadModelBundle } = await import('../ner/model-bundle.js');
  await loadModelBundle(config.model.dir, { provider: config.model.provider });
}

const absent = async (): Promise<never> => {
  throw new LedgerlensError('INTERNAL', 'this process runs no pipeline stage');
};
/** Stand-in for processes that run only the API, deliveries or the inbox scan. */
const NO_STAGES: Stages = { ocr: absent, ner: absent, extract: absent };
