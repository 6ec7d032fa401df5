import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Page as TesseractPage, type Worker } from 'tesseract.js';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';
import { closeOrientation } from './ocr-orientation.js';

const require = createRequire(import.meta.url);

/**
 * The model folder inside @tesseract.js-data/<lang>: 4.0.0_best_int holds the LSTM model alone
 * (the engine runs LSTM only); 4.0.0 also carries the legacy engine's data, 4x the size, same LSTM.
 */
const MODEL_FOLDERS = ['4.0.0_best_int', '4.0.0'];

/** Folder of `<lang>.traineddata.gz` in the @tesseract.js-data/<lang> npm package (never downloaded). */
export function languageDir(lang: string): string {
  let pkg: string;
  try {
    pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  } catch {
    throw new LedgerlensError('INVALID_CONFIG', `OCR language '${lang}' is not installed: add the npm package @tesseract.js-data/${lang}`);
  }
  const dir = MODEL_FOLDERS.map((f) => join(pkg, f)).find((d) => existsSync(join(d, `${lang}.traineddata.gz`)));
  if (!dir) throw new LedgerlensError('INVALID_CONFIG', `@tesseract.js-data/${lang} has no ${lang}.traineddata.gz in ${MODEL_FOLDERS.join(' or ')}`);
  return dir;
}

/**
 * One folder holding every language a worker may load, as links to the packages' files:
 * tesseract.js reads all of a worker's languages from one `langPath`, and its {code, data}
 * language objects cannot be used instead (7.0.0 initialises with the data in place of the code).
 * Created on first use under the system's temporary folder, removed when the process exits.
 */
let linkedDir: string | null = null;
const linked = new Set<string>();

function tessdataDir(languages: readonly string[]): string {
  for (const lang of languages) {
    if (linked.has(lang)) continue;
    const source = join(languageDir(lang), `${lang}.traineddata.gz`); // INVALID_CONFIG when not installed
    if (!linkedDir) {
      const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-tessdata-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      linkedDir = dir;
    }
    const target = join(linkedDir, `${lang}.traineddata.gz`);
    if (!existsSync(target)) symlinkSync(source, target);
    linked.add(lang);
  }
  if (!linkedDir) throw new LedgerlensError('INVALID_CONFIG', 'no OCR language configured');
  return linkedDir;
}

interface Job {
  image: Buffer;
  options: OcrJobOptions;
  /** tesseract language string, e.g. 'eng' or 'deu+eng'. */
  languages: string;
  resolve: (page: TesseractPage) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** The languages the worker is initialised with ('' after a failed re-initialisation). */
  languages: string;
  busy: boolean;
}

/**
 * The pool runs its own queue over its workers instead of tesseract.js's scheduler: a job names
 * its languages, and a free worker initialised with other languages is re-initialised first
 * (each language's model is loaded into a worker once; switching back only re-initialises).
 * A free worker already holding the job's languages is preferred.
 */
interface Pool {
  slots: Slot[];
  queue: Job[];
  /** Rejects when a worker thread dies, failing jobs in flight instead of leaving them pending. */
  died: Promise<never>;
  /** Set when closing starts: no job may be added then (tesseract.js would post it to a dead thread). */
  closed: boolean;
}

/**
 * Init-only parameters of every recognition worker: no user-words file (the Italian model's config
 * names `ita.special-words`, which the npm package does not carry, and tesseract printed "failed to
 * load ./ita.special-words" on each load; no language here ships one).
 */
// (tesseract.js types list only the dawg switches; the engine takes any init-only parameter)
const INIT_PARAMS = { user_words_suffix: '' } as unknown as Parameters<typeof createWorker>[3];

let pool: Promise<Pool> | null = null;
let poolsCreated = 0;
let recognitions = 0;
let poolSize = 0;
/** Set while closeOcrPool terminates workers, so their exits are not taken for crashes. */
const closing = new WeakSet<Worker>();

async function createPool(languages: string, size: number, onCrash: () => void): Promise<Pool> {
  const options = {
    langPath: tessdataDir(languages.split('+')),
    gzip: true,
    cacheMethod: 'none',
    // Failures reject the job's promise, which callers handle; without a handler tesseract.js
    // rethrows inside its message listener and takes the process down.
    errorHandler: () => undefined,
  };
  let markDead: (err: Error) => void = () => undefined;
  const died = new Promise<never>((_, reject) => { markDead = reject; });
  died.catch(() => undefined);
  const workers = await Promise.all(Array.from({ length: size }, () => createWorker(languages, OEM.LSTM_ONLY, options, INIT_PARAMS)));
  for (const w of workers) {
    const thread = (w as unknown as { worker?: { on?: (ev: string, fn: (code: number) => void) => void } }).worker;
    thread?.on?.('exit', (code) => {
      if (closing.has(w)) {
        // jobs still queued or running when the pool is closed fail instead of hanging
        markDead(new LedgerlensError('OCR_FAILED', 'the OCR pool was closed'));
        return;
      }
      markDead(new LedgerlensError('OCR_FAILED', `an OCR worker exited unexpectedly (code ${code})`));
      onCrash();
    });
  }
  return { slots: workers.map((worker) => ({ worker, languages, busy: false })), queue: [], died, closed: false };
}

