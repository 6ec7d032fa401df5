import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DocumentTextSchema } from '../../core/document-text.js';
import { LedgerlensError } from '../../core/errors.js';
import type { DocumentInfo, DocumentStatus } from '../document-state.js';
import { fanOut } from '../fan-out.js';
import { pageImage } from '../page-images.js';
import { CorrectionInputSchema } from '../record-corrections.js';
import { correctRecord, getRecordVersion, latestVersions, listVersions, type Author, type VersionEntry } from '../record-versions.js';
import { decodeCursor, encodeCursor } from '../records-export.js';
import type { ServiceContext } from '../service-context.js';
import { scopeOf } from './auth.js';
import { mustGet } from './documents.routes.js';
import { CONFLICT_RESPONSE, ERROR_RESPONSES, IdParams, jsonSchema, ref } from './schemas.js';

/** Who made a correction: the key's tenant and id, and the Basic user name (browsers) or X-Ledgerlens-User. */
function authorOf(request: FastifyRequest): Author {
  const p = request.principal;
  let user = typeof request.headers['x-ledgerlens-user'] === 'string' ? request.headers['x-ledgerlens-user'] : null;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const name = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
    if (name) user = name;
  }
  return { tenant: p?.tenant ?? 'default', keyId: p?.keyId ?? 'auth-disabled', user: user ? user.slice(0, 100) : null };
}

const VersionParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), version: z.coerce.number().int().positive() }));
const PageParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), page: z.coerce.number().int().positive().max(10_000) }));
const QueueQuery = jsonSchema(z.object({
  status: z.enum(['queued', 'processing', 'retrying', 'completed', 'failed']).optional(),
  needsReview: z.boolean().optional().describe('Only completed records with fields under review that nobody has confirmed'),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
}), 'input');

const QueueItem = z.object({
  vendor: z.string().nullable(), invoiceNumber: z.string().nullable(), total: z.string().nullable(), currency: z.string().nullable(),
  reviewCount: z.number().int().describe('Fields under review in the newest version'),
  version: z.number().int().nullable(), reviewed: z.boolean(),
});
const QueuePage = {
  type: 'object', required: ['documents', 'nextCursor'],
  properties: {
    documents: { type: 'array', items: { type: 'object', required: ['document', 'review'], properties: { document: ref('Document'), review: { ...jsonSchema(QueueItem), type: ['object', 'null'] } } } },
    nextCursor: { type: ['string', 'null'] },
  },
};

const docView = (doc: DocumentInfo) => ({ ...doc, statusUrl: `/v1/documents/${doc.id}`, recordUrl: doc.status === 'completed' ? `/v1/documents/${doc.id}/record` : null });

async function summarise(ctx: ServiceContext, docs: DocumentInfo[]): Promise<(z.infer<typeof QueueItem> | null)[]> {
  const latest = await latestVersions(ctx, docs.map((d) => d.id));
  return Promise.all(docs.map(async (doc, i) => {
    if (doc.status !== 'completed') return null;
    const entry: VersionEntry | null = latest[i] ?? null;
    // A document deleted while the page is read has no record any more: listed without a summary.
    const found = await getRecordVersion(ctx, doc, entry?.version).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'NOT_FOUND') return null;
      throw err;
    });
    if (!found) return null;
    const { record } = found;
    return {
      vendor: record.vendor.name, invoiceNumber: record.invoiceNumber, total: record.total, currency: record.currency,
      reviewCount: Object.values(record.fields).filter((f) => f.review).length,
      version: entry?.version ?? 1, reviewed: entry?.reviewed ?? false,
    };
  }));
}

/**
 * What the review page needs beyond the document routes: the review queue, page text and images,
 * corrections (PATCH: a new record version, record.updated to subscribers) and the version history.
 * Every route is tenant-scoped as the others are (another tenant's document is 404).
 */
