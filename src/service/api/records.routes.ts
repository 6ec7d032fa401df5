import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { decodeCursor, encodeCursor, toCsv, toJsonLines, type RecordRow } from '../records-export.js';
import type { ServiceContext } from '../service-context.js';
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
      summary: 'Completed records, oldest first, paginated by cursor; JSON, JSON Lines (Accept: application/x-ndjson) or CSV (Accept: text/csv)',
      querystring: RecordsQuery,
      produces: ['application/json', 'application/x-ndjson', 'text/csv'],
      response: { 200: RecordsPage, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const { since, limit, cursor } = request.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) throw new LedgerlensError('INVALID_INPUT', 'malformed cursor');
    const sinceMs = since ? Date.parse(since) : -Infinity;
    const page = await ctx.state.listCompleted({ sinceMs, limit, ...(after ? { after } : {}) });
    const rows: RecordRow[] = [];
    for (const { id, score } of page) {
      const doc = await ctx.state.get(id);
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
