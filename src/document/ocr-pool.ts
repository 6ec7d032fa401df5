import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createScheduler, createWorker, OEM, type Page as TesseractPage, type Scheduler, type Worker } from 'tesseract.js';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';

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

interface Pool {
  scheduler: Scheduler;
  workers: Worker[];
  /** Rejects when a worker thread dies, failing jobs in flight instead of leaving them pending. */
  died: Promise<never>;
  /** Set when closing starts: no job may be added then (tesseract.js would post it to a dead thread). */
  closed: boolean;
}

let pool: Promise<Pool> | null = null;
let poolsCreated = 0;
let poolKey = '';
/** Set while closeOcrPool terminates workers, so their exits are not taken for crashes. */
const closing = new WeakSet<Worker>();

async function createPool(languages: string[], size: number, onCrash: () => void): Promise<Pool> {
  const dirs = languages.map(languageDir);
  // One language: tesseract.js reads <langPath>/<lang>.traineddata.gz itself. Several (each in its
  // own package folder): hand it the gzipped data directly; it gunzips it.
  const langs = languages.length === 1
    ? languages[0]!
    : languages.map((code, i) => ({ code, data: readFileSync(join(dirs[i]!, `${code}.traineddata.gz`)) }));
  const options = {
    langPath: dirs[0]!,
    gzip: true,
    cacheMethod: 'none',
    // Failures reject the job's promise, which callers handle; without a handler tesseract.js
    // rethrows inside its message listener and takes the process down.
    errorHandler: () => undefined,
  };
  let markDead: (err: Error) => void = () => undefined;
  const died = new Promise<never>((_, reject) => { markDead = reject; });
  died.catch(() => undefined);
  const workers = await Promise.all(Array.from({ length: size }, () => createWorker(langs, OEM.LSTM_ONLY, options)));
  const scheduler = createScheduler();
  for (const w of workers) {
    scheduler.addWorker(w);
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
  return { scheduler, workers, died, closed: false };
}

/**
 * The process-wide OCR pool: tesseract.js workers created lazily on first use, config.ocr.workers
 * of them, with config.ocr.languages, and reused for every page after that. A call with other
 * languages or another size replaces the pool once the old one is closed.
 */
async function getPool(config: Config): Promise<Pool> {
  const key = `${config.ocr.languages.join('+')}/${config.ocr.workers}`;
  if (pool && poolKey !== key) await closeOcrPool();
  if (!pool) {
    // A pool that fails to start or loses a worker is dropped; the next call builds a fresh one.
    poolsCreated++;
    const created: Promise<Pool> = createPool(config.ocr.languages, config.ocr.workers, () => {
      forget(created);
      void created.then(terminateAll, () => undefined); // the survivors of a crashed pool
    });
    created.catch(() => forget(created));
    pool = created;
    poolKey = key;
  }
  return pool;
}

/** How many pools this process has started (1 after any number of documents, unless settings changed or a worker died). */
export function ocrPoolStats(): { poolsCreated: number; active: boolean } {
  return { poolsCreated, active: pool !== null };
}

function forget(p: Promise<Pool>): void {
  if (pool === p) { pool = null; poolKey = ''; }
}

/** Per-job tesseract parameters (applied to this job only, then restored) and tesseract.js's rotateAuto. */
export type OcrJobOptions = { [param: string]: string | boolean | undefined; rotateAuto?: boolean };

/** Recognises one image (PNG, PGM or any format leptonica reads) and returns tesseract's page. */
export async function recognize(image: Uint8Array, config: Config, options: OcrJobOptions = {}): Promise<TesseractPage & { rotateRadians?: number }> {
  const p = await getPool(config);
  if (p.closed) throw new LedgerlensError('OCR_FAILED', 'the OCR pool was closed');
  try {
    const job = p.scheduler.addJob('recognize', Buffer.from(image.buffer, image.byteOffset, image.byteLength), options as never, { blocks: true, text: false });
    const result = await Promise.race([job, p.died]);
    return result.data as TesseractPage & { rotateRadians?: number };
  } catch (err) {
    if (err instanceof LedgerlensError) throw err;
    throw new LedgerlensError('OCR_FAILED', `OCR failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Terminates the pool's workers (the CLI calls it so the process can exit). Safe to call twice. */
export async function closeOcrPool(): Promise<void> {
  const current = pool;
  pool = null;
  poolKey = '';
  if (!current) return;
  let p: Pool;
  try { p = await current; } catch { return; } // creation failed: nothing to terminate
  await terminateAll(p);
}

async function terminateAll(p: Pool): Promise<void> {
  p.closed = true;
  const alive = p.workers.filter((w) => !closing.has(w));
  for (const w of alive) closing.add(w);
  await Promise.all(alive.map((w) => w.terminate().catch(() => undefined)));
}
