import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { LedgerlensError } from '../../core/errors.js';
import type { ServiceContext } from '../service-context.js';
import { pathOf, PUBLIC_PATHS, type AuthHooks } from './auth.js';
import { sendError } from './http-errors.js';

export { isRedisDown } from './http-errors.js';

type Limiter = (req: FastifyRequest, opts?: { increment?: boolean }) => Promise<{ isAllowed?: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;
declare module 'fastify' {
  interface FastifyInstance {
    createRateLimit(options: { max: number; timeWindow: number; keyGenerator: (req: FastifyRequest) => string }): Limiter;
  }
}

function refuse(reply: FastifyReply, ttlInSeconds: number | undefined, what: string): never {
  reply.header('retry-after', String(Math.max(1, ttlInSeconds ?? 1)));
  throw new LedgerlensError('RATE_LIMITED', `too many requests ${what}; retry after ${Math.max(1, ttlInSeconds ?? 1)} s`);
}

/**
 * Request limits (@fastify/rate-limit, in-process counters: each API process counts on its own):
 * per client IP on every route but the probes, per API key after authentication, and a stricter
 * per-IP budget for requests with a missing or wrong key (a guessing attacker is cut off long
 * before the per-IP limit). Answers 429 RATE_LIMITED with Retry-After.
 */
export async function registerRateLimits(app: FastifyInstance, config: Config): Promise<AuthHooks> {
  const { perIp, perKey, authFailuresPerIp, windowMs } = config.api.rateLimit;
  await app.register(rateLimit, { global: false });
  const ipLimit = app.createRateLimit({ max: perIp, timeWindow: windowMs, keyGenerator: (req) => `ip:${req.ip}` });
  const keyLimit = app.createRateLimit({ max: perKey, timeWindow: windowMs, keyGenerator: (req) => `key:${req.principal?.keyId ?? req.ip}` });
  const failLimit = app.createRateLimit({ max: authFailuresPerIp, timeWindow: windowMs, keyGenerator: (req) => `authfail:${req.ip}` });

  app.addHook('onRequest', (request, reply, done) => {
    if (PUBLIC_PATHS.has(pathOf(request.url))) return done();
    ipLimit(request).then((r) => {
      if (r.isExceeded) refuse(reply, r.ttlInSeconds, 'from this address');
      done();
    }).catch((err: unknown) => { sendError(err, request, reply); });
  });
  // After authentication (registered after registerAuth's hook): the key's own budget.
  const afterAuth = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.principal || PUBLIC_PATHS.has(pathOf(request.url))) return;
    const r = await keyLimit(request);
    if (r.isExceeded) refuse(reply, r.ttlInSeconds, 'for this API key');
  };
  app.addHook('preHandler', afterAuth);
  return {
    async beforeCheck(request, reply) {
      const r = await failLimit(request, { increment: false });
      if (r.isExceeded) refuse(reply, r.ttlInSeconds, 'with invalid API keys from this address');
    },
    async onFailure(request) {
      await failLimit(request);
    },
  };
}

/**
 * While Redis is down, /v1 routes answer 503 UNAVAILABLE with Retry-After at once instead of
 * queueing the request behind reconnects (uploads would otherwise hang, then fail with 500).
 */
export function registerRedisGuard(app: FastifyInstance, ctx: ServiceContext, retryAfterS = 5): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!pathOf(request.url).startsWith('/v1/')) return;
    if (ctx.redis.status !== 'ready') {
      reply.header('retry-after', String(retryAfterS));
      throw new LedgerlensError('UNAVAILABLE', 'the queue store (Redis) is unreachable; try again shortly');
    }
  });
}

/** Runs a Redis-backed step with a deadline: past it the request gets 503, not a hang. */
export async function withRedisDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LedgerlensError('UNAVAILABLE', 'the queue store (Redis) did not answer in time; try again shortly')), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
