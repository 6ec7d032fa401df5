import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RawPage } from '../core/document-text.js';
import { pdfError } from './pdf-document.js';
import { readTextLayer } from './pdf-text-layer.js';

/**
 * A text layer this thin on a page mostly covered by one image is a stamp or a note on a scan
 * ("Received 2024-03-01", a page number): the page is OCR'd, since its real text is in the image.
 */
export const SPARSE_TEXT_WORDS = 25;
export const SCAN_IMAGE_SHARE = 0.5;

/**
 * OCR for pages that need it, on a document of its own with the images (the text is read from one
 * opened without them: pdf-document.ts): `render` draws the page (awaited, one page at a time:
 * pdfjs runs on this thread) and returns the recognition still running in the pool, so up to
 * `window` pages are recognised at once while the next ones render. `imageShare` is the share of
 * the page its largest image covers (pdf-images.ts).
 */
export interface PdfOcr {
  render(pageNumber: number): Promise<{ result: Promise<RawPage> }>;
  imageShare(pageNumber: number): Promise<number>;
  window: number;
}

/**
 * Reads every page: the text layer when it is usable (text-quality.ts; and not a thin layer over a
 * full-page image), otherwise OCR (render + tesseract), page by page, so a mixed document gets
 * text-layer pages and OCR pages side by side. `ocr` null means OCR is off: such pages come back
 * with their (possibly empty) text-layer words. `onPage` reports pages finished, in order.
 */
export async function readPdfPages(
  doc: PDFDocumentProxy,
  ocr: PdfOcr | null,
  onPage?: (done: number, total: number) => void,
): Promise<RawPage[]> {
  const total = doc.numPages;
  const slots: { page?: RawPage; pending?: Promise<RawPage> }[] = [];
  const inFlight: Promise<RawPage>[] = [];
  let reported = 0;
  const report = () => {
    while (reported < slots.length && slots[reported]!.page) {
      reported++; // not inside onPage?.(...): an absent callback skips evaluating its arguments
      onPage?.(reported, total);
    }
  };
  for (let n = 1; n <= total; n++) {
    let result;
    let useText: boolean;
    try {
      const page = await doc.getPage(n);
      result = await readTextLayer(page, n);
      useText = result.verdict === 'usable';
      if (useText && ocr && result.page.words.length < SPARSE_TEXT_WORDS) {
        useText = (await ocr.imageShare(n)) < SCAN_IMAGE_SHARE;
      }
      page.cleanup();
    } catch (err) {
      throw pdfError(err);
    }
    if (useText || !ocr) {
      slots.push({ page: result.page });
    } else {
      while (inFlight.length >= ocr.window) await inFlight.shift();
      const slot: (typeof slots)[number] = {};
      const { result: pending } = await ocr.render(n);
      slot.pending = pending.then((p) => { slot.page = p; return p; });
      slot.pending.catch(() => undefined); // awaited below; not an unhandled rejection while queued
      inFlight.push(slot.pending);
      slots.push(slot);
    }
    report();
  }
  const pages: RawPage[] = [];
  for (const slot of slots) {
    pages.push(slot.page ?? await slot.pending!);
    report();
  }
  return pages;
}
