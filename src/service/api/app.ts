import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServiceContext } from '../service-context.js';
import { registerAuth } from './auth.js';
import { documentRoutes } from './documents.routes.js';
import { failedRoutes } from './failed.routes.js';
import { healthRoutes, type ReadinessCheck } from './health.routes.js';
import { registerErrorHandling } from './http-errors.js';
import { collectOpenApi } from './openapi.js';
import { recordRoutes } from './records.routes.js';
import { webhookRoutes } from './webhooks.routes.js';

export interface ApiOptions {
  readiness?: ReadinessCheck[];
  logger?: boolean;
}

/** The HTTP API: every route has a schema; /openapi.json describes them. */
export async function buildApi(ctx: ServiceContext, options: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  registerErrorHandling(app);
  registerAuth(app, ctx.config);
  await app.register(multipart, { limits: { fileSize: ctx.config.limits.maxFileBytes, files: 1, fields: 10, parts: 12 } });
  const openApi = collectOpenApi(app);
  healthRoutes(app, ctx, options.readiness ?? []);
  documentRoutes(app, ctx);
  recordRoutes(app, ctx);
  failedRoutes(app, ctx);
  webhookRoutes(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => openApi());
  await app.ready();
  return app;
}
