import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { LedgerlensError } from '../core/errors.js';

const require = createRequire(import.meta.url);

/**
 * Page orientation of a scan or photo, for pages whose EXIF says nothing (a flatbed scan fed
 * sideways, a phone photo stripped of its tags, a PDF of scans placed upside down): tesseract's
 * orientation and script detection (OSD) from @tesseract.js-data/osd. OSD runs on tesseract's
 * legacy engine, so it gets a worker of its own (the legacy core and the 4 MB gzipped osd model; the
 * recognition pool stays LSTM-only). One worker, created on first use, serves one page at a time.
 */

/** A clockwise quarter-turn count that makes the page upright. */
export type Turn = 0 | 90 | 180 | 270;

export interface Orientation {
  /** Clockwise degrees that turn the page upright. */
  turn: Turn;
  /** tesseract's orientation confidence (the margin of the best orientation over the next; about 0-20). */
  confidence: number;
}

/**
 * A turn tesseract proposes with at least this confidence is tried: the page is read turned, and
 * unless the confidence reaches SURE_ORIENTATION_CONFIDENCE also as stored, keeping the reading
 * with more to say (ocr-image.ts readingScore). On the SROIE dev receipts (bench/ocr-orientation.bench.ts,
 * part 1) OSD alone at confidence 1 would have turned 6 of 100 upright receipts and 10 of 300
 * turned ones the wrong way, at 3 still 2 upright ones; from 5 on none, on receipts or on
 * generated invoices (7 leaves a margin; the thresholds were set after seeing that table).
 */
export const MIN_ORIENTATION_CONFIDENCE = 1;
export const SURE_ORIENTATION_CONFIDENCE = 7;

function osdDir(): string {
  let pkg: string;
  try {
    pkg = dirname(require.resolve('@tesseract.js-data/osd/package.json'));
  } catch {
    throw new LedgerlensError('INVALID_CONFIG', "ocr.orientation 'auto' needs the npm package @tesseract.js-data/osd (or set ocr.orientation to 'off')");
  }
  // the legacy engine's model: 4.0.0 (4.0.0_best_int holds no legacy data)
  const dir = join(pkg, '4.0.0');
  if (!existsSync(join(dir, 'osd.traineddata.gz'))) throw new LedgerlensError('INVALID_CONFIG', `@tesseract.js-data/osd has no 4.0.0/osd.traineddata.gz`);
  return dir;
}

type Thread = { ref?: () => void; unref?: () => void; once?: (ev: 'exit', fn: (code: number) => void) => void };
const threadOf = (w: Worker) => (w as unknown as { worker?: Thread }).worker;

let worker: Promise<Worker> | null = null;
/** Rejects when the current worker's thread exits, so a detection in flight fails instead of hanging. */
let died: Promise<never> = new Promise<never>(() => undefined);
let queue: Promise<unknown> = Promise.resolve();

function getWorker(): Promise<Worker> {
  if (!worker) {
    const created = createWorker('osd', OEM.TESSERACT_ONLY, {
      legacyCore: true, legacyLang: true, langPath: osdDir(), gzip: true, cacheMethod: 'none', errorHandler: () => undefined,
    });
    created.catch(() => { if (worker === created) worker = null; });
    created.then((w) => {
      died = new Promise<never>((_, reject) => threadOf(w)?.once?.('exit', (code) => {
        if (worker === created) worker = null; // the next page starts a fresh one
        reject(new Error(`the orientation worker exited (code ${code})`));
      }));
      died.catch(() => undefined);
    }, () => undefined);
    worker = created;
  }
  return worker;
}

/**
 * The orientation of one grey page image, or null when tesseract finds too little text to tell
 * (it throws on an empty page; that is not an error here). The image goes to tesseract as a PNG
 * stating 300 dpi: OSD ignores user_defined_dpi, and with no resolution in the file it warns on
 * every page and assumes 70.
 */
export async function detectOrientation(image: { gray: Uint8Array; width: number; height: number }): Promise<Orientation | null> {
  const png = await sharp(image.gray, { raw: { width: image.width, height: image.height, channels: 1 }, limitInputPixels: false })
    .withMetadata({ density: 300 }).png({ compressionLevel: 1 }).toBuffer();
  const run = queue.then(async () => {
    const w = await getWorker();
    // the thread holds the process open only while it works: an idle OSD worker that nobody
    // closed (a caller that never reaches closeOcrPool) must not keep a CLI or a test run alive
    const thread = threadOf(w);
    thread?.ref?.();
    try {
      // a dead worker reads as "no orientation found": the page is then read as stored
      const { data } = await Promise.race([w.detect(png), died]);
      const deg = data.orientation_degrees;
      if (deg !== 0 && deg !== 90 && deg !== 180 && deg !== 270) return null;
      return { turn: deg as Turn, confidence: data.orientation_confidence ?? 0 };
    } catch {
      return null;
    } finally {
      thread?.unref?.();
    }
  });
  queue = run.catch(() => undefined);
  try {
    return await run;
  } catch (err) {
    if (err instanceof LedgerlensError) throw err;
    throw new LedgerlensError('OCR_FAILED', `orientation detection failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** A grey image turned clockwise by `turn` degrees. */
export function turnGray(gray: Uint8Array, width: number, height: number, turn: Turn): { gray: Uint8Array; width: number; height: number } {
  if (turn === 0) return { gray, width, height };
  if (turn === 180) {
    const out = new Uint8Array(gray.length);
    for (let i = 0, n = gray.length; i < n; i++) out[i] = gray[n - 1 - i]!;
    return { gray: out, width, height };
  }
  // 90 clockwise: new (x', y') = (height-1-y, x); 270: (y, width-1-x). New size height x width.
  const out = new Uint8Array(gray.length);
  const W = height;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = gray[row + x]!;
      if (turn === 90) out[x * W + (height - 1 - y)] = v;
      else out[(width - 1 - x) * W + y] = v;
    }
  }
  return { gray: out, width: height, height: width };
}

/** Terminates the OSD worker (closeOcrPool calls it). Safe to call twice. */
export async function closeOrientation(): Promise<void> {
  const current = worker;
  worker = null;
  if (!current) return;
  try { await (await current).terminate(); } catch { /* it never started */ }
}
