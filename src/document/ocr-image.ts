import sharp from 'sharp';
import type { RawWord } from '../core/document-text.js';
import type { Config } from '../config/config.js';
import { guessLanguage } from './ocr-language.js';
import { detectOrientation, MIN_ORIENTATION_CONFIDENCE, SURE_ORIENTATION_CONFIDENCE, turnGray, type Orientation, type Turn } from './ocr-orientation.js';
import { firstPassLanguages, recognize, type OcrJobOptions } from './ocr-pool.js';
import { tesseractWords, toPgm, withoutSpecks } from './ocr-words.js';

/**
 * How a grey page image is prepared and read. Each knob was measured on its own on the SROIE dev
 * receipts (bench/ocr-receipts.bench.ts; the README's text-stage section has the table);
 * DEFAULT_OCR_TUNING holds what helped.
 */
export interface OcrTuning {
  /** tesseract page segmentation mode: 3 automatic, 4 one column of variable sizes, 6 one block, 11 sparse. */
  psm: 3 | 4 | 6 | 11;
  /** tesseract's thresholding_method: 0 global Otsu, 1 leptonica's tiled (adaptive) Otsu, 2 Sauvola (adaptive). */
  threshold: 0 | 1 | 2;
  /**
   * Scale the image so that its median character height (estimated from connected components)
   * becomes this many pixels; 0 keeps the image's own scale.
   */
  textHeight: number;
  /**
   * Scaling up stops at this many pixels (a page already larger is only ever scaled down): the
   * time and memory of recognition grow with the pixels, and a 300-dpi A4 page (8.7 Mpx) needs
   * no enlarging.
   */
  maxUpscalePixels: number;
  /** Let tesseract measure the text lines' skew and read the image rotated straight (tesseract.js rotateAuto). */
  deskew: boolean;
  /**
   * Lines whose mean word confidence is below this (0..1) are cut out and read again as one text
   * line (PSM 7) at twice the size; the second reading replaces the first when its confidence is
   * higher. 0 turns the second pass off.
   */
  secondPassBelow: number;
  /** Drop scanning noise read as words: specks, rules read as letters, guessed marks far from their line (withoutSpecks). */
  despeckle: boolean;
}

/**
 * Chosen on the first 50 SROIE dev receipts (the other 50 held out): scaling to a 40 px character
 * height was the one knob that helped (word recall 82.3% -> 83.5%, key fields verbatim 74.0% ->
 * 76.5%, unbounded); other segmentation modes, adaptive thresholds, deskew and the second pass
 * did not. Enlarging is bounded by 9 Mpx so that a 300-dpi A4 page is read at its own size (time
 * and memory; unbounded, such a page was enlarged 2.5x in pixels).
 * Despeckling (2026-12-04): on the tune half key fields verbatim 76.5% -> 77.5% (addresses 36 -> 40%),
 * on the held-out half 69.0% -> 69.0%; it drops about 6 noise words per receipt (of those on the 50
 * tune receipts, 5 of 299 overlap a gold line's box), so the text and the address extents are cleaner.
 */
export const DEFAULT_OCR_TUNING: OcrTuning = { psm: 6, threshold: 0, textHeight: 40, maxUpscalePixels: 9_000_000, deskew: false, secondPassBelow: 0, despeckle: true };

/** Scale factors outside this range are clamped (a wrong estimate must not blow a page up or erase it). */
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;

/**
 * Median height in pixels of the character-like connected components of a grey image (dark
 * on light), or null when there are too few to tell. Measured on a copy box-averaged down to at
 * most ~1200 pixels wide, binarised with Otsu's threshold; components count as characters when
 * they are at least 3 pixels tall (after averaging), under 1/8 of the page's height, and no wider
 * than 3 times their height (rules, boxes and underlines are not).
 */
