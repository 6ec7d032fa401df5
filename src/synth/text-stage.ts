/**
 * The document-text stage as the generator uses it: read words from a PDF or scan exactly as the
 * product does (readDocumentText), and render PDF pages for scans with the same renderer.
 */
import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import { closeOcrPool } from '../document/ocr-pool.js';
import { openPdf } from '../document/pdf-document.js';
import { renderPage } from '../document/pdf-render.js';
import { readDocumentText } from '../document/read-document.js';
import type { PageRenderer } from './scan.js';

export interface TextStage {
  read(bytes: Uint8Array, file: string): Promise<DocumentText>;
  render: PageRenderer;
  /** Ends the OCR workers (they keep a process alive). */
  close(): Promise<void>;
}

export async function loadTextStage(config: Config): Promise<TextStage> {
  return {
    read: (bytes, file) => readDocumentText(bytes, { file, config }),
    render: async (pdf, page, dpi) => {
      const doc = await openPdf(pdf, config.limits.maxPages);
      try {
        const r = await renderPage(doc, page, { dpi, maxPixels: config.limits.maxImagePixels });
        return { gray: r.gray, width: r.width, height: r.height, scale: r.scale };
      } finally {
        await doc.destroy();
      }
    },
    close: closeOcrPool,
  };
}
