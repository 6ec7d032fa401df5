import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { LedgerlensError } from '../../core/errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Routes that answer without a key: probes and the API description. */
export const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json']);

/**
 * Bearer API keys on every /v1 route unless api.authDisabled. Keys are compared as sha256 digests
 * in constant time. An empty key list without authDisabled is refused at startup, not per request.
 */
export function registerAuth(app: FastifyInstance, config: Config): void {
  if (config.api.authDisabled) return;
  if (config.api.apiKeys.length === 0) {
    throw new LedgerlensError('INVALID_CONFIG', 'api.apiKeys is empty: set LEDGERLENS_API_KEYS or LEDGERLENS_AUTH_DISABLED=true for local use');
  }
  const keys = config.api.apiKeys.map(digest);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (PUBLIC_PATHS.has(request.url.split('?')[0]!)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new LedgerlensError('UNAUTHORIZED', 'missing bearer API key (Authorization: Bearer <key>)');
    const given = digest(match[1]!);
    if (!keys.some((k) => timingSafeEqual(k, given))) throw new LedgerlensError('UNAUTHORIZED', 'invalid API key');
  });
}
