import type { FastifyInstance, RouteOptions } from 'fastify';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../webhooks.js';
import { PUBLIC_PATHS } from './auth.js';

interface RouteSchema {
  summary?: string; params?: { properties?: Record<string, unknown> }; querystring?: { properties?: Record<string, unknown> };
  body?: unknown; response?: Record<string, unknown>; consumes?: string[]; produces?: string[];
}

/**
 * The OpenAPI 3.1 document, built from the route schemas themselves (collected as routes are
 * registered), so it cannot drift from what the API validates. Served at /openapi.json.
 */
export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || route.url === '/openapi.json') return;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const parameters = [
      ...Object.entries(schema.params?.properties ?? {}).map(([name, s]) => ({ name, in: 'path', required: true, schema: s })),
      ...Object.entries(schema.querystring?.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })),
    ];
    const responses = Object.fromEntries(Object.entries(schema.response ?? {}).map(([status, s]) => [status, {
      description: status.startsWith('2') ? 'success' : 'error: { error: { code, message } }',
      ...(status === '204' ? {} : { content: Object.fromEntries((status.startsWith('2') && schema.produces ? schema.produces : ['application/json']).map((t) => [t, { schema: t === 'application/json' ? s : { type: 'string' } }])) }),
    }]));
    for (const method of methods) {
      paths[path] ??= {};
      paths[path]![method.toLowerCase()] = {
        summary: schema.summary,
        parameters,
        ...(schema.consumes?.includes('multipart/form-data')
          ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } } }
          : schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } } : {}),
        responses,
        ...(PUBLIC_PATHS.has(route.url) ? { security: [] } : {}),
      };
    }
  });
  return () => ({
    openapi: '3.1.0',
    info: {
      title: 'Ledgerlens', version: '1',
      description: `Invoice extraction queue API. Errors are { error: { code, message } } with stable codes. Webhook POSTs carry ${SIGNATURE_HEADER} (sha256=HMAC-SHA256(secret, \`\${timestamp}.\${body}\`) hex), ${TIMESTAMP_HEADER} (unix seconds), ${EVENT_HEADER} and ${DELIVERY_HEADER} (stable across retries: deduplicate on it).`,
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  });
}

declare module 'fastify' {
  /** OpenAPI annotations on route schemas (read by collectOpenApi; ignored by validation). */
  interface FastifySchema {
    summary?: string;
    consumes?: string[];
    produces?: string[];
    hide?: boolean;
  }
}
