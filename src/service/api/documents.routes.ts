import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import type { DocumentInfo } from '../document-state.js';
import { ingestDocument } from '../ingest.js';
import { PIPELINE, jobIdFor, type JobName } from '../job-registry.js';
import type { ServiceContext } from '../service-context.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { writeCii } from '../../einvoice/cii-write.js';
import { writeUbl } from '../../einvoice/ubl-write.js';
import { DocumentBody, ERROR_RESPONSES, ErrorBody, IdParams, RecordBody, RecordFormatQuery, type RecordFormat } from './schemas.js';

const view = (doc: DocumentInfo) => ({
  ...doc,
  statusUrl: `/v1/documents/${doc.id}`,
  recordUrl: doc.status === 'completed' ? `/v1/documents/${doc.id}/record` : null,
});

async function mustGet(ctx: ServiceContext, id: string): Promise<DocumentInfo> {
  const doc = await ctx.state.get(id);
  if (!doc) throw new LedgerlensError('NOT_FOUND', `no document ${id}`);
  return doc;
}

export function documentRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post('/v1/documents', {
    schema: {
      summary: 'Upload a document (multipart/form-data, one file part); the same bytes again return the same document',
      consumes: ['multipart/form-data'],
      response: { 200: DocumentBody, 202: DocumentBody, 413: ErrorBody, 415: ErrorBody, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new LedgerlensError('UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data');
    const file = await request.file();
    if (!file) throw new LedgerlensError('INVALID_INPUT', 'the request has no file part');
    const bytes = await file.toBuffer();
    const { document, created } = await ingestDocument(ctx, bytes, file.filename || null);
    // 202: accepted for processing; 200: this file was uploaded before and is the same document.
    return reply.status(created ? 202 : 200).header('location', `/v1/documents/${document.id}`).send(view(document));
  });

  app.get<{ Params: { id: string } }>('/v1/documents/:id', {
    schema: { summary: 'Status, stage, progress and error code of a document', params: IdParams, response: { 200: DocumentBody, ...ERROR_RESPONSES } },
  }, async (request) => view(await mustGet(ctx, request.params.id)));

  app.get<{ Params: { id: string }; Querystring: { format?: RecordFormat } }>('/v1/documents/:id/record', {
    schema: {
      summary: 'The extracted invoice record; ?format=ubl (UBL 2.1 Invoice/CreditNote, Peppol BIS 3 shape) or ?format=cii (Factur-X/ZUGFeRD CII XML); 422 INCOMPLETE_RECORD lists what the record lacks for that syntax',
      params: IdParams, querystring: RecordFormatQuery, produces: ['application/json', 'application/xml'],
      response: { 200: RecordBody, 422: ErrorBody, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request.params.id);
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
    schema: { summary: 'Delete a document, its record, its jobs and its stored files', params: IdParams, response: { 204: { type: 'null' }, ...ERROR_RESPONSES } },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request.params.id);
    const jobs = await Promise.all(PIPELINE.map(async (name: JobName) => ctx.queues.queue(name).getJob(jobIdFor(name, { documentId: doc.id, fileName: null }))));
    for (const job of jobs) {
      if (job && (await job.isActive())) throw new LedgerlensError('CONFLICT', `document ${doc.id} is being processed; delete it once it has completed or failed`);
    }
    await Promise.all(jobs.map((job) => job?.remove()));
    await ctx.state.remove(doc.id);
    await ctx.redis.del(`${ctx.config.redis.prefix}:inbox:${doc.id}`);
    await ctx.store.remove(doc.id);
    return reply.status(204).send();
  });
}
