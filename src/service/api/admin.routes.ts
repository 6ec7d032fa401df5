import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { currentVersion, learnedVersions, readVersion } from '../../extract/learn/learned.js';
import { runLearn } from '../learn-runner.js';
import { metricsRegistry } from '../metrics.js';
import type { ServiceContext } from '../service-context.js';
import { ERROR_RESPONSES } from './schemas.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Operator routes, admin keys only (auth.ts): /metrics in the Prometheus text format, the
 * bull-board queue dashboard at /admin/queues (Basic auth in a browser: any user, the key as
 * password), and learning from reviewed documents (/admin/learn, what `ledgerlens learn` does).
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

  const learnResult = { description: 'What learn did: the new version (null: validation kept the current one), its validation, the documents read', type: 'object', additionalProperties: true };
  app.get('/admin/learn', {
    schema: {
      operationId: 'listLearned', tags: ['operations'], summary: 'Learned versions and the one in use (admin)',
      response: { 200: { type: 'object', additionalProperties: true }, ...ERROR_RESPONSES },
    },
  }, async () => {
    const store = ctx.config.store.dir; const current = currentVersion(store);
    return { current, versions: learnedVersions(store).map((n) => { const v = readVersion(store, n); return { version: n, createdAt: v.createdAt, documents: v.documents, validation: v.validation }; }) };
  });
  app.post('/admin/learn', {
    schema: {
      operationId: 'learn', tags: ['operations'], summary: 'Learn from reviewed documents (admin)',
      description: 'Reads the reviewed documents of the store, validates layout memory on them (each held back in turn) and, when it does not make them worse (or `force`), writes a new learned version and puts it in use: extract workers pick it up with their next document. Runs `ledgerlens learn` in a child process; one run at a time (409).',
      body: { type: 'object', properties: { force: { type: 'boolean' } }, additionalProperties: false },
      response: { 200: learnResult, ...ERROR_RESPONSES },
    },
  }, async (request) => runLearn(ctx.config, (request.body as { force?: boolean } | undefined)?.force ? ['--force'] : []));
  app.post('/admin/learn/rollback', {
    schema: {
      operationId: 'rollbackLearned', tags: ['operations'], summary: 'Use the learned version before the current one (admin)',
      response: { 200: { type: 'object', additionalProperties: true }, ...ERROR_RESPONSES },
    },
  }, async () => runLearn(ctx.config, ['--rollback']));

  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: ctx.queues.all().map((q: Queue) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Ledgerlens queues' } },
  });
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  await app.register(serverAdapter.registerPlugin() as never, { prefix: BULL_BOARD_PATH });
}
