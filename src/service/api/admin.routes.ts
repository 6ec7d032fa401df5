import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { metricsRegistry } from '../metrics.js';
import type { ServiceContext } from '../service-context.js';
import { ERROR_RESPONSES } from './schemas.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Operator routes, admin keys only (auth.ts): /metrics in the Prometheus text format and the
 * bull-board queue dashboard at /admin/queues (Basic auth in a browser: any user, the key as password).
 */
export async function adminRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const registry = metricsRegistry(ctx);
  app.get('/metrics', {
    schema: {
      operationId: 'metrics', tags: ['operations'],
      summary: 'Prometheus metrics (admin)',
      description: 'Queue depths, documents per status, failures by code, stage durations, webhook outcomes (cluster-wide, from Redis), plus this process\'s own CPU and memory.',
      produces: ['text/plain'],
      response: { 200: { description: 'Prometheus text format', type: 'string' }, ...ERROR_RESPONSES },
    },
  }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: ctx.queues.all().map((q: Queue) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Ledgerlens queues' } },
  });
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  await app.register(serverAdapter.registerPlugin() as never, { prefix: BULL_BOARD_PATH });
}
