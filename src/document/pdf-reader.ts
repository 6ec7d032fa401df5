import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RawPage } from '../core/document-text.js';
import { pdfError } from './pdf-document.js';
import { largestImageShare } from './pdf-images.js';
import { readTextLayer } from './pdf-text-layer.js';

/**
 * A text layer this thin on a page mostly covered by one image is a stamp or a note on a scan
 * ("Received 2024-03-01", a page number): the page is OCR'd, since its real text is in the image.
 */
export const SPARSE_TEXT_WORDS = 25;
export const SCAN_IMAGE_SHARE = 0.5;

/** What the PDF reader needs for pages whose text layer is missing or garbage. */
export type PageOcr = (doc: PDFDocumentProxy, pageNumber: number) => Promise<RawPage>;

/**
 * Reads every page: the text layer when it is usable (text-quality.ts; and not a thin layer over a
 * full-page image), otherwise `ocrPage` (render + OCR), page by
 * page, so a mixed document gets text-layer pages and OCR pages side by side. `ocrPage` null means
 * OCR is off: such pages come back with their (possibly empty) text-layer words.
 */
export async function readPdfPages(
  doc: PDFDocumentProxy,
  ocrPage: PageOcr | null,
  onPage?: (done: number, total: number) => void,
): Promise<RawPage[]> {
  const pages: RawPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    let result;
    let useText: boolean;
    try {
      const page = await doc.getPage(n);
      result = await readTextLayer(page, n);
      useText = result.verdict === 'usable';
      if (useText && ocrPage && result.page.words.length < SPARSE_TEXT_WORDS) {
        useText = (await largestImageShare(page)) < SCAN_IMAGE_SHARE;
      }
      page.cleanup();
    } catch (err) {
      throw pdfError(err);
    }
    pages.push(useText || !ocrPage ? result.page : await ocrPage(doc, n));
    onPage?.(n, doc.numPages);
  }
  return pages;
}
