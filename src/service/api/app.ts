import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ServiceContext } from '../service-context.js';
import { adminRoutes } from './admin.routes.js';
import { registerAuth } from './auth.js';
import { documentRoutes } from './documents.routes.js';
import { failedRoutes } from './failed.routes.js';
import { healthRoutes, type ReadinessCheck } from './health.routes.js';
import { registerErrorHandling } from './http-errors.js';
import { registerRateLimits, registerRedisGuard } from './limits.js';
import { registerOpenApi } from './openapi.js';
import { recordRoutes } from './records.routes.js';
import { reviewRoutes } from './review.routes.js';
import { addSharedSchemas } from './schemas.js';
import { uiRoutes } from './ui.routes.js';
import { webhookRoutes } from './webhooks.routes.js';

export interface ApiOptions {
  readiness?: ReadinessCheck[];
  /** Log requests through ctx.log (default false: tests and benchmarks stay quiet). */
  logger?: boolean;
}

/**
 * The HTTP API. Every route has a schema (validated, and published as OpenAPI at /openapi.json and
 * /docs). Requests carry an id (X-Request-Id, echoed) that every log line of the request has.
 * Slow clients are cut off (api.headersTimeoutMs, api.requestTimeoutMs: 408), requests are rate
 * limited per IP and per key, and /v1 answers 503 with Retry-After while Redis is down.
 */
export async function buildApi(ctx: ServiceContext, options: ApiOptions = {}): Promise<FastifyInstance> {
  const { api } = ctx.config;
  const app: FastifyInstance = Fastify({
    loggerInstance: (options.logger ? ctx.log.child({ component: 'api' }) : ctx.log.child({ component: 'api' }, { level: 'silent' })) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    requestTimeout: api.requestTimeoutMs,
    connectionTimeout: api.requestTimeoutMs,
    keepAliveTimeout: 5000,
    trustProxy: api.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // The multipart upload route declares consumes/produces for OpenAPI; Ajv must accept those keywords.
    ajv: { customOptions: { keywords: ['consumes', 'produces'] } },
  });
  app.server.headersTimeout = api.headersTimeoutMs;
  // Node checks the timeouts above on this interval (default 30 s): keep it below the shortest one.
  (app.server as unknown as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(1000, api.headersTimeoutMs);
  app.addHook('onSend', async (request, reply) => { reply.header('x-request-id', request.id); });
  registerErrorHandling(app);
  addSharedSchemas(app);
  await registerOpenApi(app);
  // The per-IP limit runs before authentication; the per-key one is a preHandler, after it.
  const authHooks = await registerRateLimits(app, ctx.config);
  registerAuth(app, ctx.config, authHooks);
  registerRedisGuard(app, ctx);
  await app.register(multipart, { limits: { fileSize: ctx.config.limits.maxFileBytes, files: 2, fields: 10, parts: 12 } });
  healthRoutes(app, ctx, options.readiness ?? []);
  documentRoutes(app, ctx);
  recordRoutes(app, ctx);
  failedRoutes(app, ctx);
  webhookRoutes(app, ctx);
  reviewRoutes(app, ctx);
  uiRoutes(app);
  await adminRoutes(app, ctx);
  await app.ready();
  return app;
}

