import { loadConfig, type Config, type ConfigInput } from '../config/config.js';
import { createServiceContext, type WorkerContext } from './service-context.js';
import { loadStages, resolveStagesModule } from './stages-loader.js';

/** Shared by serve, worker and batch: parse the config once, load the stages once, build the context. */
export async function workerContextFromCli(options: { config?: string | undefined; stages?: string | undefined; overrides?: ConfigInput }): Promise<WorkerContext> {
  const config: Config = loadConfig({ ...(options.config ? { file: options.config } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
  const stagesModule = resolveStagesModule(options.stages ?? null);
  const stages = await loadStages(config, stagesModule);
  return { ...createServiceContext(config), stages, stagesModule };
}
