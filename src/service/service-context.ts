import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Stages } from '../pipeline/stage-types.js';
import { ContentStore } from './content.store.js';
import { DocumentState } from './document-state.js';
import { QueueRegistry } from './queue-registry.js';
import { WebhookRegistry } from './webhooks.js';

/**
 * What the API, the workers and the scheduler share: one Redis client for state, the store, the
 * queues. Built once per process (and once per sandboxed child) from the parsed config.
 */
export interface ServiceContext {
  config: Config;
  redis: Redis;
  store: ContentStore;
  state: DocumentState;
  queues: QueueRegistry;
  webhooks: WebhookRegistry;
}

/** Workers additionally get the pipeline stages, injected (tests pass small adapters). */
export interface WorkerContext extends ServiceContext {
  stages: Stages;
  /** Module that exports the stages (createStages/defaultStages): what sandboxed children load. */
  stagesModule: string | null;
}

export function createServiceContext(config: Config): ServiceContext {
  // A short connect timeout keeps /readyz honest while Redis is down; commands queue until it is back.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, connectTimeout: 5000, connectionName: `${config.redis.prefix}:state` });
  const queues = new QueueRegistry(config);
  const state = new DocumentState(redis, config.redis.prefix);
  return {
    config,
    redis,
    store: new ContentStore(config.store.dir),
    state,
    queues,
    webhooks: new WebhookRegistry(redis, config),
  };
}

export async function closeServiceContext(ctx: ServiceContext): Promise<void> {
  await ctx.queues.close();
  await ctx.redis.quit().catch((err: unknown) => {
    // quit fails only when the connection is already gone; then disconnect is all that is left.
    if (ctx.redis.status !== 'end') throw err;
  });
}
