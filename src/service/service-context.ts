import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Stages } from '../pipeline/stage-types.js';
import { ContentStore } from './content.store.js';
import { abortLateDeliveries } from './deliver-runner.js';
import { DocumentState } from './document-state.js';
import { createLogger, type Logger } from './logger.js';
import { ServiceMetrics } from './metrics.js';
import { QueueRegistry } from './queue-registry.js';
import { WebhookRegistry } from './webhooks.js';

/**
 * What the API, the workers and the scheduler share: one Redis client for state, the store, the
 * queues, the logger. Built once per process from the parsed config.
 */
export interface ServiceContext {
  config: Config;
  redis: Redis;
  store: ContentStore;
  state: DocumentState;
  queues: QueueRegistry;
  webhooks: WebhookRegistry;
  log: Logger;
  metrics?: ServiceMetrics;
}

/** Workers additionally get the pipeline stages, injected (tests pass small adapters). */
export interface WorkerContext extends ServiceContext {
  stages: Stages;
  /** Module that exports the stages (createStages/defaultStages): what sandboxed children load. */
  stagesModule: string | null;
}

export function createServiceContext(config: Config, options: { log?: Logger } = {}): ServiceContext {
  // A short connect timeout keeps /readyz honest while Redis is down; commands queue until it is back.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, connectTimeout: 5000, connectionName: `${config.redis.prefix}:state` });
  const log = options.log ?? createLogger(config);
  // Without a listener an unreachable Redis would print unhandled 'error' events; the state is in the log and /readyz.
  redis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis connection error'));
  const queues = new QueueRegistry(config);
  const state = new DocumentState(redis, config.redis.prefix);
  return {
    config,
    redis,
    store: new ContentStore(config.store.dir),
    state,
    queues,
    webhooks: new WebhookRegistry(redis, config),
    log,
    metrics: new ServiceMetrics(redis, config.redis.prefix),
  };
}

/** Closes the connections; with Redis down, after `deadlineMs` the clients are cut instead of quit. */
export async function closeServiceContext(ctx: ServiceContext, deadlineMs = 5000): Promise<void> {
  abortLateDeliveries(ctx);
  const quit = (async () => {
    await ctx.queues.close();
    await ctx.redis.quit().catch((err: unknown) => {
      // quit fails only when the connection is already gone; then disconnect is all that is left.
      if (ctx.redis.status !== 'end') throw err;
    });
  })();
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<'cut'>((resolve) => { timer = setTimeout(() => resolve('cut'), deadlineMs); timer.unref(); });
  if ((await Promise.race([quit.then(() => 'quit' as const), cut])) === 'cut') {
    ctx.log.warn('Redis did not answer the shutdown in time: connections cut');
    ctx.queues.disconnect();
    ctx.redis.disconnect();
  }
  clearTimeout(timer);
}
