import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError } from 'bullmq';
import { LedgerlensError } from '../core/errors.js';
import { parseJob } from './job-registry.js';
import { getRecordVersion, listVersions } from './record-versions.js';
import type { ServiceContext } from './service-context.js';
import type { RunnableJob } from './stage-runner.js';
import { postWebhook, type DeliveryLogEntry, type PostOutcome } from './webhooks.js';

// Deletes the in-flight marker only when it is still this attempt's.
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const DELIVERED_TTL_S = 30 * 24 * 3600;

/** Requests kept open for a late answer, per process, so shutdown can end them. */
const lateRequests = new WeakMap<ServiceContext, Set<AbortController>>();

/** Ends the requests still waiting for a late answer (their deliveries retry elsewhere). */
export function abortLateDeliveries(ctx: ServiceContext): void {
  for (const c of lateRequests.get(ctx) ?? []) c.abort();
  lateRequests.delete(ctx);
}

/**
 * Marks a delivery done. After a 2xx this must land, or the retry would send the event again:
 * it is retried while Redis is unreachable (up to a minute), not given up after one error.
 */
async function settleDelivered(ctx: ServiceContext, deliveryId: string, token: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let wait = 200; ; wait = Math.min(wait * 2, 5000)) {
    try {
      await ctx.redis.multi()
        .set(ctx.webhooks.deliveredKey(deliveryId), '1', 'EX', DELIVERED_TTL_S)
        .eval(RELEASE_LUA, 1, ctx.webhooks.inFlightKey(deliveryId), token)
        .exec();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(wait);
    }
  }
}

async function release(ctx: ServiceContext, deliveryId: string, token: string): Promise<void> {
  await ctx.redis.eval(RELEASE_LUA, 1, ctx.webhooks.inFlightKey(deliveryId), token).catch(() => 0);
}

/**
 * Delivers one event to one subscriber, at least once and, in normal operation, exactly once:
 * - a delivery already settled as delivered is not sent again;
 * - before the POST the delivery is marked in flight (SET NX with the attempt's token): while one
 *   request is open no other attempt or worker sends it, it waits for the backoff instead;
 * - an attempt that gets no answer within webhooks.timeoutMs fails (and is retried after the
 *   backoff), but its request stays open webhooks.lateResponseMs longer: a late 2xx settles the
 *   delivery, so a slow subscriber gets it once;
 * - after a 2xx the settle is retried until Redis answers.
 * A worker killed between the subscriber's 2xx and the settle, or an in-flight marker outliving its
 * TTL, still means a second delivery: deduplicate on X-Ledgerlens-Delivery (see the README).
 */
export async function processDeliverJob(job: RunnableJob, ctx: ServiceContext, token = `${process.pid}:${Date.now()}`): Promise<{ delivered: boolean }> {
  let payload;
  try {
    payload = parseJob('invoice.deliver', job.data);
  } catch (err) {
    throw new UnrecoverableError(`INVALID_INPUT: ${(err as Error).message}`);
  }
  const deliveryId = job.id ?? `deliver-${payload.event}-${payload.documentId}-${payload.subscriptionId}`;
  const sub = await ctx.webhooks.get(payload.subscriptionId);
  if (!sub) return { delivered: false }; // unsubscribed meanwhile
  if (await ctx.redis.exists(ctx.webhooks.deliveredKey(deliveryId))) return { delivered: true };
  const document = await ctx.state.get(payload.documentId);
  if (!document) return { delivered: false }; // deleted meanwhile
  const { timeoutMs, lateResponseMs } = ctx.config.webhooks;
  const markerTtl = timeoutMs + lateResponseMs + 30_000;
  const acquired = await ctx.redis.set(ctx.webhooks.inFlightKey(deliveryId), token, 'PX', markerTtl, 'NX');
  if (acquired !== 'OK') {
    throw new LedgerlensError('WEBHOOK_FAILED', 'an earlier attempt of this delivery is still waiting for the subscriber; tried again after the backoff');
  }
  let body: string;
  if (payload.event === 'record.updated') {
    // The version this event announces, not the newest: each correction is delivered as it was made.
    const version = payload.version ?? 1;
    const [{ record }, change] = await Promise.all([getRecordVersion(ctx, document, version), listVersions(ctx, document).then((all) => all.find((e) => e.version === version) ?? null)]);
    body = JSON.stringify({ id: deliveryId, event: payload.event, documentId: payload.documentId, document, record, version, change });
  } else {
    const record = payload.event === 'record.created' ? await ctx.store.getArtefact(payload.documentId, 'record') : null;
    body = JSON.stringify({ id: deliveryId, event: payload.event, documentId: payload.documentId, document, record });
  }
  const started = Date.now();
  const entry = { deliveryId, event: payload.event, documentId: payload.documentId, attempt: job.attemptsMade + 1 };
  const write = (e: Omit<DeliveryLogEntry, keyof typeof entry | 'durationMs' | 'at'>) => ctx.webhooks.log(sub.id, { ...entry, ...e, durationMs: Date.now() - started, at: new Date().toISOString() });
  const abort = new AbortController();
  const post = postWebhook(sub, payload.event, deliveryId, body, { config: ctx.config, hardTimeoutMs: timeoutMs + lateResponseMs, signal: abort.signal });
  const first = await Promise.race([post, sleep(timeoutMs, null, { ref: false })]);
  if (first === null) {
    // No answer in time: this attempt fails, the request stays open for a late answer.
    const open = lateRequests.get(ctx) ?? new Set();
    lateRequests.set(ctx, open);
    open.add(abort);
    void post.then(async (late: PostOutcome) => {
      open.delete(abort);
      if (late.ok) {
        await settleDelivered(ctx, deliveryId, token);
        ctx.metrics?.webhook('delivered');
        await write({ outcome: 'delivered', httpStatus: late.status, error: null, late: true });
      } else {
        await release(ctx, deliveryId, token);
      }
    }).catch((err: unknown) => ctx.log.warn({ deliveryId, err }, 'settling a late webhook answer failed'));
    ctx.metrics?.webhook('timeout');
    await write({ outcome: 'failed', httpStatus: null, error: `no answer within ${timeoutMs} ms (kept open ${lateResponseMs} ms for a late answer)` });
    throw new LedgerlensError('WEBHOOK_FAILED', `POST ${sub.url}: no answer within ${timeoutMs} ms`);
  }
  if (first.ok) {
    await settleDelivered(ctx, deliveryId, token);
    ctx.metrics?.webhook('delivered');
    await write({ outcome: 'delivered', httpStatus: first.status, error: null });
    return { delivered: true };
  }
  await release(ctx, deliveryId, token);
  ctx.metrics?.webhook('failed');
  await write({ outcome: 'failed', httpStatus: first.status, error: first.error });
  throw new LedgerlensError('WEBHOOK_FAILED', `POST ${sub.url}: ${first.error}`, first.status === null ? {} : { details: { status: first.status } });
}
