import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import { LedgerlensError, type ErrorCode } from '../core/errors.js';
import type { OcrResult } from '../pipeline/stage-types.js';
import type { Logger } from './logger.js';

/** What the parent asks of a sandboxed child, and what the child answers (advanced IPC serialisation). */
export type SandboxRequest = { type: 'run'; id: number; bytes: Uint8Array; file: string | null };
export type SandboxReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: OcrResult }
  | { type: 'error'; id: number; error: { code: ErrorCode | null; message: string; permanent: boolean } };

export interface SandboxOptions {
  /** The child's entry (workers/ocr.child.ts or its build). */
  childFile: string;
  env: NodeJS.ProcessEnv;
  /** Children at most (one job each at a time): the OCR worker's concurrency. */
  size: number;
  /** Wall-clock limit of one job (limits.jobTimeoutMs): the child is killed past it. */
  timeoutMs: number;
  /** --max-old-space-size of each child (limits.ocrChildHeapMb). */
  heapMb: number;
  /** Resident-memory cap (limits.ocrChildRssMb, 0 = none), polled from /proc twice a second. */
  rssMb: number;
  log: Logger;
}

/** The loader flags the parent runs with (tsx when started from source), without test, inspect or heap flags. */
export function childExecArgv(parentArgv: readonly string[], heapMb: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const a = parentArgv[i]!;
    if (a === '--import' || a === '--require' || a === '-r' || a === '--loader' || a === '--experimental-loader') {
      out.push(a, parentArgv[++i]!);
    } else if (/^--(import|require|loader|experimental-loader)=/.test(a) || a === '--enable-source-maps' || a === '--no-warnings') {
      out.push(a);
    }
  }
  return [...out, `--max-old-space-size=${heapMb}`];
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const ABORT_SIGNALS = new Set(['SIGABRT', 'SIGTRAP', 'SIGSEGV', 'SIGBUS', 'SIGILL']);

/**
 * The error for a child that did not answer: the exit signal maps to a code. Our own kills (the
 * time limit, the memory cap) and V8 aborts (heap exhausted, "invalid size" checks: SIGABRT,
 * SIGTRAP, exit 133/134) are RESOURCE_LIMIT and permanent, since a child runs one document at a
 * time and the same document would do it again. A SIGKILL from outside (the kernel's OOM killer,
 * an operator) is RESOURCE_LIMIT but retried; any other exit is OCR_FAILED, retried.
 */
export function childExitError(code: number | null, signal: NodeJS.Signals | null, killedFor: 'timeout' | 'memory' | null, options: Pick<SandboxOptions, 'timeoutMs' | 'rssMb'>): Error {
  if (killedFor === 'timeout') return new UnrecoverableError(`RESOURCE_LIMIT: OCR ran longer than limits.jobTimeoutMs (${options.timeoutMs} ms); its process was stopped`);
  if (killedFor === 'memory') return new UnrecoverableError(`RESOURCE_LIMIT: the OCR process used more than limits.ocrChildRssMb (${options.rssMb} MB); it was stopped`);
  if ((signal && ABORT_SIGNALS.has(signal)) || code === 133 || code === 134) {
    return new UnrecoverableError(`RESOURCE_LIMIT: the OCR process aborted (${signal ?? `exit ${code}`}): out of memory or past a V8 limit`);
  }
  if (signal === 'SIGKILL') return new Error('RESOURCE_LIMIT: the OCR process was killed (SIGKILL: the kernel\'s OOM killer or an operator)');
  return new Error(`OCR_FAILED: the OCR process exited unexpectedly (${signal ?? `exit ${code}`})`);
}

/**
 * Sandboxed OCR: each job runs in a child process of this pool (forked lazily, reused between jobs,
 * replaced when it dies). The parent keeps the BullMQ job and its lock and does every Redis write;
 * the child only turns bytes into page text, so a child that is stopped, crashes or runs out of
 * memory can neither stall the lock nor write anything. The parent enforces the per-job time limit
 * and the memory cap by killing the child.
 */
export class SandboxPool {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();
  /** Resolves when the child has loaded the stages (the time limit counts from there, not from fork). */
  private readonly ready = new WeakMap<ChildProcess, Promise<void>>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SandboxOptions) {}

  /** Starts one child ahead of the first job (it loads the stages then), so the first document does not wait for it. */
  warm(): void {
    if (!this.closed && this.all.size === 0) this.idle.push(this.spawn());
  }

  private spawn(): ChildProcess {
    const child = fork(this.options.childFile, [], {
      execArgv: childExecArgv(process.execArgv, this.options.heapMb),
      env: this.options.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.all.add(child);
    this.ready.set(child, new Promise<void>((resolve, reject) => {
      const startup = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('OCR_FAILED: the OCR process did not start within 120 s')); }, 120_000);
      startup.unref();
      const onMessage = (msg: SandboxReply) => {
        if (msg?.type !== 'ready') return;
        child.off('message', onMessage);
        clearTimeout(startup);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) => { clearTimeout(startup); reject(childExitError(code, signal, null, this.options)); });
    }));
    this.ready.get(child)!.catch(() => undefined);
    child.once('exit', () => {
      this.all.delete(child);
      const i = this.idle.indexOf(child);
      if (i >= 0) this.idle.splice(i, 1);
    });
    return child;
  }

  private readyOf(child: ChildProcess): Promise<void> {
    return this.ready.get(child) ?? Promise.resolve();
  }

  /** Child pids (tests look for them). */
  pids(): number[] {
    return [...this.all].map((c) => c.pid!).filter(Boolean);
  }

  async run(bytes: Uint8Array, file: string | null): Promise<OcrResult> {
    if (this.closed) throw new LedgerlensError('INTERNAL', 'the OCR sandbox is closed');
    const child = this.idle.pop() ?? this.spawn();
    await this.readyOf(child);
    const id = this.nextId++;
    let killedFor: 'timeout' | 'memory' | null = null;
    const kill = (why: 'timeout' | 'memory') => {
      killedFor = why;
      this.options.log.warn({ pid: child.pid, why }, 'stopping the OCR sandbox: limit exceeded');
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), this.options.timeoutMs);
    const watchdog = this.options.rssMb > 0 ? setInterval(() => {
      const used = child.pid ? rssMb(child.pid) : null;
      if (used !== null && used > this.options.rssMb) kill('memory');
    }, 500) : null;
    try {
      return await new Promise<OcrResult>((resolve, reject) => {
        const onMessage = (msg: SandboxReply) => {
          if (msg.type === 'ready' || msg.id !== id) return;
          cleanup();
          if (msg.type === 'done') return resolve(msg.result);
          const { code, message, permanent } = msg.error;
          if (code) return reject(new LedgerlensError(code, message));
          return reject(permanent ? new UnrecoverableError(message) : new Error(message));
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
          cleanup();
          reject(childExitError(code, signal, killedFor, this.options));
        };
        const cleanup = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        const request: SandboxRequest = { type: 'run', id, bytes, file };
        child.send(request, (err) => { if (err) { cleanup(); reject(new Error(`OCR_FAILED: the OCR process could not be reached: ${err.message}`)); } });
      });
    } finally {
      clearTimeout(timer);
      if (watchdog) clearInterval(watchdog);
      if (this.all.has(child) && child.exitCode === null && child.signalCode === null && !killedFor && !this.closed) this.idle.push(child);
    }
  }

  /** Ends every child (after the worker has finished its jobs). */
  close(): void {
    this.closed = true;
    for (const child of this.all) child.kill('SIGTERM');
    this.idle.length = 0;
  }
}
