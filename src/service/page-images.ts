import { LedgerlensError } from '../core/errors.js';
import type { DocumentInfo } from './document-state.js';
import type { ServiceContext } from './service-context.js';

/** Resolution of page images for the review page: enough to read, small enough to send. */
const PAGE_DPI = 110;
const BROWSER_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/**
 * One page of a document as an image for the review page, rendered once and kept beside the
 * document's artefacts (`pages/p<n>.png`). PDFs are rendered with pdfjs (the page's /Rotate
 * applied, as the text stage reads it); a PNG, JPEG or WebP upload is its own page image; a TIFF
 * is converted to PNG (BMP: text boxes only). Word boxes are in page units, so the page draws them over an image of
 * any resolution. NOT_FOUND when the document has no such page or no image can be made of it.
 */
export async function pageImage(ctx: ServiceContext, doc: DocumentInfo, page: number): Promise<{ bytes: Uint8Array; type: string }> {
  const name = `pages/p${page}.png`;
  if (page === 1 && BROWSER_IMAGE_TYPES.has(doc.mediaType)) return { bytes: await ctx.store.getOriginal(doc.sha256), type: doc.mediaType };
  if (await ctx.store.hasDocumentFile(doc.id, name)) return { bytes: await ctx.store.getDocumentFile(doc.id, name), type: 'image/png' };
  const bytes = await render(ctx, doc, page);
  await ctx.store.putDocumentFile(doc.id, name, bytes);
  return { bytes, type: 'image/png' };
}

async function render(ctx: ServiceContext, doc: DocumentInfo, page: number): Promise<Uint8Array> {
  const original = await ctx.store.getOriginal(doc.sha256);
  const none = (why: string) => new LedgerlensError('NOT_FOUND', `no image of page ${page} of ${doc.id}: ${why}`);
  if (doc.mediaType === 'application/pdf') {
    const [{ openPdf }, { renderPage }] = await Promise.all([import('../document/pdf-document.js'), import('../document/pdf-render.js')]);
    let pdf;
    try {
      pdf = await openPdf(original, ctx.config.limits.maxPages, { maxImagePixels: ctx.config.limits.maxImagePixels });
    } catch (err) {
      throw none((err as Error).message);
    }
    try {
      if (page > pdf.numPages) throw none(`it has ${pdf.numPages} page(s)`);
      const rendered = await renderPage(pdf, page, { dpi: PAGE_DPI, maxPixels: ctx.config.limits.maxImagePixels, png: true });
      return rendered.png!;
    } finally {
      await pdf.destroy();
    }
  }
  if (page === 1 && doc.mediaType === 'image/tiff') {
    const { default: sharp } = await import('sharp');
    try {
      return new Uint8Array(await sharp(original, { limitInputPixels: ctx.config.limits.maxImagePixels }).png().toBuffer());
    } catch (err) {
      throw none((err as Error).message);
    }
  }
  throw none(`a ${doc.mediaType} document has no page ${page} image`);
}
