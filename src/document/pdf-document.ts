import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LedgerlensError } from '../core/errors.js';

const require = createRequire(import.meta.url);
const PDFJS_DIR = dirname(require.resolve('pdfjs-dist/package.json'));
/** Local folders shipped in pdfjs-dist; read from disk by pdfjs's Node data factory, never fetched. */
const STANDARD_FONTS = join(PDFJS_DIR, 'standard_fonts') + '/';
const CMAPS = join(PDFJS_DIR, 'cmaps') + '/';
const WASM = join(PDFJS_DIR, 'wasm') + '/';

/**
 * Opens a PDF with pdfjs-dist (legacy build, in-process "fake" worker). The bytes are copied
 * because pdfjs transfers (detaches) the buffer it is given. No network: font, CMap and wasm data
 * come from pdfjs-dist's own folders on disk, eval is off, nothing is fetched by the worker.
 *
 * Error mapping: PasswordException -> ENCRYPTED_DOCUMENT (a PDF encrypted with an empty user
 * password opens and is read like any other), InvalidPDFException and other parse failures ->
 * CORRUPT_DOCUMENT, zero pages -> NO_PAGES, more than maxPages -> TOO_MANY_PAGES.
 *
 * `images: false` opens the PDF for its text: pdfjs then drops every image of more than one pixel
 * from the operator lists instead of decoding it (on invoices with a logo, JPEG decoding was a
 * quarter of the text layer's time). Such a document cannot be rendered or asked where its images
 * are: open a second one for that (read-document.ts does, lazily).
 */
export async function openPdf(
  bytes: Uint8Array, maxPages: number, options: { maxImagePixels?: number; images?: boolean } = {},
): Promise<PDFDocumentProxy> {
  const maxImageSize = options.images === false ? 1 : options.maxImagePixels;
  const task = getDocument({
    data: new Uint8Array(bytes), // a plain copy: Buffer is refused and the buffer given is detached
    isEvalSupported: false,
    useWorkerFetch: false,
    useSystemFonts: false,
    disableFontFace: true,
    fontExtraProperties: true, // font widths per char code: a font's space width when the page draws no space
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
    standardFontDataUrl: STANDARD_FONTS,
    cMapUrl: CMAPS,
    cMapPacked: true,
    wasmUrl: WASM,
    verbosity: VerbosityLevel.ERRORS,
    // Images above the pixel limit are not decoded at all (a tiny JPEG can declare 60000 x 60000).
    ...(maxImageSize ? { maxImageSize } : {}),
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw pdfError(err);
  }
  if (doc.numPages === 0) {
    await doc.destroy();
    throw new LedgerlensError('NO_PAGES', 'the PDF has no pages');
  }
  if (doc.numPages > maxPages) {
    const n = doc.numPages;
    await doc.destroy();
    throw new LedgerlensError('TOO_MANY_PAGES', `the PDF has ${n} pages; the limit is ${maxPages} (limits.maxPages)`);
  }
  return doc;
}

/** Maps a pdfjs failure to a stable code, keeping the original as the cause. */
export function pdfError(err: unknown): LedgerlensError {
  if (err instanceof LedgerlensError) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') {
    return new LedgerlensError('ENCRYPTED_DOCUMENT', `the PDF is password-protected: ${message}`, { cause: err });
  }
  return new LedgerlensError('CORRUPT_DOCUMENT', `the PDF cannot be read: ${message}`, { cause: err });
}
