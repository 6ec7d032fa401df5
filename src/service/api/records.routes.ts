import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { decodeCursor, encodeCursor, toCsv, toJsonLines, type RecordRow } from '../records-export.js';
import type { ServiceContext } from '../service-context.js';
import { scopeOf } from './auth.js';
import { ERROR_RESPONSES, RecordsPage, RecordsQuery } from './schemas.js';

type Format = 'json' | 'jsonl' | 'csv';

/** ?format= wins; otherwise the Accept header picks JSON Lines or CSV; JSON by default. */
function pickFormat(format: Format | undefined, accept: string | undefined): Format {
  if (format) return format;
  if (accept && /application\/(x-)?(nd)?jsonl?|application\/x-ndjson|application\/jsonl/.test(accept) && !/application\/json(\s*[;,]|$)/.test(accept)) return 'jsonl';
  if (accept && /text\/csv/.test(accept)) return 'csv';
  return 'json';
}

export function recordRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { since?: string; limit: number; cursor?: string; format?: Format } }>('/v1/records', {
    schema: {
      operationId: 'listRecords',
      tags: ['records'],
      summary: 'Completed records, oldest first',
      description: 'Paginated by cursor (nextCursor, also in X-Next-Cursor). JSON, JSON Lines (Accept: application/x-ndjson or ?format=jsonl) or CSV (Accept: text/csv or ?format=csv; the cursor then travels in X-Next-Cursor only).',
      querystring: RecordsQuery,
      produces: ['application/json', 'application/x-ndjson', 'text/csv'],
      response: { 200: { description: 'A page of records', ...RecordsPage }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const { since, limit, cursor } = request.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) throw new LedgerlensError('INVALID_INPUT', 'malformed cursor');
    const sinceMs = since ? Date.parse(since) : -Infinity;
    const page = await ctx.state.listCompleted({ tenant: scopeOf(request), sinceMs, limit, ...(after ? { after } : {}) });
    const rows: RecordRow[] = [];
    const docs = await ctx.state.getMany(page.map((p) => p.id));
    for (const [i, { id, score }] of page.entries()) {
      const doc = docs[i];
      if (!doc) continue; // deleted between the index read and now
      rows.push({ documentId: id, completedAt: new Date(score).toISOString(), fileName: doc.fileName, record: InvoiceRecordSchema.parse(await ctx.store.getArtefact(id, 'record')) });
    }
    const last = page[page.length - 1];
    const nextCursor = page.length === limit && last ? encodeCursor(last.score, last.id) : null;
    const format = pickFormat(request.query.format, request.headers.accept);
    if (nextCursor) reply.header('x-next-cursor', nextCursor);
    if (format === 'json') return { records: rows, nextCursor };
    // Streams of text bypass the JSON serializer; the cursor travels in X-Next-Cursor.
    const body = format === 'csv' ? toCsv(rows, !cursor) : toJsonLines(rows);
    return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson').serializer((p: unknown) => p as string).send(body);
  });
}
