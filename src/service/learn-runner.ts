import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';

/** The CLI entry point next to this module (dist/src/cli/main.js when built, src/cli/main.ts under tsx). */
function cliEntry(): string {
  const js = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('../cli/main.ts', import.meta.url));
}

let running = false;

/**
 * Runs `ledgerlens learn --json` with the service's store and model in a child process, so that
 * validating many reviewed documents never blocks the API's event loop. One at a time per process
 * (CONFLICT otherwise). Exit 1 (validation kept the current version) is a result, not an error.
 */
export async function runLearn(config: Pick<Config, 'store' | 'model'>, args: string[], timeoutMs = 30 * 60_000): Promise<unknown> {
  if (running) throw new LedgerlensError('CONFLICT', 'a learn run is in progress');
  running = true;
  try {
    return await new Promise((resolve, reject) => {
      execFile(process.execPath, [...process.execArgv, cliEntry(), 'learn', '--json', '--store', config.store.dir, '--model', config.model.dir, ...args],
        { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
          const code = err ? (err as { code?: unknown }).code : 0;
          if (code === 0 || code === 1) {
            try { resolve(JSON.parse(stdout)); return; } catch { /* falls through to the error */ }
          }
          const last = stderr.trim().split('\n').at(-1) ?? '';
          const m = /^ledgerlens(?: \w+)?: ([A-Z_]+): (.*)$/.exec(last);
          reject(new LedgerlensError(m && m[1] !== 'USAGE' ? m[1] as never : 'INTERNAL', m?.[2] ?? (last || `learn exited with ${String(code)}`)));
        });
    });
  } finally {
    running = false;
  }
}
