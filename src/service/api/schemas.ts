import { z } from 'zod';
import { ERROR_CODES } from '../../core/errors.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { DocumentInfoSchema } from '../document-state.js';
import { DeliveryLogEntrySchema, SubscriptionInputSchema, WEBHOOK_EVENTS } from '../webhooks.js';

/** JSON Schema (draft-07, what Fastify's Ajv reads) from a zod schema: the route and OpenAPI share it. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export const ErrorBody = jsonSchema(z.object({
  error: z.object({ code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]), message: z.string() }),
}));

/** Error responses every /v1 route can give. */
export const ERROR_RESPONSES = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 500: ErrorBody };

export const DocumentBody = jsonSchema(DocumentInfoSchema.extend({ statusUrl: z.string(), recordUrl: z.string().nullable() }));
export const RecordBody = jsonSchema(InvoiceRecordSchema);
export const IdParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }));
export const RECORD_FORMATS = ['json', 'ubl', 'cii'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];
export const RecordFormatQuery = jsonSchema(z.object({ format: z.enum(RECORD_FORMATS).optional() }), 'input');

export const RecordItem = z.object({ documentId: z.string(), completedAt: z.string(), fileName: z.string().nullable(), record: InvoiceRecordSchema });
export const RecordsPage = jsonSchema(z.object({ records: z.array(RecordItem), nextCursor: z.string().nullable() }));
export const RecordsQuery = jsonSchema(z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  format: z.enum(['json', 'jsonl', 'csv']).optional(),
}), 'input');

export const FailedJob = z.object({
  jobId: z.string(), queue: z.string(), documentId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }),
  attemptsMade: z.number().int(), failedAt: z.string().nullable(),
});
export const FailedList = jsonSchema(z.object({ failed: z.array(FailedJob) }));
export const JobIdParams = jsonSchema(z.object({ jobId: z.string().min(1).max(300) }));

export const SubscriptionBody = jsonSchema(z.object({ id: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: z.string() }));
export const SubscriptionInput = jsonSchema(SubscriptionInputSchema, 'input');
export const DeliveryLog = jsonSchema(z.object({ deliveries: z.array(DeliveryLogEntrySchema) }));
export const SubIdParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }));
