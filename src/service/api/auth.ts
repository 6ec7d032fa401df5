import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { LedgerlensError } from '../../core/errors.js';
import { DEFAULT_TENANT } from '../document-state.js';
import { sendError } from './http-errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Routes that answer without a key: probes and the API description. */
export const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json']);
/** Pages a browser opens: a missing key asks for Basic credentials (any user name, the key as password). */
const BROWSER_PREFIXES = ['/ui', '/docs', '/admin/queues'];
/** The review page marks its API calls with this header, so a 401 asks the browser for its Basic credentials too. */
export const UI_CLIENT_HEADER = 'x-ledgerlens-client';
/** Operator routes: the admin role only. */
const ADMIN_PREFIXES = ['/metrics', '/admin/'];

export type Role = 'member' | 'admin';

/** Who is calling: the key's tenant and role, and a short id of the key (never the key) for limits and logs. */
export interface Principal {
  tenant: string;
  role: Role;
  keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const pathOf = (url: string) => url.split('?')[0]!;
const under = (path: string, prefixes: string[]) => prefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));

/** Every configured key with its tenant and role: `api.keys`, plus the legacy `api.apiKeys` as members of tenant `default`. */
export function configuredKeys(config: Config): { digest: Buffer; principal: Principal }[] {
  const all = [
    ...config.api.keys,
    ...config.api.apiKeys.map((key) => ({ key, tenant: DEFAULT_TENANT, role: 'member' as const })),
  ];
  return all.map(({ key, tenant, role }) => {
    const d = digest(key);
    return { digest: d, principal: { tenant, role, keyId: d.subarray(0, 6).toString('hex') } };
  });
}

/** The key from `Authorization: Bearer KEY` or `Authorization: Basic base64(user:KEY)`. */
function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

export interface AuthHooks {
  /** Called when a request presents no key or a wrong one (the per-IP failure limit counts these). */
  onFailure?(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Called before the key is checked, to refuse an IP that failed too often already. */
  beforeCheck?(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * API keys on every route but the probes and /openapi.json, unless api.authDisabled (then every
 * caller is an admin of tenant `default`). Keys are compared as sha256 digests in constant time.
 * An empty key list without authDisabled is refused at startup, not per request.
 */
export function registerAuth(app: FastifyInstance, config: Config, hooks: AuthHooks = {}): void {
  app.decorateRequest('principal', null);
  if (config.api.authDisabled) {
    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.principal = { tenant: DEFAULT_TENANT, role: 'admin', keyId: 'auth-disabled' };
    });
    return;
  }
  const keys = configuredKeys(config);
  if (keys.length === 0) {
    throw new LedgerlensError('INVALID_CONFIG', 'no API keys: set api.keys (or LEDGERLENS_API_KEYS), or LEDGERLENS_AUTH_DISABLED=true for local use');
  }
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    authenticate(request, reply).then(() => done(), (err: unknown) => { sendError(err, request, reply); });
  });
  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = pathOf(request.url);
    if (PUBLIC_PATHS.has(path)) return;
    await hooks.beforeCheck?.(request, reply);
    const given = presentedKey(request.headers.authorization);
    const found = given === null ? undefined : keys.find((k) => timingSafeEqual(k.digest, digest(given)));
    if (!found) {
      await hooks.onFailure?.(request, reply);
      const browser = under(path, BROWSER_PREFIXES) || request.headers[UI_CLIENT_HEADER] === 'ui';
      reply.header('www-authenticate', browser ? 'Basic realm="ledgerlens", charset="UTF-8"' : 'Bearer realm="ledgerlens"');
      throw new LedgerlensError('UNAUTHORIZED', given === null ? 'missing API key (Authorization: Bearer <key>)' : 'invalid API key');
    }
    request.principal = found.principal;
    request.log = request.log.child({ tenant: found.principal.tenant, keyId: found.principal.keyId });
    if (under(path, ADMIN_PREFIXES) && found.principal.role !== 'admin') {
      throw new LedgerlensError('FORBIDDEN', 'this route needs an API key with role admin');
    }
  }
}

/** The caller's tenant scope: their tenant, or null (every tenant) for admins. */
export function scopeOf(request: FastifyRequest): string | null {
  const p = request.principal;
  if (!p) return DEFAULT_TENANT;
  return p.role === 'admin' ? null : p.tenant;
}

/** The tenant new things (uploads, subscriptions) belong to: always the caller's own. */
export const tenantOf = (request: FastifyRequest): string => request.principal?.tenant ?? DEFAULT_TENANT;

/** True when the caller may see something of `tenant`. */
export const mayAccess = (request: FastifyRequest, tenant: string): boolean => {
  const scope = scopeOf(request);
  return scope === null || scope === tenant;
};
