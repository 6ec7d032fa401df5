/**
 * The document-text stage as the generator uses it: read words from a PDF or scan exactly as the
 * product does (readDocumentText), and render PDF pages for scans with the same renderer.
 */
import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import type { PageRenderer } from './scan.js';

export interface TextStage {
  read(bytes: Uint8Array, file: string): Promise<DocumentText>;
  render: PageRenderer;
}

interface ReadModule { readDocumentText(bytes: Uint8Array, options: { file?: string | null; config: Config; ocr?: boolean }): Promise<DocumentText> }
interface RenderModule { renderPage(doc: unknown, page: number, o: { dpi: number; maxPixels: number }): Promise<{ gray: Uint8Array; width: number; height: number; scale: number }> }
interface OpenModule { openPdf(bytes: Uint8Array, maxPages: number): Promise<{ destroy(): Promise<void> }> }

// Loaded by path at run time: the document-text stage is developed alongside this module.
const load = <T>(path: string): Promise<T> => import(path) as Promise<T>;

export async function loadTextStage(config: Config): Promise<TextStage> {
  const [{ readDocumentText }, { renderPage }, { openPdf }] = await Promise.all([
    load<ReadModule>('../document/read-document.js'), load<RenderModule>('../document/pdf-render.js'), load<OpenModule>('../document/pdf-document.js'),
  ]);
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
  };
}
