/**
 * Progress of long work on stderr, the way command-line tools report it:
 * - on a terminal, one line redrawn in place: done/total, percent, rate, ETA, failures;
 * - elsewhere (a log file, CI), a plain line every `everyItems` items or `everySeconds` seconds;
 * - at the end, one summary line (items, failed, fields under review, time), unless quiet.
 * Nothing here writes to stdout: records stay machine-readable.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Command name that starts every line (`extract`). */
  label: string;
  /** What is counted, plural (`documents`, `invoices`). */
  unit: string;
  /** Report the fields under review in the summary (commands that make records). */
  review?: boolean;
  /** Report failures (default true; work that cannot fail item by item, such as synth, turns it off). */
  failures?: boolean;
  total: number | null;
  stream: ProgressStream;
  /** --quiet: no progress and no summary. */
  quiet?: boolean;
  /** Non-terminal: a line after this many items (default 25)... */
  everyItems?: number;
  /** ...or this many seconds since the last line (default 30), whichever comes first. */
  everySeconds?: number;
  /** Terminal: the line appears only once the work has run this long (default 0.5 s), so quick runs print nothing but the summary. */
  delaySeconds?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
  /** Timer for redraws; tests pass none and call tick() themselves. */
  timer?: boolean;
}

export interface ProgressCounts { done: number; failed: number; review: number }

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export class Progress {
  readonly counts: ProgressCounts = { done: 0, failed: 0, review: 0 };
  private total: number | null;
  private readonly started: number;
  private readonly now: () => number;
  private readonly tty: boolean;
  private lastLineAt: number;
  private lastLineDone = 0;
  private lastDrawAt = 0;
  private drawn = false;
  private heldUntil = 0;
  private finished = false;
  private readonly interval: NodeJS.Timeout | null = null;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastLineAt = this.started;
    this.total = options.total;
    this.tty = options.stream.isTTY === true;
    if (options.timer !== false && !options.quiet) {
      this.interval = setInterval(() => this.update(false), this.tty ? 1000 : 5000);
      this.interval.unref();
      // on a terminal the line appears once the delay has passed, not at the first whole second
      if (this.tty) setTimeout(() => this.update(false), 1000 * (options.delaySeconds ?? 0.5) + 10).unref();
    }
  }

  setTotal(total: number): void {
    this.total = total;
  }

  /** One item finished. */
  tick(outcome: { failed?: boolean; review?: number } = {}): void {
    this.counts.done++;
    if (outcome.failed) this.counts.failed++;
    this.counts.review += outcome.review ?? 0;
    this.update(true);
  }

  /** Sets the counts (for work counted elsewhere, such as queued documents) and reports them. */
  set(counts: Partial<ProgressCounts>): void {
    const changed = counts.done !== undefined && counts.done !== this.counts.done;
    Object.assign(this.counts, counts);
    this.update(changed);
  }

  private elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  /** "12/200 (6%), 3.1 documents/s, ETA 1 min 02 s, 2 failed" */
  status(): string {
    const { done, failed } = this.counts;
    const seconds = this.elapsed();
    const rate = seconds > 0 ? done / seconds : 0;
    const parts = [this.total === null ? `${done}` : `${done}/${this.total}${this.total > 0 ? ` (${Math.floor((100 * done) / this.total)}%)` : ''}`];
    if (done > 0) parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} ${this.options.unit}/s`);
    if (this.total !== null && done > 0 && done < this.total) parts.push(`ETA ${formatDuration((this.total - done) / rate)}`);
    if (this.options.failures !== false) parts.push(`${failed} failed`);
    return parts.join(', ');
  }

  private update(itemDone: boolean): void {
    if (this.options.quiet || this.finished) return;
    const now = this.now();
    if (this.tty) {
      if ((now - this.started) / 1000 < (this.options.delaySeconds ?? 0.5) || now < this.heldUntil) return;
      if (itemDone && this.drawn && now - this.lastDrawAt < 100) return; // at most ten redraws a second
      this.draw();
      return;
    }
    const everyItems = this.options.everyItems ?? 25;
    const everySeconds = this.options.everySeconds ?? 30;
    const itemsDue = this.counts.done - this.lastLineDone >= everyItems;
    const timeDue = (now - this.lastLineAt) / 1000 >= everySeconds;
    const notLast = this.total === null || this.counts.done < this.total; // the summary reports the end
    if ((itemsDue || timeDue) && notLast) {
      this.options.stream.write(`${this.options.label}: ${this.status()}\n`);
      this.lastLineAt = now;
      this.lastLineDone = this.counts.done;
    }
  }

  private draw(): void {
    const width = Math.max(20, (this.options.stream.columns || 80) - 1); // a pty without a size reports 0
    const line = `${this.options.label} ${this.status()}`.slice(0, width);
    this.options.stream.write(`\r\x1b[K${line}`);
    this.drawn = true;
    this.lastDrawAt = this.now();
  }

  /** Removes the terminal line and keeps it off for `ms` (records are on their way to a reader on this terminal). */
  hold(ms: number): void {
    this.clear();
    this.heldUntil = this.now() + ms;
  }

  /** Removes the terminal line (before other output, or when the process ends early). */
  clear(): void {
    if (this.tty && this.drawn) {
      this.options.stream.write('\r\x1b[K');
      this.drawn = false;
    }
  }

  /** Draws the terminal line again after clear(). */
  redraw(): void {
    if (this.tty && !this.finished && !this.options.quiet && this.lastDrawAt > 0 && this.now() >= this.heldUntil) this.draw();
  }

  /** Stops the progress and prints the summary line: `extract: 200 documents, 2 failed, 17 fields under review, 1 min 04 s`. */
  finish(extra: string[] = []): void {
    if (this.finished) return;
    this.finished = true;
    if (this.interval) clearInterval(this.interval);
    this.clear();
    if (this.options.quiet) return;
    const { done, failed, review } = this.counts;
    const parts = [`${done} ${done === 1 ? this.options.unit.replace(/s$/, '') : this.options.unit}`];
    if (this.options.failures !== false) parts.push(`${failed} failed`);
    if (this.options.review) parts.push(`${review} ${review === 1 ? 'field' : 'fields'} under review`);
    parts.push(...extra, formatDuration(this.elapsed()));
    this.options.stream.write(`${this.options.label}: ${parts.join(', ')}\n`);
  }

  /** Stops without a summary (the reader went away, or the command failed). */
  abort(): void {
    this.finished = true;
    if (this.interval) clearInterval(this.interval);
    this.clear();
  }
}
