import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RawPage } from '../core/document-text.js';
import { pdfError } from './pdf-document.js';
import { readTextLayer } from './pdf-text-layer.js';

/** What the PDF reader needs for pages whose text layer is missing or garbage. */
export type PageOcr = (doc: PDFDocumentProxy, pageNumber: number) => Promise<RawPage>;

/**
 * Reads every page: the text layer when it is usable, otherwise `ocrPage` (render + OCR), page by
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
    try {
      const page = await doc.getPage(n);
      result = await readTextLayer(page, n);
      page.cleanup();
    } catch (err) {
      throw pdfError(err);
    }
    pages.push(result.verdict === 'usable' || !ocrPage ? result.page : await ocrPage(doc, n));
    onPage?.(n, doc.numPages);
  }
  return pages;
}
