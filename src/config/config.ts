import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LedgerlensError } from '../core/errors.js';
import { suggestName } from './suggest.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The package root, whether this file runs from src/config or from its build in dist/src/config. */
export const PROJECT_ROOT = resolve(here, here.includes(`${sep}dist${sep}`) ? '../../..' : '../..');
export const DEFAULT_MODEL_DIR = resolve(PROJECT_ROOT, 'models/ledgerlens-invoice');
/** The bundle trained on running text as well as documents, for `ledgerlens ner` on plain text. */
export const DEFAULT_TEXT_MODEL_DIR = resolve(PROJECT_ROOT, 'models/ledgerlens-text');

/**
 * The one configuration schema. Defaults live here; the type is inferred from it.
 * Sources, later wins: defaults < JSON file (LEDGERLENS_CONFIG or --config) < environment < overrides.
 */
export const ConfigSchema = z.strictObject({
  limits: z.strictObject({
    maxFileBytes: z.number().int().positive().default(50 * 1024 * 1024),
    maxPages: z.number().int().positive().default(200),
    /** Largest image (or rendered page) in pixels, width x height. */
    maxImagePixels: z.number().int().positive().default(120_000_000),
    /**
     * Budget of one document's OCR renders: the pixels its pages need at ocr.dpi, summed (a page
     * drawn at a lower dpi to fit maxImagePixels is still charged at ocr.dpi). Default: 200 A4 pages at 300 dpi.
     */
    maxRenderedPixels: z.number().int().positive().default(1_750_000_000),
    /** Budget of one PDF's Flate-decoded streams, summed, checked before the PDF is parsed (Flate bombs). */
    maxDecompressedBytes: z.number().int().positive().default(1024 * 1024 * 1024),
    /** Wall-clock limit of one OCR job, enforced by killing its sandboxed child process (RESOURCE_LIMIT). */
    jobTimeoutMs: z.number().int().positive().default(300_000),
    /** V8 heap cap of each sandboxed OCR child (--max-old-space-size), in MB. */
    ocrChildHeapMb: z.number().int().min(64).default(2048),
    /** Resident-memory cap of each sandboxed OCR child (checked twice a second; 0 = none), in MB. */
    ocrChildRssMb: z.number().int().nonnegative().default(4096),
  }).prefault({}),
  ocr: z.strictObject({
    /**
     * 'auto': every page is read in English first, and re-read in its language when the words
     * read indicate German, French, Spanish, Italian or Dutch (ocr-language.ts).
     * A list of tesseract codes (each an installed @tesseract.js-data/<code> package): every page
     * is read once with them, joined with "+".
     */
    languages: z.union([z.literal('auto'), z.array(z.string().regex(/^[a-z_]{3,10}$/)).min(1)]).default('auto'),
    /** Worker pool size; defaults to the number of cores. */
    workers: z.number().int().positive().default(Math.max(1, availableParallelism())),
    /** Resolution at which text-less PDF pages are rendered for OCR. */
    dpi: z.number().int().min(72).max(600).default(300),
    /**
     * 'auto': each page to OCR is first checked for a sideways or upside-down reading (tesseract's
     * orientation detection, @tesseract.js-data/osd) and turned upright; 'off' reads pages as
     * they are (after EXIF orientation, which applies either way).
     */
    orientation: z.enum(['auto', 'off']).default('auto'),
  }).prefault({}),
  /** Read embedded Factur-X / ZUGFeRD / XRechnung XML instead of the page text (the fast path). */
  embedded: z.boolean().default(true),
  model: z.strictObject({
    dir: z.string().default(DEFAULT_MODEL_DIR),
    /**
     * The bundle `ledgerlens ner` runs on plain text (a sentence, a {"text": ...} file) when no
     * --model is given; documents (DocumentText) always use \`dir\`.
     */
    textDir: z.string().default(DEFAULT_TEXT_MODEL_DIR),
    /** Execution provider; a GPU provider that fails to load falls back to cpu, logged. */
    provider: z.enum(['cpu', 'cuda', 'webgpu']).default('cpu'),
    batchSize: z.number().int().positive().default(8),
    stride: z.number().int().nonnegative().default(32),
  }).prefault({}),
  extract: z.strictObject({
    /**
     * Fields below this confidence are flagged for review. Unset: the threshold shipped with the
     * model bundle's scorer (chosen out of fold for 99% straight-through precision), else 0.95.
     */
    reviewThreshold: z.number().min(0).max(1).optional(),
    /**
     * Use the store's learned version (`ledgerlens learn`: reviewed documents as layout memory), so
     * that the next invoice of a reviewed vendor's layout comes out as the reviewer corrected it.
     */
    learned: z.boolean().default(true),
    /** Keep a hybrid e-invoice's page text with its XML record as a labelled example (`<store>/examples`) for `learn`. */
    learnFromEinvoices: z.boolean().default(true),
  }).prefault({}),
  redis: z.strictObject({
    url: z.string().default('redis://127.0.0.1:6379'),
    prefix: z.string().default('ledgerlens'),
  }).prefault({}),
  store: z.strictObject({ dir: z.string().default('./data') }).prefault({}),
  api: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /**
     * API keys, each of one tenant: documents, records, webhooks and failed jobs are the tenant's own;
     * role `admin` sees every tenant and may open /metrics and /admin/queues.
     */
    keys: z.array(z.strictObject({
      key: z.string().min(16),
      tenant: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (64 at most)').default('default'),
      role: z.enum(['member', 'admin']).default('member'),
    })).default([]),
    /** Legacy: plain bearer keys, each a `member` of the tenant `default` (LEDGERLENS_API_KEYS, comma-separated). */
    apiKeys: z.array(z.string().min(16)).default([]),
    authDisabled: z.boolean().default(false),
    /** A request (headers and body) must arrive within this; slow uploads are cut off with 408. */
    requestTimeoutMs: z.number().int().positive().default(120_000),
    /** The request headers must arrive within this. */
    headersTimeoutMs: z.number().int().positive().default(15_000),
    /** Trust X-Forwarded-For (behind a reverse proxy) for the per-IP limits. */
    trustProxy: z.boolean().default(false),
    rateLimit: z.strictObject({
      /** Requests per window per API key (authenticated routes). */
      perKey: z.number().int().positive().default(600),
      /** Requests per window per client IP (every route but the probes). */
      perIp: z.number().int().positive().default(1200),
      /** Requests with a missing or wrong key per window per client IP. */
      authFailuresPerIp: z.number().int().positive().default(30),
      windowMs: z.number().int().positive().default(60_000),
    }).prefault({}),
  }).prefault({}).superRefine((api, ctx) => {
    const seen = new Set<string>();
    for (const key of [...api.keys.map((k) => k.key), ...api.apiKeys]) {
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'the same API key is configured twice' });
      seen.add(key);
    }
  }),
  /** Queue workers (src/service, workers/). */
  queue: z.strictObject({
    /** Attempts per stage job; transient failures retry with exponential backoff from backoffMs. */
    attempts: z.number().int().positive().default(5),
    backoffMs: z.number().int().positive().default(2000),
    /** Job lock; renewed at half this while the job runs. A dead worker's job is recovered after it expires. */
    lockDurationMs: z.number().int().positive().default(30_000),
    stalledIntervalMs: z.number().int().positive().default(15_000),
    /** A job found stalled more often than this (its worker died on it each time) fails: RESOURCE_LIMIT. */
    maxStalledCount: z.number().int().nonnegative().default(2),
    /** Run OCR in sandboxed child processes so CPU-bound pages never starve lock renewal. */
    sandboxOcr: z.boolean().default(true),
    /** On SIGTERM, in-flight jobs get this long to finish; then the process closes anyway (also with Redis down). */
    shutdownTimeoutMs: z.number().int().positive().default(60_000),
    concurrency: z.strictObject({
      ocr: z.number().int().positive().default(Math.max(1, availableParallelism())),
      ner: z.number().int().positive().default(2),
      extract: z.number().int().positive().default(4),
      deliver: z.number().int().positive().default(8),
    }).prefault({}),
  }).prefault({}),
  /** Scheduled batch: files dropped into dir are enqueued once each, then moved to processed/ or failed/. */
  inbox: z.strictObject({
    dir: z.string().nullable().default(null),
    /** Scan interval; ignored when cron is set. */
    everyMs: z.number().int().positive().default(10_000),
    cron: z.string().nullable().default(null),
    /** Files younger than this are left alone (still being copied in). */
    minAgeMs: z.number().int().nonnegative().default(2000),
  }).prefault({}),
  webhooks: z.strictObject({
    attempts: z.number().int().positive().default(8),
    backoffMs: z.number().int().positive().default(5000),
    /** A subscriber slower than this fails the attempt (and is retried later); it never holds up the pipeline. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** Deliveries kept per subscription in the delivery log. */
    logSize: z.number().int().positive().default(200),
    /**
     * After a timed-out attempt the request stays open this long: a late 2xx still settles the
     * delivery, and retries wait (backoff) instead of sending it again while it is open.
     */
    lateResponseMs: z.number().int().nonnegative().default(60_000),
    /** Host names (exact, or `*.example.com`) subscriptions may point at; empty = any public host. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** Allow loopback, private, link-local and other non-public addresses (refused by default). */
    allowPrivateNetworks: z.boolean().default(false),
  }).prefault({}),
  log: z.strictObject({
    /** pino level for every process (API, workers, sandboxes). */
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).prefault({}),
  /** Export formats (src/export): the CSV dialect and the bookkeeping layouts' accounts and codes. */
  export: z.strictObject({
    csv: z.strictObject({
      /** `;` for European spreadsheets and bookkeeping imports. */
      delimiter: z.enum([',', ';']).default(','),
      /** Decimal columns as "1234,50". */
      decimalComma: z.boolean().default(false),
    }).prefault({}),
    /** DATEV booking batch (EXTF Buchungsstapel): header numbers and the accounts every invoice is booked on. */
    datev: z.strictObject({
      consultantNumber: z.number().int().min(1001).max(9_999_999).default(1001),
      clientNumber: z.number().int().min(1).max(99_999).default(1),
      fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
      /** Digits of a G/L account (Sachkontenlänge); personal accounts (creditors) have one more. */
      accountLength: z.number().int().min(4).max(8).default(4),
      /** Chart of accounts (Sachkontenrahmen) named in the header: 03 = SKR03, 04 = SKR04. */
      chartOfAccounts: z.string().regex(/^\d{2}$/).default('03'),
      /** Debited with the gross amount; SKR03 4980 (sonstiger Betriebsbedarf). */
      expenseAccount: z.string().regex(/^\d{1,9}$/).default('4980'),
      /** Credited: one collective creditor account (SKR03/04 70000) unless you map vendors yourself. */
      creditorAccount: z.string().regex(/^\d{1,9}$/).default('70000'),
      /** The batch currency; records in another currency are left out (DATEV needs an exchange rate for them). */
      currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
      /** BU-Schlüssel by VAT rate in percent: 9 = 19 % and 8 = 7 % input tax in SKR03/SKR04. */
      taxKeys: z.record(z.string().regex(/^\d+(\.\d+)?$/), z.string().regex(/^\d{1,4}$/)).default({ 19: '9', 7: '8' }),
    }).prefault({}),
    /** Xero bills import: the expense account code and tax rate name of every line, the date format of the organisation. */
    xero: z.strictObject({
      accountCode: z.string().default('429'),
      taxType: z.string().default(''),
      dateFormat: z.enum(['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD']).default('DD/MM/YYYY'),
    }).prefault({}),
    /** QuickBooks Online bills import: expense account, tax code, the company's date format. */
    quickbooks: z.strictObject({
      account: z.string().default('Uncategorized Expense'),
      taxCode: z.string().default(''),
      dateFormat: z.enum(['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD']).default('MM/DD/YYYY'),
    }).prefault({}),
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
  LEDGERLENS_OCR_ORIENTATION: 'ocr.orientation',
  LEDGERLENS_EMBEDDED: 'embedded',
  LEDGERLENS_MODEL_DIR: 'model.dir',
  LEDGERLENS_TEXT_MODEL_DIR: 'model.textDir',
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
  LEDGERLENS_JOB_TIMEOUT_MS: 'limits.jobTimeoutMs',
  LEDGERLENS_MAX_RENDERED_PIXELS: 'limits.maxRenderedPixels',
  LEDGERLENS_MAX_DECOMPRESSED_BYTES: 'limits.maxDecompressedBytes',
  LEDGERLENS_LOG_LEVEL: 'log.level',
  LEDGERLENS_WEBHOOKS_ALLOWED_HOSTS: 'webhooks.allowedHosts',
  LEDGERLENS_WEBHOOKS_ALLOW_PRIVATE: 'webhooks.allowPrivateNetworks',
  LEDGERLENS_TRUST_PROXY: 'api.trustProxy',
};

/** List-valued variables and what separates their items. API keys split on commas only (base64 keys contain `+`). */
const LIST_SEPARATORS: Record<string, RegExp> = {
  'ocr.languages': /[,+]/,
  'api.apiKeys': /,/,
  'webhooks.allowedHosts': /,/,
};

/** Keywords a list-valued variable takes instead of a list. */
const LIST_KEYWORDS: Record<string, string[]> = {
  'ocr.languages': ['auto'],
};

function parseEnvValue(path: string, raw: string): unknown {
  if (LIST_KEYWORDS[path]?.includes(raw.trim())) return raw.trim();
  const separator = LIST_SEPARATORS[path];
  if (separator) return raw.split(separator).map((s) => s.trim()).filter(Boolean);
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
    const problems = result.error.issues.flatMap((issue) => describeIssue(issue));
    throw new LedgerlensError('INVALID_CONFIG', `invalid configuration${file ? ` (${file})` : ''}:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** One line per problem; an unknown key is named with its full path and the known key it most likely meant. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const at = issue.path.map(String);
  if (issue.code !== 'unrecognized_keys') return [`${at.join('.') || '(root)'}: ${issue.message}`];
  const known = knownKeys(at);
  return issue.keys.map((key) => {
    const hint = suggestName(key, known);
    return `${[...at, key].join('.')}: unknown key${hint ? ` (did you mean ${[...at, hint].join('.')}?)` : ''}`;
  });
}

type SchemaDef = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };

/** The keys the schema allows at a path of nested objects. */
function knownKeys(path: readonly string[]): string[] {
  let node: z.ZodType | undefined = ConfigSchema;
  const def = (s: z.ZodType): SchemaDef => (s as unknown as { def: SchemaDef }).def;
  const unwrap = (s: z.ZodType): z.ZodType => { let x = s; while (def(x).innerType) x = def(x).innerType!; return x; };
  for (const key of path) node = node && def(unwrap(node)).shape?.[key];
  const shape = node && def(unwrap(node)).shape;
  return shape ? Object.keys(shape) : [];
}
