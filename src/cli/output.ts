import { fstatSync } from 'node:fs';
import type { Progress } from './progress.js';

/** Time a progress line stays off the terminal after records went into a pipe, so the reader prints them first. */
const PIPE_HOLD_MS = 250;

/**
 * The CLI's two streams. Records go to stdout; progress and diagnostics to stderr. With the
 * progress line on a terminal: when stdout is the same terminal, the line is cleared before records
 * are written and drawn again after; when stdout is a pipe (`| head`, `| jq`), whose reader likely
 * prints to that terminal, the line is cleared and stays off for a moment, so that the reader's
 * output never lands on the end of it.
 */
export class Output {
  progress: Progress | null = null;
  private stdoutPipe: boolean | null = null;

  constructor(
    readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; fd?: number } = process.stdout,
    readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  ) {}

  private isPipe(): boolean {
    if (this.stdoutPipe === null) {
      try {
        const st = fstatSync(this.stdout.fd ?? 1);
        this.stdoutPipe = st.isFIFO() || st.isSocket();
      } catch {
        this.stdoutPipe = false;
      }
    }
    return this.stdoutPipe;
  }

  /** Writes records (text or bytes) to stdout. */
  out(chunk: string | Uint8Array): void {
    const p = this.progress;
    if (p === null || this.stderr.isTTY !== true) {
      this.stdout.write(chunk);
    } else if (this.stdout.isTTY === true) {
      p.clear();
      this.stdout.write(chunk);
      p.redraw();
    } else if (this.isPipe()) {
      p.hold(PIPE_HOLD_MS);
      this.stdout.write(chunk);
    } else {
      this.stdout.write(chunk);
    }
  }

  /** Writes one diagnostic line to stderr, above the progress line. */
  err(line: string): void {
    this.progress?.clear();
    this.stderr.write(`${line}\n`);
    this.progress?.redraw();
  }
}

/**
 * A reader that goes away (`ledgerlens extract ... | head -n1`) is the normal end of a filter:
 * stop at once, quietly, with status 0. Node ignores SIGPIPE, so the broken pipe arrives as an
 * EPIPE error on the next write to stdout. A broken stderr is ignored (diagnostics are lost, the
 * work goes on). Any other stream error is rethrown.
 */
export function exitQuietlyOnBrokenPipe(output: Output, exit: (status: number) => never = process.exit): void {
  output.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    output.progress?.abort();
    exit(0);
  });
  output.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/**
 * Waits until everything written to stdout has reached the reader (or failed). A reader that went
 * away shows as EPIPE only once the pending writes fail; waiting here lets exitQuietlyOnBrokenPipe
 * end the run before a summary is printed for output nobody read.
 */
export function stdoutFlushed(output: Output): Promise<void> {
  return new Promise((resolve) => {
    const out = output.stdout as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
    if (out.destroyed || out.writableEnded) { resolve(); return; }
    output.stdout.write('', () => setImmediate(resolve));
  });
}
