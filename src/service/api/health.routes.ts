import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../service-context.js';

/** Readiness checks beyond Redis (e.g. "the model is loaded"), supplied by whoever starts the API. */
export type ReadinessCheck = () => { name: string; ok: boolean; detail?: string };

const Checks = { type: 'object', properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'object', properties: { ok: { type: 'boolean' }, detail: { type: 'string' } } } } } };

export function healthRoutes(app: FastifyInstance, ctx: ServiceContext, checks: ReadinessCheck[]): void {
  app.get('/healthz', { schema: { operationId: 'healthz', tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: { description: 'Alive', type: 'object', properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { operationId: 'readyz', tags: ['operations'], summary: 'Readiness: Redis reachable and models loaded', response: { 200: { description: 'Ready', ...Checks }, 503: { description: 'Not ready', ...Checks } } } }, async (_request, reply) => {
    const results: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      const pong = await Promise.race([
        ctx.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 1000).unref()),
      ]);
      results.redis = { ok: pong === 'PONG' };
    } catch (err) {
      results.redis = { ok: false, detail: (err as Error).message };
    }
    for (const check of checks) {
      const { name, ok, detail } = check();
      results[name] = detail === undefined ? { ok } : { ok, detail };
    }
    const ready = Object.values(results).every((r) => r.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
  });
}
