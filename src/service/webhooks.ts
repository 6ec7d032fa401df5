import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';

export const WEBHOOK_EVENTS = ['record.created', 'document.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SubscriptionInputSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Shared secret for the HMAC signature; at least 16 characters. */
  secret: z.string().min(16),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).default(['record.created']),
});
export type SubscriptionInput = z.input<typeof SubscriptionInputSchema>;

export const SubscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  secret: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const DeliveryLogEntrySchema = z.object({
  deliveryId: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  documentId: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(['delivered', 'failed']),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  at: z.string(),
});
export type DeliveryLogEntry = z.infer<typeof DeliveryLogEntrySchema>;

/** Signature headers. The signature is HMAC-SHA256(secret, `${timestamp}.${body}`), hex. */
export const SIGNATURE_HEADER = 'x-ledgerlens-signature';
export const TIMESTAMP_HEADER = 'x-ledgerlens-timestamp';
export const EVENT_HEADER = 'x-ledgerlens-event';
export const DELIVERY_HEADER = 'x-ledgerlens-delivery';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Subscriptions and the delivery log, in Redis. */
export class WebhookRegistry {
  constructor(private readonly redis: Redis, private readonly config: Config) {}

  private get key(): string {
    return `${this.config.redis.prefix}:webhooks`;
  }

  logKey(id: string): string {
    return `${this.config.redis.prefix}:deliveries:${id}`;
  }

  deliveredKey(deliveryId: string): string {
    return `${this.config.redis.prefix}:delivered:${deliveryId}`;
  }

  async add(input: SubscriptionInput): Promise<Subscription> {
    const result = SubscriptionInputSchema.safeParse(input);
    if (!result.success) {
      throw new LedgerlensError('INVALID_INPUT', result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    const parsed = result.data;
    const sub: Subscription = { id: randomBytes(8).toString('hex'), ...parsed, createdAt: new Date().toISOString() };
    await this.redis.hset(this.key, sub.id, JSON.stringify(sub));
    return sub;
  }

  async list(): Promise<Subscription[]> {
    const all = await this.redis.hvals(this.key);
    return all.map((v) => SubscriptionSchema.parse(JSON.parse(v))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(id: string): Promise<Subscription | null> {
    const raw = await this.redis.hget(this.key, id);
    return raw ? SubscriptionSchema.parse(JSON.parse(raw)) : null;
  }

  async remove(id: string): Promise<boolean> {
    const n = await this.redis.hdel(this.key, id);
    await this.redis.del(this.logKey(id));
    return n === 1;
  }

  async log(subscriptionId: string, entry: DeliveryLogEntry): Promise<void> {
    await this.redis.multi()
      .lpush(this.logKey(subscriptionId), JSON.stringify(entry))
      .ltrim(this.logKey(subscriptionId), 0, this.config.webhooks.logSize - 1)
      .exec();
  }

  async deliveries(subscriptionId: string, limit = 50): Promise<DeliveryLogEntry[]> {
    const raw = await this.redis.lrange(this.logKey(subscriptionId), 0, limit - 1);
    return raw.map((v) => DeliveryLogEntrySchema.parse(JSON.parse(v)));
  }
}

/**
 * POSTs one signed delivery. Resolves on a 2xx; anything else (status, timeout, refused connection)
 * throws a transient WEBHOOK_FAILED so the queue retries it with backoff.
 */
export async function postWebhook(
  sub: Subscription, event: WebhookEvent, deliveryId: string, body: string, timeoutMs: number,
): Promise<{ status: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(sub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signPayload(sub.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [EVENT_HEADER]: event,
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer();
  } catch (err) {
    throw new LedgerlensError('WEBHOOK_FAILED', `POST ${sub.url}: ${(err as Error).message}`, { cause: err });
  }
  if (res.status < 200 || res.status > 299) {
    throw new LedgerlensError('WEBHOOK_FAILED', `POST ${sub.url}: subscriber answered ${res.status}`, { details: { status: res.status } });
  }
  return { status: res.status };
}
