/**
 * Runs a corpus: entries are built in worker threads (the text stage is CPU-bound), written to the
 * output folder as they finish, and their corpus lines appended to corpus.jsonl and manifest.jsonl
 * in index order, so the same arguments give the same files whatever the scheduling.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConfigInput } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';
import { buildEntry, entrySeed, type Entry, type EntryOptions, type ManifestEntry } from './corpus-build.js';
import { loadTextStage } from './text-stage.js';
import { loadConfig } from '../config/config.js';

export interface RunOptions extends EntryOptions {
  count: number;
  seed: number;
  out: string;
  /** Worker threads; 0 builds in this thread. */
  jobs: number;
  /** Share of invoices that also get a scan (when scan is set). */
  scanShare: number;
  config?: ConfigInput;
  onProgress?: (done: number, total: number, entry: ManifestEntry) => void;
}

export interface Task { index: number; seed: number; name: string; options: EntryOptions }
export type TaskResult = { index: number; entry?: Omit<Entry, 'files'>; error?: string };

export function entryName(seed: number, index: number, count: number): string {
  return `synth-${seed}-${String(index).padStart(Math.max(4, String(count - 1).length), '0')}`;
}

function writeEntryFiles(out: string, entry: Entry): void {
  for (const f of entry.files) writeFileSync(join(out, f.name), f.bytes);
}

/** Builds one task in the current thread and writes its files. */
export async function runTask(task: Task, out: string, stage: Awaited<ReturnType<typeof loadTextStage>> | null): Promise<Omit<Entry, 'files'>> {
  const entry = await buildEntry(task.seed, task.name, task.options, stage);
  writeEntryFiles(out, entry);
  return { lines: entry.lines, manifest: entry.manifest };
}

export async function runCorpus(options: RunOptions): Promise<ManifestEntry[]> {
  mkdirSync(options.out, { recursive: true });
  const tasks: Task[] = Array.from({ length: options.count }, (_, index) => {
    const seed = entrySeed(options.seed, index);
    // The scan share is drawn from the entry's seed, so which invoices get scans is fixed too.
    const scan = options.scan && ((seed % 1000) / 1000 < options.scanShare);
    return { index, seed, name: entryName(options.seed, index, options.count), options: { label: options.label, scan, locales: options.locales, layouts: options.layouts } };
  });
  const corpus = createWriteStream(join(options.out, 'corpus.jsonl'));
  const manifest = createWriteStream(join(options.out, 'manifest.jsonl'));
  const done = new Map<number, Omit<Entry, 'files'>>();
  const results: ManifestEntry[] = [];
  let next = 0;
  const flush = () => {
    while (done.has(next)) {
      const e = done.get(next)!;
      done.delete(next);
      for (const line of e.lines) corpus.write(`${JSON.stringify(line)}\n`);
      manifest.write(`${JSON.stringify(e.manifest)}\n`);
      results.push(e.manifest);
      next++;
      options.onProgress?.(next, tasks.length, e.manifest);
    }
  };

  if (options.jobs <= 0) {
    const stage = options.label || options.scan ? await loadTextStage(loadConfig({ overrides: options.config })) : null;
    try {
      // Two tasks in flight: the text stage waits on I/O (font data, its worker messages) part of the time.
      const queue = [...tasks];
      const lane = async () => { for (let t = queue.shift(); t; t = queue.shift()) { done.set(t.index, await runTask(t, options.out, stage)); flush(); } };
      await Promise.all([lane(), lane()]);
    } finally {
      await stage?.close();
    }
  } else {
    await runInWorkers(tasks, options, (r) => { done.set(r.index, r.entry!); flush(); });
  }
  await Promise.all([new Promise((r) => corpus.end(r)), new Promise((r) => manifest.end(r))]);
  return results;
}

async function runInWorkers(tasks: Task[], options: RunOptions, onResult: (r: TaskResult) => void): Promise<void> {
  const here = new URL(import.meta.url);
  const fromSource = here.pathname.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './synth.worker.ts' : './synth.worker.js', here);
  // Run from the TypeScript sources (tsx), a worker registers tsx's loader before loading its entry.
  const spawn = (workerData: unknown) => fromSource
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`, { eval: true, workerData })
    : new Worker(workerUrl, { workerData });
  const queue = [...tasks];
  const jobs = Math.min(options.jobs, tasks.length);
  const workers: Worker[] = [];
  // A failed entry fails the run: the other workers are stopped so that the process can exit.
  const fail = (reject: (e: unknown) => void, err: unknown) => {
    queue.length = 0;
    for (const w of workers) void w.terminate();
    reject(err);
  };
  await Promise.all(Array.from({ length: jobs }, () => new Promise<void>((resolve, reject) => {
    const worker = spawn({ out: options.out, config: options.config ?? {}, stage: options.label || options.scan });
    workers.push(worker);
    let inFlight = 0;
    const feed = () => {
      const task = queue.shift();
      if (task) { inFlight++; worker.postMessage(task); }
      else if (inFlight === 0) { worker.once('exit', () => resolve()); worker.postMessage('close'); }
    };
    worker.on('message', (msg: TaskResult | { ready: true }) => {
      // Two tasks in flight per worker, as in the single-thread path.
      if ('ready' in msg) { feed(); feed(); return; }
      inFlight--;
      if (msg.error) { fail(reject, new LedgerlensError('INTERNAL', `entry ${msg.index}: ${msg.error}`)); return; }
      onResult(msg);
      feed();
    });
    worker.on('error', (err) => fail(reject, err));
  })));
}
