import { LedgerlensError } from '../core/errors.js';

/** A file embedded in a PDF (document-level EmbeddedFiles name tree, where Factur-X puts its XML). */
export interface PdfAttachment {
  name: string;
  content: Uint8Array;
}

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfjsModule> | null = null;
/** pdfjs-dist 5.6 legacy build (Node 20), loaded once per process on first use. */
function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

/** pdfjs failures that describe the file itself map to permanent codes; anything else is rethrown. */
function mapPdfjsError(err: unknown): unknown {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return new LedgerlensError('ENCRYPTED_DOCUMENT', 'The PDF is encrypted', { cause: err });
  if (name === 'InvalidPDFException' || name === 'FormatError') {
    return new LedgerlensError('CORRUPT_DOCUMENT', `The PDF is damaged: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/** The embedded files of a PDF already opened with pdfjs (the caller destroys it). */
export async function attachmentsOf(doc: { getAttachments(): Promise<unknown> }): Promise<PdfAttachment[]> {
  try {
    const attachments = (await doc.getAttachments()) as Record<string, { filename?: string; rawFilename?: string; content?: Uint8Array }> | null;
    return Object.entries(attachments ?? {})
      .filter(([, a]) => a.content instanceof Uint8Array)
      .map(([key, a]) => ({ name: a.filename || a.rawFilename || key, content: a.content! }));
  } catch (err) {
    throw mapPdfjsError(err);
  }
}

/**
 * Lists a PDF's embedded files. pdfjs transfers (detaches) the buffer it is given, so it gets a copy;
 * it runs without a worker fetch (the legacy build's in-process worker) and with eval off.
 */
export async function listPdfAttachments(pdfBytes: Uint8Array): Promise<PdfAttachment[]> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: pdfBytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const attachments = (await doc.getAttachments()) as Record<string, { filename?: string; rawFilename?: string; content?: Uint8Array }> | null;
    return Object.entries(attachments ?? {})
      .filter(([, a]) => a.content instanceof Uint8Array)
      .map(([key, a]) => ({ name: a.filename || a.rawFilename || key, content: a.content! }));
  } catch (err) {
    throw mapPdfjsError(err);
  } finally {
    await task.destroy();
  }
}
