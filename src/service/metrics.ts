import type { Redis } from 'ioredis';
import { collectDefaultMetrics, Gauge, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { JOB_NAMES, ROLES, type Role } from './job-registry.js';
import { DOCUMENT_STATUSES } from './document-state.js';
import type { ServiceContext } from './service-context.js';

/** Stage duration buckets, seconds. */
export const STAGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
export const WEBHOOK_OUTCOMES = ['delivered', 'failed', 'timeout'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/**
 * Cluster-wide metrics, kept in Redis so that whichever process runs a stage, any API process can
 * report it: stage durations (histogram buckets as hash counters), webhook outcomes (counters).
 * Queue depths, documents per status and failures by code come from Redis at scrape time. Writes
 * are fire-and-forget: a metric is never a reason for a job to fail.
 */
export class ServiceMetrics {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  stageKey(role: Role): string {
    return `${this.prefix}:metrics:stage:${role}`;
  }

  get webhookKey(): string {
    return `${this.prefix}:metrics:webhooks`;
  }

  observeStage(role: Role, seconds: number): void {
    const m = this.redis.multi();
    for (const le of STAGE_BUCKETS) if (seconds <= le) m.hincrby(this.stageKey(role), `le:${le}`, 1);
    m.hincrby(this.stageKey(role), 'count', 1).hincrbyfloat(this.stageKey(role), 'sum', seconds);
    m.exec().catch(() => undefined);
  }

  webhook(outcome: WebhookOutcome): void {
    this.redis.hincrby(this.webhookKey, outcome, 1).catch(() => undefined);
  }
}

/** A metric whose values are read from Redis at scrape time (prom-client calls get()). */
function redisMetric(name: string, help: string, type: 'counter' | 'gauge' | 'histogram', read: () => Promise<MetricValue<string>[]>) {
  return {
    name, help, type, aggregator: 'sum' as const,
    get: async (): Promise<MetricObjectWithValues<MetricValue<string>>> => ({ name, help, type, aggregator: 'sum', values: await read() }) as never,
    reset: () => undefined,
    labelNames: [] as string[],
  };
}

/** The /metrics registry of one API process: the cluster-wide values plus this process's own (CPU, memory, event loop). */
export function metricsRegistry(ctx: ServiceContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ledgerlens_process_' });
  const metrics = new ServiceMetrics(ctx.redis, ctx.config.redis.prefix);
  const add = (m: ReturnType<typeof redisMetric>) => registry.registerMetric(m as never);

  add(redisMetric('ledgerlens_queue_jobs', 'Jobs per queue and state', 'gauge', async () => {
    const out: MetricValue<string>[] = [];
    for (const name of JOB_NAMES) {
      const counts = await ctx.queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      for (const [state, value] of Object.entries(counts)) out.push({ labels: { queue: name, state }, value });
    }
    return out;
  }));
  add(redisMetric('ledgerlens_documents', 'Documents per status (all tenants)', 'gauge', async () => {
    const counts = await ctx.state.statusCounts();
    return DOCUMENT_STATUSES.map((status) => ({ labels: { status }, value: counts[status] }));
  }));
  add(redisMetric('ledgerlens_document_failures_total', 'Documents that failed for good, by error code', 'counter', async () => {
    const counts = await ctx.state.failureCounts();
    return Object.entries(counts).map(([code, value]) => ({ labels: { code }, value }));
  }));
  add(redisMetric('ledgerlens_webhook_attempts_total', 'Webhook delivery attempts by outcome (a late answer to a timed-out attempt counts as delivered)', 'counter', async () => {
    const raw = await ctx.redis.hgetall(metrics.webhookKey);
    return WEBHOOK_OUTCOMES.map((outcome) => ({ labels: { outcome }, value: Number(raw[outcome] ?? 0) }));
  }));
  add(redisMetric('ledgerlens_stage_duration_seconds', 'Time a stage takes per job attempt (the stage itself, without queueing)', 'histogram', async () => {
    const out: MetricValue<string>[] = [];
    for (const role of ROLES.filter((r) => r === 'ocr' || r === 'ner' || r === 'extract')) {
      const raw = await ctx.redis.hgetall(metrics.stageKey(role));
      const count = Number(raw.count ?? 0);
      for (const le of STAGE_BUCKETS) out.push({ labels: { stage: role, le }, value: Number(raw[`le:${le}`] ?? 0), metricName: 'ledgerlens_stage_duration_seconds_bucket' } as never);
      out.push({ labels: { stage: role, le: '+Inf' }, value: count, metricName: 'ledgerlens_stage_duration_seconds_bucket' } as never);
      out.push({ labels: { stage: role }, value: Number(raw.sum ?? 0), metricName: 'ledgerlens_stage_duration_seconds_sum' } as never);
      out.push({ labels: { stage: role }, value: count, metricName: 'ledgerlens_stage_duration_seconds_count' } as never);
    }
    return out;
  }));
  // The API process's own view of Redis, for alerting on outages.
  new Gauge({
    name: 'ledgerlens_redis_up', help: '1 when this process\'s Redis connection is ready', registers: [registry],
    collect() { this.set(ctx.redis.status === 'ready' ? 1 : 0); },
  });
  return registry;
}
