import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * CLI tests run the built binary (dist/src/cli/main.js, what `npx ledgerlens` runs) in a child
 * process. It is rebuilt first when any source file is newer than it, so a test never runs stale code.
 */
export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'dist/src/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

let built = false;
export function ensureBuilt(): void {
  if (built) return;
  const binTime = (() => { try { return statSync(BIN).mtimeMs; } catch { return 0; } })();
  if (binTime < newestMtime(join(ROOT, 'src')) || binTime < statSync(join(ROOT, 'package.json')).mtimeMs) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  }
  built = true;
}

/** Without a model bundle: rules only, fast, and no onnxruntime in the child. */
export const NO_MODEL_ENV = { ...process.env, LEDGERLENS_MODEL_DIR: '/nonexistent/ledgerlens-model' };

export function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Uint8Array; timeout?: number } = {}): SpawnSyncReturns<string> {
  ensureBuilt();
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT, env: options.env ?? NO_MODEL_ENV, encoding: 'utf8', timeout: options.timeout ?? 180_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

/**
 * Runs the binary with its stdout read end closed at once: every write it makes gets EPIPE,
 * as when `| head` has exited. Resolves with the exit status, the signal and stderr.
 */
export function runWithClosedStdout(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  ensureBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? NO_MODEL_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status, signal) => resolvePromise({ status, signal, stderr }));
  });
}
/** What a terminal shows for a byte stream: \r returns to column 0, ESC[K erases to the end of the line. */
export function visibleLines(stream: string): string[] {
  const lines: string[] = [];
  let line = '';
  let col = 0;
  for (let i = 0; i < stream.length; i++) {
    const ch = stream[i]!;
    if (stream.startsWith('\x1b[K', i)) { line = line.slice(0, col); i += 2; continue; }
    if (ch === '\r') { col = 0; continue; }
    if (ch === '\n') { lines.push(line); line = ''; col = 0; continue; }
    line = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  }
  if (line !== '') lines.push(line);
  return lines;
}
