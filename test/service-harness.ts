import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadConfig, type Config, type ConfigInput } from '../src/config/config.js';
import type { Stages } from '../src/pipeline/stage-types.js';
import { silentLogger } from '../src/service/logger.js';
import { createServiceContext, type WorkerContext } from '../src/service/service-context.js';
import { startService, type RunningService } from '../src/service/runtime.js';
import type { Role } from '../src/service/job-registry.js';

/** Shared set-up for the queue and API tests: a real Redis, a unique key prefix, a temp store. */
export const REDIS_URL = process.env.LEDGERLENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let available: Promise<boolean> | null = null;
/** True when Redis answers; tests skip with a message otherwise. */
export function redisAvailable(): Promise<boolean> {
  available ??= (async () => {
    const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  })();
  return available;
}
export const SKIP_MESSAGE = `Redis is not reachable at ${REDIS_URL}: start redis-server to run the queue tests`;

export const API_KEY = 'test-key-0123456789abcdef';

export interface Harness {
  config: Config;
  ctx: WorkerContext;
  service: RunningService;
  prefix: string;
  dir: string;
  close(): Promise<void>;
}

/** Fast queue settings for tests: short backoff, short locks (recovery within a second or two). */
export async function testConfig(overrides: ConfigInput = {}): Promise<{ config: Config; prefix: string; dir: string }> {
  const prefix = `lltest-${randomBytes(6).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'ledgerlens-service-'));
  const base: ConfigInput = {
    redis: { url: REDIS_URL, prefix },
    store: { dir: join(dir, 'store') },
    queue: { attempts: 3, backoffMs: 50, lockDurationMs: 2000, stalledIntervalMs: 1000, sandboxOcr: false },
    // The tests' receivers listen on 127.0.0.1: private networks allowed (the default refuses them).
    webhooks: { attempts: 4, backoffMs: 50, timeoutMs: 1000, allowPrivateNetworks: true },
    // Generous limits: the suites send many requests from one address.
    api: { apiKeys: [API_KEY], rateLimit: { perIp: 100_000, perKey: 100_000, authFailuresPerIp: 1000 } },
    inbox: { minAgeMs: 0 },
  };
  const config = loadConfig({ env: {}, overrides: deepMerge(base, overrides) });
  return { config, prefix, dir };
}

function deepMerge<T>(a: T, b: unknown): T {
  if (!b || typeof b !== 'object') return a;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' ? deepMerge(prev, v) : v;
  }
  return out as T;
}

export async function startHarness(stages: Stages, options: { roles?: Role[]; overrides?: ConfigInput } = {}): Promise<Harness> {
  const { config, prefix, dir } = await testConfig(options.overrides);
  const ctx: WorkerContext = { ...createServiceContext(config, { log: silentLogger }), stages, stagesModule: null };
  const service = await startService(ctx, { roles: options.roles ?? ['ocr', 'ner', 'extract', 'deliver'] });
  return {
    config, ctx, service, prefix, dir,
    async close() {
      await service.close();
      await cleanupPrefix(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Deletes every key under the prefix. */
export async function cleanupPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A multipart/form-data body with one file part, for fastify inject. */
export function multipartBody(bytes: Buffer, fileName: string, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ledgerlens${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
