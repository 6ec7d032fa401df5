import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';
import type { Stages } from '../pipeline/stage-types.js';

const ext = extname(fileURLToPath(import.meta.url));
/** The real pipeline stages (src/pipeline/stages.ts, built to .js). */
export const DEFAULT_STAGES_MODULE = fileURLToPath(new URL(`../pipeline/stages${ext}`, import.meta.url));

/**
 * Which module provides the stages: an explicit path, else LEDGERLENS_STAGES_MODULE, else the real
 * stages. Workers get the Stages injected; sandboxed children load the same module by path.
 */
export function resolveStagesModule(explicit?: string | null): string {
  const chosen = explicit ?? process.env.LEDGERLENS_STAGES_MODULE ?? DEFAULT_STAGES_MODULE;
  // Absolute, so sandboxed children (and processes started elsewhere) load the same file.
  return resolve(chosen.startsWith('file:') ? fileURLToPath(chosen) : chosen);
}

/** Loads stages from a module exporting `createStages(config)`, or a Stages value as `stages`, `defaultStages` or default. */
export async function loadStages(config: Config, modulePath: string): Promise<Stages> {
  if (!existsSync(modulePath)) throw new LedgerlensError('MODEL_INVALID', `no pipeline stages at ${modulePath}`);
  const mod = (await import(pathToFileURL(modulePath).href)) as {
    createStages?: (config: Config) => Stages | Promise<Stages>;
    stages?: Stages;
    defaultStages?: Stages;
    default?: Stages;
  };
  const stages = mod.createStages ? await mod.createStages(config) : (mod.stages ?? mod.defaultStages ?? mod.default);
  if (!stages || typeof stages.ocr !== 'function' || typeof stages.ner !== 'function' || typeof stages.extract !== 'function') {
    throw new LedgerlensError('MODEL_INVALID', `${modulePath} exports no ocr/ner/extract stages`);
  }
  return stages;
}