export function estimateTextHeight(gray: Uint8Array, width: number, height: number): number | null {
  const f = Math.max(1, Math.ceil(width / 1200));
  const w = Math.floor(width / f);
  const h = Math.floor(height / f);
  if (w < 8 || h < 8) return null;
  const small = new Uint8Array(w * h);
  const hist = new Float64Array(256);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * width + x * f;
        for (let dx = 0; dx < f; dx++) s += gray[row + dx]!;
      }
      const v = Math.round(s / (f * f));
      small[y * w + x] = v;
      hist[v]!++;
    }
  }
  const t = otsu(hist, w * h);
  // connected components of dark pixels (4-connected), by union-find over row runs of labels
  const labels = new Int32Array(w * h);
  const parent: number[] = [0];
  const find = (a: number): number => { while (parent[a] !== a) { parent[a] = parent[parent[a]!]!; a = parent[a]!; } return a; };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (small[i]! > t) continue;
      const left = x > 0 ? labels[i - 1]! : 0;
      const up = y > 0 ? labels[i - w]! : 0;
      if (left && up) {
        const a = find(left); const b = find(up);
        labels[i] = Math.min(a, b);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      } else if (left || up) {
        labels[i] = left || up;
      } else {
        labels[i] = parent.length;
        parent.push(parent.length);
      }
    }
  }
  const n = parent.length;
  const y0 = new Int32Array(n).fill(h); const y1 = new Int32Array(n).fill(-1);
  const x0 = new Int32Array(n).fill(w); const x1 = new Int32Array(n).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = labels[y * w + x]!;
      if (!l) continue;
      const r = find(l);
      if (y < y0[r]!) y0[r] = y;
      if (y > y1[r]!) y1[r] = y;
      if (x < x0[r]!) x0[r] = x;
      if (x > x1[r]!) x1[r] = x;
    }
  }
  const heights: number[] = [];
  for (let r = 1; r < n; r++) {
    if (find(r) !== r) continue;
    const ch = y1[r]! - y0[r]! + 1;
    const cw = x1[r]! - x0[r]! + 1;
    if (ch >= 3 && ch < h / 8 && cw <= 3 * ch) heights.push(ch);
  }
  if (heights.length < 10) return null;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)]! * f;
}

function otsu(hist: Float64Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0; let wB = 0; let best = 0; let threshold = 127;
  for (let i = 0; i < 256; i++) {
    wB += hist[i]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += i * hist[i]!;
    const mB = sumB / wB; const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) { best = between; threshold = i; }
  }
  return threshold;
}

/**
 * The scale factor that brings the image's text to `target` pixels high (1 when off or unknown),
 * enlarging to at most `maxUpscalePixels` and never over `maxPixels` (limits.maxImagePixels).
 */
export function textScale(gray: Uint8Array, width: number, height: number, target: number, maxPixels: number, maxUpscalePixels = Infinity): number {
  if (target <= 0) return 1;
  const est = estimateTextHeight(gray, width, height);
  if (!est) return 1;
  let s = Math.min(MAX_SCALE, Math.max(MIN_SCALE, target / est));
  if (s > 1) s = Math.max(1, Math.min(s, Math.sqrt(maxUpscalePixels / (width * height))));
  s = Math.min(s, Math.sqrt(maxPixels / (width * height))); // never over limits.maxImagePixels
  return Math.abs(s - 1) < 0.1 ? 1 : s;
}

async function resizeGray(gray: Uint8Array, width: number, height: number, s: number): Promise<{ gray: Uint8Array; width: number; height: number }> {
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  const { data } = await sharp(gray, { raw: { width, height, channels: 1 }, limitInputPixels: false })
    .resize(w, h, { kernel: s < 1 ? 'lanczos3' : 'cubic', fit: 'fill' })
    .toColourspace('b-w') // one channel out (sharp would otherwise write three)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { gray: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: w, height: h };
}

function crop(gray: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const w = x1 - x0; const out = new Uint8Array(w * (y1 - y0));
  for (let y = y0; y < y1; y++) out.set(gray.subarray(y * width + x0, y * width + x1), (y - y0) * w);
  return out;
}

