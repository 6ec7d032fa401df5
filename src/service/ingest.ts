import { createHash } from 'node:crypto';
import { LedgerlensError } from '../core/errors.js';
import { detectMediaType } from '../document/detect-type.js';
import { DEFAULT_TENANT, type DocumentInfo } from './document-state.js';
import type { ServiceContext } from './service-context.js';

/**
 * A document's id: the file's sha256 in the default tenant (as before tenants existed), else the
 * sha256 of tenant and file digest. So duplicate detection is per tenant, and an id never tells one
 * tenant that another uploaded the same file.
 */
export function documentIdFor(tenant: string, contentSha256: string): string {
  if (tenant === DEFAULT_TENANT) return contentSha256;
  return createHash('sha256').update(`ledgerlens-tenant\0${tenant}\0${contentSha256}`).digest('hex');
}

/**
 * Accepts a file into the pipeline: checks it, stores the original by sha256, creates the document
 * and enqueues OCR. The same bytes again from the same tenant return the existing document
 * (created: false). Used by the API, the inbox scheduler and `ledgerlens batch`.
 */
export async function ingestDocument(
  ctx: ServiceContext, bytes: Uint8Array, fileName: string | null, tenant: string = DEFAULT_TENANT,
): Promise<{ document: DocumentInfo; created: boolean }> {
  if (bytes.byteLength > ctx.config.limits.maxFileBytes) {
    throw new LedgerlensError('FILE_TOO_LARGE', `the file has ${bytes.byteLength} bytes; the limit is ${ctx.config.limits.maxFileBytes}`);
  }
  // Sniffed from the content (EMPTY_DOCUMENT, UNSUPPORTED_MEDIA_TYPE); the name and Content-Type are never trusted.
  const mediaType = detectMediaType(bytes);
  const sha256 = await ctx.store.putOriginal(bytes);
  const id = documentIdFor(tenant, sha256);
  const now = new Date().toISOString();
  const document: DocumentInfo = {
    id, tenant, sha256, status: 'queued', stage: 'ocr', progress: 0, errorCode: null, errorMessage: null,
    fileName, mediaType, bytes: bytes.byteLength, createdAt: now, updatedAt: now, completedAt: null,
  };
  const created = await ctx.state.create(document);
  const current = created ? document : await ctx.state.get(id);
  if (!current) throw new LedgerlensError('INTERNAL', `document ${id} vanished while it was being created`);
  // Enqueue also when it already existed but is still queued: a producer that died between creating
  // the document and enqueueing is repaired by the next upload. The job id makes this a no-op otherwise.
  if (current.status === 'queued' && current.stage === 'ocr') await ctx.queues.enqueue('invoice.ocr', { documentId: id, fileName: current.fileName });
  return { document: current, created };
}
