import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';
import { layoutText, type DocumentSource, type DocumentText, type MediaType, type RawPage } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import { detectMediaType } from './detect-type.js';
import { decodeImagePage, imagePageCount } from './image-reader.js';
import { DEFAULT_OCR_TUNING, ocrGray, type OcrResult, type OcrTuning } from './ocr-image.js';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { openPdf } from './pdf-document.js';
import { renderBudgetFor, type RenderBudget } from './pdf-limits.js';
import { largestImageShare } from './pdf-images.js';
import { readPdfPages, type PdfOcr } from './pdf-reader.js';
import { ocrPageShell, renderPage } from './pdf-render.js';

export interface ReadDocumentOptions {
  file?: string | null;
  config: Config;
  /** Called after each page: pages done, pages in all. */
  onProgress?: (done: number, total: number) => void;
  /** false: never OCR; pages that would need it (images, text-less PDF pages) come back without words. */
  ocr?: boolean;
  /**
   * The PDF already opened by the caller (it destroys it), best with `images: false` (openPdf), so
   * a stage parses each PDF once for its text; pages that need OCR or an image check are read from
   * a second opening with the images, made only when such a page comes.
   */
  pdf?: PDFDocumentProxy;
  /** How pages are prepared and read by OCR (benchmarks compare settings; default DEFAULT_OCR_TUNING). */
  ocrTuning?: OcrTuning;
}

export function describeSource(bytes: Uint8Array, file: string | null, mediaType: MediaType, pages: number): DocumentSource {
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    mediaType,
    bytes: bytes.byteLength,
    pages,
  };
}

/** A page's shell with its OCR reading: a detected quarter-turn swaps its size and adds to its rotation. */
function turned<T extends { width: number; height: number; rotation?: number }>(shell: T, r: OcrResult): T & Omit<OcrResult, 'turn'> {
  const { turn, ...reading } = r;
  const quarter = turn === 90 || turn === 270;
  return {
    ...shell, ...reading,
    width: quarter ? shell.height : shell.width, height: quarter ? shell.width : shell.height,
    rotation: ((shell.rotation ?? 0) + turn) % 360,
  };
}

/** Pages recognised at once while the next ones render or decode: one per worker, plus one queued. */
const ocrWindow = (config: Config) => config.ocr.workers + 1;

/** The PDF with its images, opened on first use: most PDFs never need it. */
function pdfWithImages(bytes: Uint8Array, config: Config) {
  let opened: Promise<PDFDocumentProxy> | undefined;
  return {
    get: () => (opened ??= openPdf(bytes, config.limits.maxPages, { maxImagePixels: config.limits.maxImagePixels })),
    async close() { await (await opened?.catch(() => undefined))?.destroy(); },
  };
}

const pdfOcr = (full: () => Promise<PDFDocumentProxy>, config: Config, budget: RenderBudget, tuning: OcrTuning): PdfOcr => ({
  window: ocrWindow(config),
  async imageShare(n) {
    const page = await (await full()).getPage(n);
    try {
      return await largestImageShare(page);
    } finally {
      page.cleanup();
    }
  },
  async render(n) {
    const doc = await full();
    await budget.chargePage(doc, n); // limits.maxRenderedPixels, before any bitmap is allocated
    const rendered = await renderPage(doc, n, { dpi: config.ocr.dpi, maxPixels: config.limits.maxImagePixels });
    const shell = ocrPageShell(n, rendered);
    return { result: ocrGray(rendered, config, 1 / rendered.scale, tuning).then((r) => turned(shell, r)) };
  },
});

async function readPdf(bytes: Uint8Array, options: ReadDocumentOptions): Promise<RawPage[]> {
  const { config } = options;
  const doc = options.pdf ?? await openPdf(bytes, config.limits.maxPages, { images: false });
  const full = pdfWithImages(bytes, config);
  try {
    const ocr = options.ocr === false ? null : pdfOcr(full.get, config, renderBudgetFor(config), options.ocrTuning ?? DEFAULT_OCR_TUNING);
    return await readPdfPages(doc, ocr, options.onProgress);
  } finally {
    await full.close();
    if (!options.pdf) await doc.destroy();
  }
}

async function readImage(bytes: Uint8Array, mediaType: MediaType, options: ReadDocumentOptions): Promise<RawPage[]> {
  const { config } = options;
  const count = await imagePageCount(bytes, mediaType);
  if (count > config.limits.maxPages) {
    throw new LedgerlensError('TOO_MANY_PAGES', `the image has ${count} pages; the limit is ${config.limits.maxPages} (limits.maxPages)`);
  }
  // decode page by page; up to ocrWindow pages are recognised at once, finished in order
  const pending: Promise<RawPage>[] = [];
  const pages: RawPage[] = [];
  const settleOldest = async () => {
    pages.push(await pending.shift()!);
    options.onProgress?.(pages.length, count);
  };
  for (let i = 0; i < count; i++) {
    if (pending.length >= ocrWindow(config)) await settleOldest();
    const image = await decodeImagePage(bytes, mediaType, i, config);
    const shell = { number: i + 1, width: image.width, height: image.height, unit: 'px' as const, method: 'ocr' as const, rotation: image.rotation };
    const page = options.ocr === false
      ? Promise.resolve({ ...shell, words: [] })
      : ocrGray(image, config, 1, options.ocrTuning ?? DEFAULT_OCR_TUNING).then((r) => turned(shell, r));
    page.catch(() => undefined); // awaited in order by settleOldest
    pending.push(page);
  }
  while (pending.length > 0) await settleOldest();
  return pages;
}

/**
 * The document-text stage: file bytes -> DocumentText. The type comes from the content.
 * Units: PDF pages are always in points (text-layer words directly; OCR words of a rendered page
 * are converted back from pixels with 72/dpi), so a page's boxes do not depend on how it was
 * read. Image pages are in image pixels of the upright (EXIF-rotated) image.
 * With `ocr: false`, pages that need OCR come back with no words.
 */
export async function readDocumentText(bytes: Uint8Array, options: ReadDocumentOptions): Promise<DocumentText> {
  const { config } = options;
  if (bytes.byteLength > config.limits.maxFileBytes) {
    throw new LedgerlensError('FILE_TOO_LARGE', `the file is ${bytes.byteLength} bytes; the limit is ${config.limits.maxFileBytes} (limits.maxFileBytes)`);
  }
  const mediaType = detectMediaType(bytes);
  let raw: RawPage[];
  if (mediaType === 'application/xml') {
    throw new LedgerlensError('UNSUPPORTED_MEDIA_TYPE', 'XML e-invoices have no page text: they are read by the e-invoice fast path');
  } else if (mediaType === 'application/pdf') {
    raw = await readPdf(bytes, options);
  } else {
    raw = await readImage(bytes, mediaType, options);
  }
  const { pages, text } = layoutText(raw);
  return { source: describeSource(bytes, options.file ?? null, mediaType, pages.length), pages, text };
}