const meanConfidence = (ws: readonly RawWord[]) => ws.reduce((s, w) => s + w.confidence, 0) / Math.max(1, ws.length);

/**
 * An OCR'd page's words, the tesseract languages they were read with ('eng', 'deu', 'deu+eng'),
 * and the clockwise turn applied first to make the page upright (orientation detection; 0 when
 * none): the words' boxes are in the turned page, whose width and height swap on 90 and 270.
 */
export interface OcrResult { words: RawWord[]; language: string; turn: Turn }

/**
 * OCR of one grey page image. Boxes come back in the input image's pixels multiplied by
 * `boxScale` (1 for image files, 72/dpi for rendered PDF pages), whatever scaling was applied
 * for recognition. With ocr.languages 'auto' the page is read in English, and read again in
 * `<lang>` alone when its words indicate another language (ocr-language.ts); that reading is kept.
 * Alone, not `<lang>+eng`: on generated invoices (tune seeds 1-2 per language) the language's own
 * model read 98% of the accented words (65/66) against 88% (58/66) with English added (which turns `ä` into `éa`
 * and `ü` into `ii`), for 0-1.4 points fewer of all words (bench/ocr-languages.bench.ts).
 */
export async function ocrGray(
  image: { gray: Uint8Array; width: number; height: number },
  config: Config,
  boxScale: number,
  tuning: OcrTuning = DEFAULT_OCR_TUNING,
): Promise<OcrResult> {
  const s = textScale(image.gray, image.width, image.height, tuning.textHeight, config.limits.maxImagePixels, tuning.maxUpscalePixels);
  let img = s === 1 ? image : await resizeGray(image.gray, image.width, image.height, s);
  let pgm = toPgm(img.gray, img.width, img.height);
  let languages = firstPassLanguages(config);
  let turn: Turn = 0;
  let words: RawWord[] | null = null;
  const o = config.ocr.orientation === 'auto' ? await detectOrientation(await osdCopy(img, tuning)) : null;
  if (o && o.turn !== 0 && o.confidence >= MIN_ORIENTATION_CONFIDENCE) {
    const turned = turnGray(img.gray, img.width, img.height, o.turn);
    const turnedPgm = toPgm(turned.gray, turned.width, turned.height);
    const turnedWords = await readPage(turnedPgm, turned, config, tuning, languages);
    // below SURE_ORIENTATION_CONFIDENCE the page is read as stored too, and the better reading kept
    const stored = o.confidence >= SURE_ORIENTATION_CONFIDENCE ? null : await readPage(pgm, img, config, tuning, languages);
    if (!stored || readingScore(turnedWords) > readingScore(stored)) {
      turn = o.turn; img = turned; pgm = turnedPgm; words = turnedWords;
    } else {
      words = stored;
    }
  }
  words ??= await readPage(pgm, img, config, tuning, languages);
  if (config.ocr.languages === 'auto') {
    const guess = guessLanguage(words.map((w) => w.text));
    if (guess !== 'eng') {
      languages = [guess];
      words = await readPage(pgm, img, config, tuning, languages);
    }
  }
  const k = boxScale / s;
  const scaled = k === 1 ? words : words.map((w) => ({ ...w, bbox: w.bbox.map((v) => Math.round(v * k * 100) / 100) as RawWord['bbox'] }));
  return { words: scaled, language: languages.join('+'), turn };
}

/**
 * How much a reading says: the summed confidence of its words of two letters or digits or more.
 * A page read the wrong way round gives few such words, at low confidence.
 */
