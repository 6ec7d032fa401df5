import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../src/config/config.js';

/** The shared data folder: LEDGERLENS_DATA_DIR, else ../shared/data next to the checkout (or next to its worktree folder). */
export function sharedDataDir(): string | null {
  const candidates = [process.env.LEDGERLENS_DATA_DIR, resolve(PROJECT_ROOT, '../shared/data'), resolve(PROJECT_ROOT, '../../shared/data')];
  return candidates.find((d): d is string => !!d && existsSync(d)) ?? null;
}
