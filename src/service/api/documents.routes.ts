import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLedgerlensError, LedgerlensError } from '../../core/errors.js';
import type { DocumentInfo, DocumentStatus } from '../document-state.js';
import { ingestDocument } from '../ingest.js';
import { removeVersions } from '../record-versions.js';
import { PIPELINE, jobIdFor, type JobName } from '../job-registry.js';
import { decodeCursor, encodeCursor } from '../records-export.js';
import type { ServiceContext } from '../service-context.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { writeCii } from '../../einvoice/cii-write.js';
import { writeUbl } from '../../einvoice/ubl-write.js';
import { mayAccess, scopeOf, tenantOf } from './auth.js';
import { isRedisDown, withRedisDeadline } from './limits.js';
import { CONFLICT_RESPONSE, DocumentsPage, DocumentsQuery, ERROR_RESPONSES, IdParams, RecordFormatQuery, ref, type RecordFormat } from './schemas.js';

const view = ({ ...doc }: DocumentInfo) => ({
  ...doc,
  statusUrl: `/v1/documents/${doc.id}`,
  recordUrl: doc.status === 'completed' ? `/v1/documents/${doc.id}/record` : null,
});

/** The document, when it exists and the caller's tenant may see it (404 otherwise: never "it exists, but not yours"). */
export async function mustGet(ctx: ServiceContext, request: FastifyRequest, id: string): Promise<DocumentInfo> {
  const doc = await ctx.state.get(id);
  if (!doc || !mayAccess(request, doc.tenant)) throw new LedgerlensError('NOT_FOUND', `no document ${id}`);
  return doc;
}

/**
 * The one file of an upload. Exactly one file part is accepted (a second one is refused with 400,
 * not silently ignored); other fields are skipped. A body that is not well-formed multipart is 400.
 */
async function readOneFile(request: FastifyRequest): Promise<{ bytes: Buffer; fileName: string | null }> {
  let file: { bytes: Buffer; fileName: string | null } | null = null;
  try {
    for await (const part of request.parts({ limits: { files: 2 } })) {
      if (part.type !== 'file') continue;
      if (file) {
        part.file.resume();
        throw new LedgerlensError('INVALID_INPUT', `upload exactly one file part; a second one (${(part as MultipartFile).fieldname}) was sent`);
      }
      file = { bytes: await (part as MultipartFile).toBuffer(), fileName: (part as MultipartFile).filename || null };
    }
  } catch (err) {
    if (isLedgerlensError(err) || (err as { code?: string }).code?.startsWith('FST_')) throw err;
    // busboy's parse errors (bad boundary, truncated part headers, unexpected end of form) are the client's.
    throw new LedgerlensError('INVALID_INPUT', `malformed multipart body: ${(err as Error).message}`);
  }
  if (!file) throw new LedgerlensError('INVALID_INPUT', 'the request has no file part');
  return file;
}