/** Hands queued jobs to free workers, oldest job first. */
function dispatch(p: Pool): void {
  while (!p.closed && p.queue.length > 0) {
    const free = p.slots.filter((s) => !s.busy);
    if (free.length === 0) return;
    const job = p.queue.shift()!;
    const slot = free.find((s) => s.languages === job.languages) ?? free[0]!;
    slot.busy = true;
    void runJob(slot, job).finally(() => { slot.busy = false; dispatch(p); });
  }
}

async function runJob(slot: Slot, job: Job): Promise<void> {
  try {
    if (slot.languages !== job.languages) {
      tessdataDir(job.languages.split('+'));
      slot.languages = '';
      await slot.worker.reinitialize(job.languages, OEM.LSTM_ONLY, INIT_PARAMS);
      slot.languages = job.languages;
    }
    const result = await slot.worker.recognize(job.image, job.options as never, { blocks: true, text: false });
    job.resolve(result.data);
  } catch (err) {
    job.reject(err);
  }
}

/**
 * The process-wide OCR pool: config.ocr.workers tesseract.js workers created lazily on first use
 * (initialised with the first job's languages) and reused for every page after that. A call with
 * another size replaces the pool once the old one is closed.
 */
async function getPool(config: Config, languages: string): Promise<Pool> {
  if (pool && poolSize !== config.ocr.workers) await closeOcrPool();
  if (!pool) {
    // A pool that fails to start or loses a worker is dropped; the next call builds a fresh one.
    poolsCreated++;
    const created: Promise<Pool> = createPool(languages, config.ocr.workers, () => {
      forget(created);
      void created.then(terminateAll, () => undefined); // the survivors of a crashed pool
    });
    created.catch(() => forget(created));
    pool = created;
    poolSize = config.ocr.workers;
  }
  return pool;
}

/**
 * How many pools this process has started (1 after any number of documents, unless settings
 * changed or a worker died), and how many images it was asked to recognise (a page re-read in
 * its own language counts twice).
 */
export function ocrPoolStats(): { poolsCreated: number; active: boolean; recognitions: number } {
  return { poolsCreated, active: pool !== null, recognitions };
}

function forget(p: Promise<Pool>): void {
  if (pool === p) { pool = null; poolSize = 0; }
}

/** Per-job tesseract parameters (applied to this job only, then restored) and tesseract.js's rotateAuto. */
export type OcrJobOptions = { [param: string]: string | boolean | undefined; rotateAuto?: boolean };

/** The languages a page is first read with: the configured list, or English alone under 'auto'. */
export function firstPassLanguages(config: Config): readonly string[] {
  return config.ocr.languages === 'auto' ? ['eng'] : config.ocr.languages;
}

/**
 * Recognises one image (PNG, PGM or any format leptonica reads) in `languages` (tesseract codes,
 * default firstPassLanguages) and returns tesseract's page.
 */
export async function recognize(
  image: Uint8Array, config: Config, options: OcrJobOptions = {}, languages: readonly string[] = firstPassLanguages(config),
): Promise<TesseractPage & { rotateRadians?: number }> {
  const langs = languages.join('+');
  tessdataDir(languages); // a language that is not installed fails here, before any worker starts
  recognitions++;
  const p = await getPool(config, langs);
  if (p.closed) throw new LedgerlensError('OCR_FAILED', 'the OCR pool was closed');
  try {
    const job = new Promise<TesseractPage>((resolve, reject) => {
      p.queue.push({ image: Buffer.from(image.buffer, image.byteOffset, image.byteLength), options, languages: langs, resolve, reject });
    });
    dispatch(p);
    const result = await Promise.race([job, p.died]);
    return result as TesseractPage & { rotateRadians?: number };
  } catch (err) {
    if (err instanceof LedgerlensError) throw err;
    throw new LedgerlensError('OCR_FAILED', `OCR failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Terminates the pool's workers (the CLI calls it so the process can exit). Safe to call twice. */
export async function closeOcrPool(): Promise<void> {
  await closeOrientation();
  const current = pool;
  pool = null;
  poolSize = 0;
  if (!current) return;
  let p: Pool;
  try { p = await current; } catch { return; } // creation failed: nothing to terminate
  await terminateAll(p);
}

async function terminateAll(p: Pool): Promise<void> {
  p.closed = true;
  const err = new LedgerlensError('OCR_FAILED', 'the OCR pool was closed');
  for (const job of p.queue.splice(0)) job.reject(err);
  const alive = p.slots.map((s) => s.worker).filter((w) => !closing.has(w));
  for (const w of alive) closing.add(w);
  await Promise.all(alive.map((w) => w.terminate().catch(() => undefined)));
}
