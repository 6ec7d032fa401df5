import { LedgerlensError } from '../core/errors.js';
import { detectMediaType } from '../document/detect-type.js';
import type { DocumentInfo } from './document-state.js';
import type { ServiceContext } from './service-context.js';

/**
 * Accepts a file into the pipeline: checks it, stores the original by sha256, creates the document
 * and enqueues OCR. The same bytes again return the existing document (created: false).
 * Used by the API, the inbox scheduler and `ledgerlens batch`.
 */
export async function ingestDocument(
  ctx: ServiceContext, bytes: Uint8Array, fileName: string | null,
): Promise<{ document: DocumentInfo; created: boolean }> {
  if (bytes.byteLength > ctx.config.limits.maxFileBytes) {
    throw new LedgerlensError('FILE_TOO_LARGE', `the file has ${bytes.byteLength} bytes; the limit is ${ctx.config.limits.maxFileBytes}`);
  }
  // Sniffed from the content (EMPTY_DOCUMENT, UNSUPPORTED_MEDIA_TYPE); the name and Content-Type are never trusted.
  const mediaType = detectMediaType(bytes);
  const id = await ctx.store.putOriginal(bytes);
  const now = new Date().toISOString();
  const document: DocumentInfo = {
    id, status: 'queued', stage: 'ocr', progress: 0, errorCode: null, errorMessage: null,
    fileName, mediaType, bytes: bytes.byteLength, createdAt: now, updatedAt: now, completedAt: null,
  };
  const created = await ctx.state.create(document);
  const current = created ? document : await ctx.state.get(id);
  if (!current) throw new LedgerlensError('INTERNAL', `document ${id} vanished while it was being created`);
  // Enqueue also when it already existed but is still queued: a producer that died between creating
  // the document and enqueueing is repaired by the next upload. The job id makes this a no-op otherwise.
  if (current.status === 'queued') await ctx.queues.enqueue('invoice.ocr', { documentId: id, fileName: current.fileName });
  return { document: current, created };
}
