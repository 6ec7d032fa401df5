import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES } from '../../core/errors.js';
import { InvoiceRecordSchema } from '../../core/invoice-record.js';
import { DOCUMENT_STATUSES, DocumentInfoSchema } from '../document-state.js';
import { VersionEntrySchema } from '../record-versions.js';
import { DeliveryLogEntrySchema, SubscriptionInputSchema, WEBHOOK_EVENTS } from '../webhooks.js';

/** JSON Schema (draft-07, what Fastify's Ajv reads) from a zod schema: the route and OpenAPI share it. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/**
 * Shared components: registered once with app.addSchema under these ids, referenced by routes as
 * `ref('Document')`, and published by @fastify/swagger as components.schemas.
 */
const COMPONENTS = {
  Error: z.object({
    error: z.object({ code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]), message: z.string() }),
  }).describe('An error with a stable code (src/core/errors.ts)'),
  Document: DocumentInfoSchema.omit({ sha256: true }).extend({
    sha256: z.string().describe('sha256 of the file'),
    statusUrl: z.string(), recordUrl: z.string().nullable(),
  }).describe('A document and where it is in the pipeline'),
  InvoiceRecord: InvoiceRecordSchema.describe('The extracted invoice record'),
  RecordItem: z.object({ documentId: z.string(), completedAt: z.string(), fileName: z.string().nullable(), record: InvoiceRecordSchema }),
  FailedJob: z.object({
    jobId: z.string(), queue: z.string(), documentId: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }),
    attemptsMade: z.number().int(), failedAt: z.string().nullable(),
  }).describe('A job that failed for good (a dead letter)'),
  Subscription: z.object({ id: z.string(), tenant: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: z.string() })
    .describe('A webhook subscription (the secret is write-only)'),
  DeliveryLogEntry: DeliveryLogEntrySchema,
  RecordVersion: VersionEntrySchema.describe('One version of a record: who made it, when, and what changed'),
} as const;
export type ComponentName = keyof typeof COMPONENTS;

/** A reference to a shared component (Fastify resolves `Name#`; swagger publishes it by name). */
export const ref = (name: ComponentName) => ({ $ref: `${name}#` });

/** Registers the shared components on the instance (before the routes that use them). */
export function addSharedSchemas(app: FastifyInstance): void {
  for (const [name, schema] of Object.entries(COMPONENTS)) app.addSchema({ $id: name, ...jsonSchema(schema) });
}
export const RECORD_FORMATS = ['json', 'ubl', 'cii'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];
export const RecordFormatQuery = jsonSchema(z.object({ format: z.enum(RECORD_FORMATS).optional().describe('json (default), or the record as UBL 2.1 or CII XML') }), 'input');

const errorResponse = (description: string) => ({ description, ...ref('Error') });
/** Error responses every authenticated route can give. */
export const ERROR_RESPONSES = {
  400: errorResponse('Malformed request (INVALID_INPUT)'),
  401: errorResponse('Missing or invalid API key (UNAUTHORIZED)'),
  403: errorResponse('The key may not do this (FORBIDDEN)'),
  404: errorResponse('No such resource for this tenant (NOT_FOUND)'),
  429: errorResponse('Rate limit exceeded (RATE_LIMITED); see Retry-After'),
  500: errorResponse('Internal error (details are in the log only)'),
  503: errorResponse('Redis unreachable (UNAVAILABLE); see Retry-After'),
};
export const CONFLICT_RESPONSE = { 409: errorResponse('The resource is not in a state that allows this (CONFLICT)') };

export const IdParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/).describe('Document id') }));
export const JobIdParams = jsonSchema(z.object({ jobId: z.string().min(1).max(300).describe('Job id, e.g. ocr-<document id>') }));
export const SubIdParams = jsonSchema(z.object({ id: z.string().regex(/^[0-9a-f]{16}$/).describe('Subscription id') }));

export const RecordsPage = { type: 'object', properties: { records: { type: 'array', items: ref('RecordItem') }, nextCursor: { type: ['string', 'null'] } }, required: ['records', 'nextCursor'] };
export const RecordsQuery = jsonSchema(z.object({
  since: z.iso.datetime({ offset: true }).optional().describe('Only records completed at or after this time'),
  limit: z.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  format: z.enum(['json', 'jsonl', 'csv']).optional().describe('Wins over the Accept header'),
}), 'input');

export const DocumentsPage = { type: 'object', properties: { documents: { type: 'array', items: ref('Document') }, nextCursor: { type: ['string', 'null'] } }, required: ['documents', 'nextCursor'] };
export const DocumentsQuery = jsonSchema(z.object({
  status: z.enum(DOCUMENT_STATUSES).optional().describe('Only documents with this status'),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
}), 'input');

export const FailedList = { type: 'object', properties: { failed: { type: 'array', items: ref('FailedJob') } }, required: ['failed'] };
export const SubscriptionInput = jsonSchema(SubscriptionInputSchema, 'input');
export const SubscriptionList = { type: 'object', properties: { webhooks: { type: 'array', items: ref('Subscription') } }, required: ['webhooks'] };
export const DeliveryLog = { type: 'object', properties: { deliveries: { type: 'array', items: ref('DeliveryLogEntry') } }, required: ['deliveries'] };

/** The body of a webhook POST (OpenAPI `webhooks`). */
export const WebhookPayload = jsonSchema(z.object({
  id: z.string().describe('Delivery id, equal to the X-Ledgerlens-Delivery header and the same on every retry'),
  event: z.enum(WEBHOOK_EVENTS),
  documentId: z.string(),
  document: DocumentInfoSchema,
  record: InvoiceRecordSchema.nullable().describe('The record (record.created: as extracted; record.updated: at `version`); null for document.failed'),
  version: z.number().int().positive().optional().describe('record.updated: the record version this event announces'),
  change: VersionEntrySchema.nullable().optional().describe('record.updated: who made the version, when, and what changed'),
}));