export function reviewRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { status?: DocumentStatus; needsReview?: boolean; limit: number; cursor?: string } }>('/v1/review/documents', {
    schema: {
      operationId: 'listReviewQueue', tags: ['review'],
      summary: 'Documents newest first, with vendor, total and the count of fields under review',
      description: 'needsReview=true keeps completed records with fields under review that no reviewer has confirmed. A page may hold fewer than limit documents and still have a nextCursor.',
      querystring: QueueQuery, response: { 200: { description: 'A page of the queue', ...QueuePage }, ...ERROR_RESPONSES },
    },
  }, async (request) => {
    const { status, needsReview, limit, cursor } = request.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) throw new LedgerlensError('INVALID_INPUT', 'malformed cursor');
    const page = await ctx.state.listDocuments({ tenant: scopeOf(request), status: needsReview ? 'completed' : status, limit, after });
    const reviews = await summarise(ctx, page.documents);
    const documents = page.documents.map((doc, i) => ({ document: docView(doc), review: reviews[i] ?? null }))
      .filter((d) => !needsReview || (d.review !== null && d.review.reviewCount > 0 && !d.review.reviewed));
    return { documents, nextCursor: page.next ? encodeCursor(page.next.score, page.next.id) : null };
  });

  app.get<{ Params: { id: string } }>('/v1/documents/:id/text', {
    schema: {
      operationId: 'getDocumentText', tags: ['review'],
      summary: 'The page text: every word with its box, in reading order',
      description: 'Not there (404) before the text stage has run, and for e-invoice XML read by the fast path.',
      params: IdParams, response: { 200: { description: 'DocumentText', ...jsonSchema(DocumentTextSchema) }, ...ERROR_RESPONSES },
    },
  }, async (request) => {
    const doc = await mustGet(ctx, request, request.params.id);
    return ctx.store.getArtefact(doc.id, 'text');
  });

  app.get<{ Params: { id: string; page: number } }>('/v1/documents/:id/pages/:page/image', {
    schema: {
      operationId: 'getPageImage', tags: ['review'],
      summary: 'A page as an image (PNG; an image upload as itself), rendered once and stored',
      params: PageParams, produces: ['image/png', 'image/jpeg', 'image/webp'],
      response: { 200: { description: 'The image', type: 'string', format: 'binary' }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request, request.params.id);
    const { bytes, type } = await pageImage(ctx, doc, request.params.page);
    return reply.type(type).header('cache-control', 'private, max-age=3600').send(Buffer.from(bytes));
  });

  app.patch<{ Params: { id: string }; Body: unknown }>('/v1/documents/:id/record', {
    schema: {
      operationId: 'correctRecord', tags: ['review'],
      summary: 'Correct fields (or confirm the record): a new record version',
      description: 'Values are normalised as the extractor does (dates to ISO, amounts to decimals). Every version is kept with who made it and when; subscribers of record.updated are told. 409 when baseVersion is not the newest version.',
      params: IdParams, body: jsonSchema(CorrectionInputSchema, 'input'),
      response: {
        200: { description: 'The new version', type: 'object', required: ['version', 'record'], properties: { version: ref('RecordVersion'), record: ref('InvoiceRecord') } },
        ...CONFLICT_RESPONSE, ...ERROR_RESPONSES,
      },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request, request.params.id);
    const { entry, record } = await correctRecord(ctx, doc, request.body as z.input<typeof CorrectionInputSchema>, authorOf(request));
    await fanOut(ctx, doc.id, 'record.updated', entry.version);
    request.log.info({ documentId: doc.id, version: entry.version, fields: entry.changes.map((c) => c.path), reviewed: entry.reviewed }, 'record corrected');
    return reply.header('x-ledgerlens-record-version', String(entry.version)).send({ version: entry, record });
  });

  app.get<{ Params: { id: string } }>('/v1/documents/:id/record/versions', {
    schema: {
      operationId: 'listRecordVersions', tags: ['review'],
      summary: 'Every version of the record, oldest first: who made it, when, what changed',
      params: IdParams,
      response: { 200: { description: 'The versions', type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: ref('RecordVersion') } } }, ...ERROR_RESPONSES },
    },
  }, async (request) => ({ versions: await listVersions(ctx, await mustGet(ctx, request, request.params.id)) }));

  app.get<{ Params: { id: string; version: number } }>('/v1/documents/:id/record/versions/:version', {
    schema: {
      operationId: 'getRecordVersion', tags: ['review'],
      summary: 'The record as it was at one version',
      params: VersionParams, response: { 200: { description: 'The record', ...ref('InvoiceRecord') }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const doc = await mustGet(ctx, request, request.params.id);
    const { version, record } = await getRecordVersion(ctx, doc, request.params.version);
    return reply.header('x-ledgerlens-record-version', String(version)).send(record);
  });
}
