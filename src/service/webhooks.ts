import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';
import { DEFAULT_TENANT } from './document-state.js';
import { WEBHOOK_EVENTS } from './job-registry.js';
import { checkLiteralTarget, checkWebhookUrl, guardedLookup } from './webhook-url-policy.js';

export { WEBHOOK_EVENTS };
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
  /** Events of this tenant's documents only. Subscriptions from before tenants: `default`. */
  tenant: z.string().default(DEFAULT_TENANT),
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
  /** The answer came after the attempt had timed out (the request was kept open for it). */
  late: z.boolean().optional(),
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

/** Subscriptions and the delivery log, in Redis. Reads take a tenant (null: every tenant, for admins). */
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

  inFlightKey(deliveryId: string): string {
    return `${this.config.redis.prefix}:inflight:${deliveryId}`;
  }

  async add(input: SubscriptionInput, tenant: string = DEFAULT_TENANT): Promise<Subscription> {
    const result = SubscriptionInputSchema.safeParse(input);
    if (!result.success) {
      throw new LedgerlensError('INVALID_INPUT', result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    const parsed = result.data;
    checkWebhookUrl(parsed.url, this.config.webhooks);
    const sub: Subscription = { id: randomBytes(8).toString('hex'), tenant, ...parsed, createdAt: new Date().toISOString() };
    await this.redis.hset(this.key, sub.id, JSON.stringify(sub));
    return sub;
  }

  async list(tenant: string | null): Promise<Subscription[]> {
    const all = (await this.redis.hvals(this.key)).map((v) => SubscriptionSchema.parse(JSON.parse(v)));
    return all.filter((s) => tenant === null || s.tenant === tenant).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The subscription, when it exists and the tenant may see it (null tenant: any). */
  async get(id: string, tenant: string | null = null): Promise<Subscription | null> {
    const raw = await this.redis.hget(this.key, id);
    const sub = raw ? SubscriptionSchema.parse(JSON.parse(raw)) : null;
    return sub && (tenant === null || sub.tenant === tenant) ? sub : null;
  }

  async remove(id: string, tenant: string | null = null): Promise<boolean> {
    if (!(await this.get(id, tenant))) return false;
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

/** What a delivery attempt's request came to (a network failure is described, not passed through). */
export type PostOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** Network errors as short, stable words: the delivery log is read by key holders, not operators. */
function describeNetworkError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRREFUSEDBYPOLICY': return 'the host resolves to no public address (webhooks.allowPrivateNetworks is off)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name does not resolve';
    case 'ECONNREFUSED': case 'ECONNRESET': case 'EHOSTUNREACH': case 'ENETUNREACH': return 'the connection failed';
    case 'ABORT_ERR': return 'no answer in time';
    default: return err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') ? 'TLS handshake failed' : 'the request failed';
  }
}

/**
 * POSTs one signed delivery with node:http(s): the target address is checked as it is resolved
 * (guardedLookup) and redirects are not followed. The returned promise settles when the subscriber
 * answers or when `hardTimeoutMs` passes (the caller decides how long it waits for it: an attempt
 * times out sooner, and the request stays open for a late answer). `abort` ends it early.
 */
export function postWebhook(
  sub: Subscription, event: WebhookEvent, deliveryId: string, body: string,
  options: { config: Config; hardTimeoutMs: number; signal?: AbortSignal },
): Promise<PostOutcome> {
  const policy = options.config.webhooks;
  const url = new URL(sub.url);
  try {
    checkWebhookUrl(sub.url, policy);
    checkLiteralTarget(url, policy);
  } catch (err) {
    return Promise.resolve({ ok: false, status: null, error: (err as Error).message });
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.hardTimeoutMs)]) : AbortSignal.timeout(options.hardTimeoutMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    const req = send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'ledgerlens-webhooks/1',
        [SIGNATURE_HEADER]: signPayload(sub.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [EVENT_HEADER]: event,
        [DELIVERY_HEADER]: deliveryId,
      },
      lookup: guardedLookup(policy) as never,
      signal,
      agent: false,
    }, (res: IncomingMessage) => {
      res.resume(); // the answer's body is not read; only its status counts
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status <= 299 ? { ok: true, status } : { ok: false, status, error: `the subscriber answered ${status}` });
      });
      res.on('error', () => resolve({ ok: false, status: res.statusCode ?? null, error: 'the answer was cut off' }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, status: null, error: describeNetworkError(err.name === 'AbortError' ? Object.assign(err, { code: 'ABORT_ERR' }) : err) }));
    req.end(body);
  });
}
