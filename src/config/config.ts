import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LedgerlensError } from '../core/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The package root, whether this file runs from src/config or from its build in dist/src/config. */
export const PROJECT_ROOT = resolve(here, here.includes(`${sep}dist${sep}`) ? '../../..' : '../..');
export const DEFAULT_MODEL_DIR = resolve(PROJECT_ROOT, 'models/ledgerlens-invoice');

/**
 * The one configuration schema. Defaults live here; the type is inferred from it.
 * Sources, later wins: defaults < JSON file (LEDGERLENS_CONFIG or --config) < environment < overrides.
 */
export const ConfigSchema = z.object({
  limits: z.object({
    maxFileBytes: z.number().int().positive().default(50 * 1024 * 1024),
    maxPages: z.number().int().positive().default(200),
    /** Largest image (or rendered page) in pixels, width x height. */
    maxImagePixels: z.number().int().positive().default(120_000_000),
  }).prefault({}),
  ocr: z.object({
    /** Tesseract language codes, joined with "+" when passed to tesseract. */
    languages: z.array(z.string().regex(/^[a-z_]{3,10}$/)).min(1).default(['eng']),
    /** Worker pool size; defaults to the number of cores. */
    workers: z.number().int().positive().default(Math.max(1, availableParallelism())),
    /** Resolution at which text-less PDF pages are rendered for OCR. */
    dpi: z.number().int().min(72).max(600).default(300),
  }).prefault({}),
  /** Read embedded Factur-X / ZUGFeRD / XRechnung XML instead of the page text (the fast path). */
  embedded: z.boolean().default(true),
  model: z.object({
    dir: z.string().default(DEFAULT_MODEL_DIR),
    /** Execution provider; a GPU provider that fails to load falls back to cpu, logged. */
    provider: z.enum(['cpu', 'cuda', 'webgpu']).default('cpu'),
    batchSize: z.number().int().positive().default(8),
    stride: z.number().int().nonnegative().default(32),
  }).prefault({}),
  extract: z.object({
    /** Fields below this confidence are flagged for review. */
    reviewThreshold: z.number().min(0).max(1).default(0.6),
  }).prefault({}),
  redis: z.object({
    url: z.string().default('redis://127.0.0.1:6379'),
    prefix: z.string().default('ledgerlens'),
  }).prefault({}),
  store: z.object({ dir: z.string().default('./data') }).prefault({}),
  api: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Bearer keys; empty requires `authDisabled: true`. */
    apiKeys: z.array(z.string().min(16)).default([]),
    authDisabled: z.boolean().default(false),
  }).prefault({}),
  /** Queue workers (src/service, workers/). */
  queue: z.object({
    /** Attempts per stage job; transient failures retry with exponential backoff from backoffMs. */
    attempts: z.number().int().positive().default(5),
    backoffMs: z.number().int().positive().default(2000),
    /** Job lock; renewed at half this while the job runs. A dead worker's job is recovered after it expires. */
    lockDurationMs: z.number().int().positive().default(30_000),
    stalledIntervalMs: z.number().int().positive().default(15_000),
    /** Run OCR in sandboxed child processes so CPU-bound pages never starve lock renewal. */
    sandboxOcr: z.boolean().default(true),
    concurrency: z.object({
      ocr: z.number().int().positive().default(Math.max(1, availableParallelism())),
      ner: z.number().int().positive().default(2),
      extract: z.number().int().positive().default(4),
      deliver: z.number().int().positive().default(8),
    }).prefault({}),
  }).prefault({}),
  /** Scheduled batch: files dropped into dir are enqueued once each, then moved to processed/ or failed/. */
  inbox: z.object({
    dir: z.string().nullable().default(null),
    /** Scan interval; ignored when cron is set. */
    everyMs: z.number().int().positive().default(10_000),
    cron: z.string().nullable().default(null),
    /** Files younger than this are left alone (still being copied in). */
    minAgeMs: z.number().int().nonnegative().default(2000),
  }).prefault({}),
  webhooks: z.object({
    attempts: z.number().int().positive().default(8),
    backoffMs: z.number().int().positive().default(5000),
    /** A subscriber slower than this fails the attempt (and is retried later); it never holds up the pipeline. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** Deliveries kept per subscription in the delivery log. */
    logSize: z.number().int().positive().default(200),
  }).prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Environment variables and the config path each one sets; values are parsed as JSON when they parse. */
const ENV_MAP: Record<string, string> = {
  LEDGERLENS_MAX_FILE_BYTES: 'limits.maxFileBytes',
  LEDGERLENS_MAX_PAGES: 'limits.maxPages',
  LEDGERLENS_MAX_IMAGE_PIXELS: 'limits.maxImagePixels',
  LEDGERLENS_OCR_LANGUAGES: 'ocr.languages',
  LEDGERLENS_OCR_WORKERS: 'ocr.workers',
  LEDGERLENS_OCR_DPI: 'ocr.dpi',
  LEDGERLENS_EMBEDDED: 'embedded',
  LEDGERLENS_MODEL_DIR: 'model.dir',
  LEDGERLENS_PROVIDER: 'model.provider',
  LEDGERLENS_REDIS_URL: 'redis.url',
  LEDGERLENS_STORE_DIR: 'store.dir',
  LEDGERLENS_API_HOST: 'api.host',
  LEDGERLENS_API_PORT: 'api.port',
  LEDGERLENS_API_KEYS: 'api.apiKeys',
  LEDGERLENS_AUTH_DISABLED: 'api.authDisabled',
  LEDGERLENS_REDIS_PREFIX: 'redis.prefix',
  LEDGERLENS_QUEUE_ATTEMPTS: 'queue.attempts',
  LEDGERLENS_QUEUE_LOCK_MS: 'queue.lockDurationMs',
  LEDGERLENS_SANDBOX_OCR: 'queue.sandboxOcr',
  LEDGERLENS_INBOX_DIR: 'inbox.dir',
  LEDGERLENS_INBOX_EVERY_MS: 'inbox.everyMs',
  LEDGERLENS_INBOX_CRON: 'inbox.cron',
};

function parseEnvValue(path: string, raw: string): unknown {
  if (path === 'ocr.languages' || path === 'api.apiKeys') return raw.split(/[,+]/).map((s) => s.trim()).filter(Boolean);
  try { return JSON.parse(raw); } catch { return raw; }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
      ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** Parses the configuration once; every problem is reported together in one INVALID_CONFIG error. */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; file?: string; overrides?: ConfigInput } = {}): Config {
  const env = options.env ?? process.env;
  let merged: Record<string, unknown> = {};
  const file = options.file ?? env.LEDGERLENS_CONFIG;
  if (file) {
    try {
      merged = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new LedgerlensError('INVALID_CONFIG', `cannot read config file ${file}: ${(err as Error).message}`);
    }
  }
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') setPath(merged, path, parseEnvValue(path, raw));
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides as Record<string, unknown>);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new LedgerlensError('INVALID_CONFIG', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}