export function readingScore(words: readonly RawWord[]): number {
  let s = 0;
  for (const w of words) if ((w.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2) s += w.confidence;
  return s;
}

/** The orientation tesseract detects on a page prepared as ocrGray prepares it (scaled to the tuning's text height); for benchmarks. */
export async function pageOrientation(image: { gray: Uint8Array; width: number; height: number }, config: Config, tuning: OcrTuning = DEFAULT_OCR_TUNING): Promise<Orientation | null> {
  const s = textScale(image.gray, image.width, image.height, tuning.textHeight, config.limits.maxImagePixels, tuning.maxUpscalePixels);
  const img = s === 1 ? image : await resizeGray(image.gray, image.width, image.height, s);
  return detectOrientation(await osdCopy(img, tuning));
}

/**
 * Orientation detection runs on a copy with text OSD_TEXT_HEIGHT px high: on 6 generated invoices
 * and 20 SROIE receipts, each in four orientations, OSD named the turn as often at 20 px as at 40
 * (104/104 against 103/104) in 518 against 1321 ms per page.
 */
const OSD_TEXT_HEIGHT = 20;
type GrayImage = { gray: Uint8Array; width: number; height: number };
async function osdCopy(img: GrayImage, tuning: OcrTuning): Promise<GrayImage> {
  const f = tuning.textHeight > 0 ? OSD_TEXT_HEIGHT / tuning.textHeight : 1;
  return f < 1 ? resizeGray(img.gray, img.width, img.height, f) : img;
}

/** One reading of the prepared page in `languages`, with the second pass when the tuning asks for it. */
async function readPage(
  pgm: Uint8Array, img: { gray: Uint8Array; width: number; height: number }, config: Config, tuning: OcrTuning, languages: readonly string[],
): Promise<RawWord[]> {
  const params: OcrJobOptions = {
    tessedit_pageseg_mode: String(tuning.psm),
    thresholding_method: String(tuning.threshold),
    ...(tuning.deskew ? { rotateAuto: true } : {}),
  };
  const page = await recognize(pgm, config, params, languages);
  const read = tesseractWords(page, 1);
  const words = tuning.despeckle ? withoutSpecks(read) : read;
  const rotated = tuning.deskew && Math.abs(page.rotateRadians ?? 0) > 0;
  return tuning.secondPassBelow > 0 && !rotated ? secondPass(words, img, config, tuning, languages) : words;
}

/** Re-reads the low-confidence lines one at a time, cut out with a margin, at twice the size. */
async function secondPass(
  words: RawWord[], img: { gray: Uint8Array; width: number; height: number }, config: Config, tuning: OcrTuning, languages: readonly string[],
): Promise<RawWord[]> {
  const lines = new Map<number, RawWord[]>();
  for (const w of words) lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  const out: RawWord[] = [];
  for (const [line, ws] of lines) {
    if (meanConfidence(ws) >= tuning.secondPassBelow) { out.push(...ws); continue; }
    const lh = Math.max(...ws.map((w) => w.bbox[3] - w.bbox[1]));
    const m = Math.ceil(lh * 0.3);
    const x0 = Math.max(0, Math.floor(Math.min(...ws.map((w) => w.bbox[0]))) - m);
    const y0 = Math.max(0, Math.floor(Math.min(...ws.map((w) => w.bbox[1]))) - m);
    const x1 = Math.min(img.width, Math.ceil(Math.max(...ws.map((w) => w.bbox[2]))) + m);
    const y1 = Math.min(img.height, Math.ceil(Math.max(...ws.map((w) => w.bbox[3]))) + m);
    if (x1 - x0 < 4 || y1 - y0 < 4) { out.push(...ws); continue; }
    const cut = await resizeGray(crop(img.gray, img.width, x0, y0, x1, y1), x1 - x0, y1 - y0, 2);
    const page = await recognize(toPgm(cut.gray, cut.width, cut.height), config, {
      tessedit_pageseg_mode: '7', thresholding_method: String(tuning.threshold),
    }, languages);
    const again = tesseractWords(page, 0.5).map((w) => ({
      ...w, line, bbox: [w.bbox[0] + x0, w.bbox[1] + y0, w.bbox[2] + x0, w.bbox[3] + y0] as RawWord['bbox'],
    }));
    out.push(...(again.length > 0 && meanConfidence(again) > meanConfidence(ws) ? again : ws));
  }
  return out;
}
