import { Queue, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { Config } from '../config/config.js';
import { JOB_NAMES, JOBS, jobIdFor, type JobName, type JobPayload } from './job-registry.js';

export type TypedJob<N extends JobName> = Job<JobPayload<N>, unknown, N>;

/** BullMQ connection options from the one config (workers need maxRetriesPerRequest: null). */
export function connectionOptions(config: Config): ConnectionOptions {
  // Named after the key prefix, so an operator (or a test) can tell this deployment's clients apart in CLIENT LIST.
  return { url: config.redis.url, maxRetriesPerRequest: null, connectionName: `${config.redis.prefix}:bullmq` };
}

/** Job options per queue: retries with exponential backoff; finished jobs kept so their ids stay taken. */
export function jobOptions(config: Config, name: JobName): JobsOptions {
  const webhook = name === 'invoice.deliver';
  return {
    attempts: webhook ? config.webhooks.attempts : config.queue.attempts,
    backoff: { type: 'exponential', delay: webhook ? config.webhooks.backoffMs : config.queue.backoffMs },
    // Completed ids are kept a week: re-adding a finished job is then a no-op (idempotent hand-over).
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: false,
  };
}

/** One Queue per job name, typed from the registry. Producers only ever call `enqueue`. */
export class QueueRegistry {
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly config: Config) {}

  queue<N extends JobName>(name: N): Queue<JobPayload<N>, unknown, N> {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: connectionOptions(this.config), prefix: this.config.redis.prefix });
      this.queues.set(name, q);
    }
    return q as unknown as Queue<JobPayload<N>, unknown, N>;
  }

  /** Validates the payload and adds it under its deterministic id (a no-op when that job exists). */
  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, extra: JobsOptions = {}): Promise<TypedJob<N>> {
    const data = JOBS[name].parse(payload) as JobPayload<N>;
    const queue = this.queue(name);
    const opts = { ...jobOptions(this.config, name), jobId: jobIdFor(name, data), ...extra };
    // Typed through the registry; the cast only bridges BullMQ's conditional generics.
    return (await (queue as unknown as Queue).add(name, data, opts)) as TypedJob<N>;
  }

  all(): Queue[] {
    return JOB_NAMES.map((n) => this.queue(n) as unknown as Queue);
  }

  /** Cuts the connections without waiting for Redis (shutdown while it is down). */
  disconnect(): void {
    for (const q of this.queues.values()) void q.disconnect().catch(() => undefined);
    this.queues.clear();
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
