import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_EVENTS } from '../webhooks.js';
import { PUBLIC_PATHS } from './auth.js';
import { WebhookPayload } from './schemas.js';

const MULTIPART_BODY = {
  type: 'object',
  properties: { file: { type: 'string', format: 'binary', description: 'The document (PDF, PNG, JPEG, TIFF, WebP, BMP or e-invoice XML); exactly one file part' } },
  required: ['file'],
};

const webhookHeaders = {
  [SIGNATURE_HEADER]: { description: 'sha256= + hex HMAC-SHA256(secret, `${timestamp}.${body}`)', schema: { type: 'string' } },
  [TIMESTAMP_HEADER]: { description: 'Unix seconds when this attempt was signed (reject old ones)', schema: { type: 'string' } },
  [EVENT_HEADER]: { description: 'The event', schema: { type: 'string', enum: [...WEBHOOK_EVENTS] } },
  [DELIVERY_HEADER]: { description: 'Delivery id, the same on every retry: deduplicate on it (delivery is at least once)', schema: { type: 'string' } },
};

/** OpenAPI 3.1 `webhooks`: what Ledgerlens POSTs to subscribers. */
const WEBHOOKS = Object.fromEntries(WEBHOOK_EVENTS.map((event) => [event, {
  post: {
    operationId: `webhook_${event.replace('.', '_')}`,
    summary: `${event} delivery`,
    description: `POSTed to every subscription of the document's tenant that asked for ${event}. Headers: ${Object.keys(webhookHeaders).join(', ')}. Answer 2xx within webhooks.timeoutMs.`,
    parameters: Object.entries(webhookHeaders).map(([name, h]) => ({ name, in: 'header', required: true, ...h })),
    requestBody: { required: true, content: { 'application/json': { schema: WebhookPayload } } },
    responses: { 200: { description: 'Accepted (any 2xx)' }, 500: { description: 'Not accepted: retried with exponential backoff' } },
  },
}]));

/** Rewrites draft-07 tuples `{ items: [...], additionalItems }` as 2020-12 `{ prefixItems: [...], items }`, in place. */
function toPrefixItems(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(toPrefixItems);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.items)) {
      o.prefixItems = o.items;
      if ('additionalItems' in o) { o.items = o.additionalItems; delete o.additionalItems; } else delete o.items;
    }
    Object.values(o).forEach(toPrefixItems);
  }
  return node;
}

/**
 * OpenAPI 3.1 built by @fastify/swagger from the route schemas themselves (so it cannot drift from
 * what the API validates), with the shared components, the webhook payloads, operationIds, and
 * Swagger UI at /docs. Served at /openapi.json (public) and /docs/json (behind the key).
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerlens',
        version: '1.0.0',
        description: 'Invoice extraction queue API. Errors are `{ error: { code, message } }` with stable codes. Every /v1 route is scoped to the API key\'s tenant (admin keys see every tenant).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: 'http://127.0.0.1:8080', description: 'the default api.host:api.port' }],
      tags: [
        { name: 'documents', description: 'Upload documents and follow them through the pipeline' },
        { name: 'records', description: 'Extracted records and their export' },
        { name: 'webhooks', description: 'Subscriptions and their delivery log' },
        { name: 'failed', description: 'Dead letters and their retry' },
        { name: 'review', description: 'Review and correct records (the page at /ui uses these): versions, page text and images' },
        { name: 'operations', description: 'Probes and metrics' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (api.keys)' },
          basic: { type: 'http', scheme: 'basic', description: 'Any user name, the API key as password (browsers: /ui, /docs, /admin/queues)' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
      webhooks: WEBHOOKS,
    } as never,
    // Zod writes tuples the draft-07 way (items: [...]); OpenAPI 3.1 (JSON Schema 2020-12) says prefixItems.
    transformObject: (doc) => toPrefixItems('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject) as never,
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ schema, url }) => {
      const s = (schema ?? {}) as Record<string, unknown> & { consumes?: string[] };
      const out: Record<string, unknown> = { ...s };
      if (s.consumes?.includes('multipart/form-data')) out.body = MULTIPART_BODY;
      if (PUBLIC_PATHS.has(url)) out.security = [];
      if (url.startsWith('/admin/queues')) out.hide = true; // bull-board's own routes
      return { schema: out as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