export function documentRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post('/v1/documents', {
    schema: {
      operationId: 'uploadDocument',
      tags: ['documents'],
      summary: 'Upload a document',
      description: 'multipart/form-data with exactly one file part. The type is sniffed from the content. The same bytes again from the same tenant return the same document (200).',
      consumes: ['multipart/form-data'],
      response: {
        200: { description: 'Uploaded before: the existing document', ...ref('Document') },
        202: { description: 'Accepted for processing', ...ref('Document') },
        413: { description: 'Over limits.maxFileBytes (FILE_TOO_LARGE)', ...ref('Error') },
        415: { description: 'Not a supported type, or not multipart (UNSUPPORTED_MEDIA_TYPE)', ...ref('Error') },
        ...ERROR_RESPONSES,
      },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new LedgerlensError('UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data');
    const { bytes, fileName } = await readOneFile(request);
    try {
      const { document, created } = await withRedisDeadline(ingestDocument(ctx, bytes, fileName, tenantOf(request)), 10_000);
      request.log.info({ documentId: document.id, created, bytes: bytes.byteLength }, created ? 'document accepted' : 'document uploaded again');
      // 202: accepted for processing; 200: this file was uploaded before and is the same document.
      return reply.status(created ? 202 : 200).header('location', `/v1/documents/${document.id}`).send(view(document));
    } catch (err) {
      if (isRedisDown(err)) throw new LedgerlensError('UNAVAILABLE', 'the queue store (Redis) is unreachable; try again shortly');
      throw err;
    }
  });

  app.get<{ Querystring: { status?: DocumentStatus; limit: number; cursor?: string } }>('/v1/documents', {
    schema: {
      operationId: 'listDocuments',
      tags: ['documents'],
      summary: 'List documents, newest first',
      description: 'Filter by status; page with nextCursor (also in X-Next-Cursor). A page may hold fewer than limit documents and still have a nextCursor when few match the filter.',
      querystring: DocumentsQuery,
      response: { 200: { description: 'A page of documents', ...DocumentsPage }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const { status, limit, cursor } = request.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) throw new LedgerlensError('INVALID_INPUT', 'malformed cursor');
    const page = await ctx.state.listDocuments({ tenant: scopeOf(request), status, limit, after });
    const nextCursor = page.next ? encodeCursor(page.next.score, page.next.id) : null;
    if (nextCursor) reply.header('x-next-cursor', nextCursor);
    return { documents: page.documents.map(view), nextCursor };
  });

  app.get<{ Params: { id: string } }>('/v1/documents/:id', {
    schema: {
      operationId: 'getDocument', tags: ['documents'],
      summary: 'Status, stage, progress and error code of a document',
      params: IdParams, response: { 200: { description: 'The document', ...ref('Document') }, ...ERROR_RESPONSES },
    },
  }, async (request) => view(await mustGet(ctx, request, request.params.id)));

  app.get<{ Params: { id: string }; Querystring: { format?: RecordFormat } }>('/v1/documents/:id/record', {
    schema: {
      operationId: 'getRecord', tags: ['records'],
      summary: 'The extracted invoice record',
      description: '?format=ubl (UBL 2.1 Invoice/CreditNote, Peppol BIS 3 shape) or ?format=cii (Factur-X/ZUGFeRD CII XML); 422 INCOMPLETE_RECORD lists what the record lacks for that syntax.',
      params: IdParams, querystring: RecordFormatQuery, produces: ['application/json', 'application/xml'],
      response: {
        200: { description: 'The record', ...ref('InvoiceRecord') },
        422: { description: 'The record lacks what the chosen syntax needs (INCOMPLETE_RECORD)', ...ref('Error') },
        ...CONFLICT_RESPONSE, ...ERROR_RESPONSES,
      },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request, request.params.id);
    if (doc.status !== 'completed') throw new LedgerlensError('CONFLICT', `document ${doc.id} has no record yet (status ${doc.status})`);
    const record = await ctx.store.getArtefact(doc.id, 'record');
    const format = request.query.format ?? 'json';
    if (format === 'json') return record;
    const parsed = InvoiceRecordSchema.parse(record);
    const out = format === 'ubl' ? writeUbl(parsed) : writeCii(parsed);
    // XML bypasses the JSON serializer; what the syntax could not carry is named in a header
    if (out.omitted.length > 0) reply.header('x-ledgerlens-omitted', out.omitted.join(','));
    return reply.type('application/xml; charset=utf-8').serializer((p: unknown) => p as string).send(out.xml);
  });

  app.delete<{ Params: { id: string } }>('/v1/documents/:id', {
    schema: {
      operationId: 'deleteDocument', tags: ['documents'],
      summary: 'Delete a document, its record, its jobs and its stored files',
      params: IdParams, response: { 204: { description: 'Deleted', type: 'null' }, ...CONFLICT_RESPONSE, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request, request.params.id);
    const jobs = await Promise.all(PIPELINE.map(async (name: JobName) => ctx.queues.queue(name).getJob(jobIdFor(name, { documentId: doc.id, fileName: null }))));
    for (const job of jobs) {
      if (job && (await job.isActive())) throw new LedgerlensError('CONFLICT', `document ${doc.id} is being processed; delete it once it has completed or failed`);
    }
    await Promise.all(jobs.map((job) => job?.remove()));
    await ctx.state.remove(doc.id);
    await ctx.redis.del(`${ctx.config.redis.prefix}:inbox:${doc.id}`);
    await ctx.store.removeArtefacts(doc.id);
    await removeVersions(ctx, doc.id);
    // The original is shared by every tenant that uploaded the same bytes: removed when no document uses it.
    if (!(await ctx.state.originalInUse(doc.sha256))) await ctx.store.removeOriginal(doc.sha256);
    request.log.info({ documentId: doc.id }, 'document deleted');
    return reply.status(204).send();
  });
}
