import type { Progress } from './progress.js';

/**
 * The CLI's two streams. Records go to stdout; progress and diagnostics to stderr. When both are
 * the same terminal, the progress line is cleared before stdout is written and drawn again after.
 */
export class Output {
  progress: Progress | null = null;

  constructor(
    readonly stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
    readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  ) {}

  /** Writes records (text or bytes) to stdout. */
  out(chunk: string | Uint8Array): void {
    const sharesTerminal = this.progress !== null && this.stdout.isTTY === true && this.stderr.isTTY === true;
    if (sharesTerminal) this.progress!.clear();
    this.stdout.write(chunk);
    if (sharesTerminal) this.progress!.redraw();
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
