import type { WorkerOptions } from 'bullmq';
import type { Config } from '../config/config.js';
import { roleOf, type JobName } from './job-registry.js';
import { connectionOptions } from './queue-registry.js';

/** Worker options per queue, from the one config. */
export function workerOptions(config: Config, name: JobName): WorkerOptions {
  const role = roleOf(name);
  const concurrency = role === 'inbox' ? 1 : config.queue.concurrency[role];
  return {
    connection: connectionOptions(config),
    prefix: config.redis.prefix,
    concurrency,
    lockDuration: config.queue.lockDurationMs,
    stalledInterval: config.queue.stalledIntervalMs,
    // A job found stalled twice (its worker died twice on it) fails rather than looping forever.
    maxStalledCount: config.queue.maxStalledCount,
    name: `${role}@${process.pid}`,
    // startService runs the workers once the process is set up (failure repair, API, signal handlers).
    autorun: false,
  };
}
