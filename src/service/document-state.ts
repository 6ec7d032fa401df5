import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MediaTypeSchema } from '../core/document-text.js';
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { ROLES, type Role } from './job-registry.js';
import { DOCUMENT_LUA } from './document-state.lua.js';

/**
 * Per-document state in Redis, shared by the API and every worker: a hash per document, sorted
 * sets of documents (by creation) and completed records (by completion), globally and per tenant,
 * and status / failure counters for /metrics.
 *
 * Every change of status is one Lua script (document-state.lua.ts), so it is atomic, and every
 * change a stage makes is fenced: a stage attempt first claims the document with its BullMQ job
 * token (`claim`), and its later writes (`advance`, `complete`, `retrying`) apply only while the
 * document is still at that stage and that token still owns it. A worker that lost its job lock
 * (a pause, a Redis outage) and finishes late has its writes dropped, and a completed or failed
 * document never moves back.
 */
export const DOCUMENT_STATUSES = ['queued', 'processing', 'retrying', 'completed', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DEFAULT_TENANT = 'default';

export const DocumentInfoSchema = z.object({
  id: z.string(),
  /** The tenant the document belongs to (the uploading key's). Documents from before tenants: `default`. */
  tenant: z.string().default(DEFAULT_TENANT),
  /** sha256 of the file's bytes (the store key of the original). */
  sha256: z.string().optional(),
  status: z.enum(DOCUMENT_STATUSES),
  /** The stage the document is in (or last was in). */
  stage: z.enum(ROLES).nullable(),
  /** 0..100 */
  progress: z.number(),
  errorCode: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).nullable(),
  errorMessage: z.string().nullable(),
  fileName: z.string().nullable(),
  mediaType: MediaTypeSchema,
  bytes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type DocumentInfo = z.infer<typeof DocumentInfoSchema> & { sha256: string };

/** Progress reported when a document enters each stage. */
export const STAGE_PROGRESS: Record<Role, number> = { ocr: 10, ner: 50, extract: 80, deliver: 100, inbox: 0 };

/** What `claim` found: whether this attempt now owns the document, and where the document was. */
export interface ClaimResult {
  owned: boolean;
  exists: boolean;
  status: DocumentStatus | null;
  stage: Role | null;
}

const j = (v: unknown) => JSON.stringify(v ?? null);
const encode = (fields: Record<string, unknown>) => Object.entries(fields).flatMap(([k, v]) => [k, j(v)]);
const unjson = (v: string | null | undefined) => (v ? JSON.parse(v) as unknown : null);

type LuaCommand = (...args: (string | number)[]) => Promise<unknown>;

export class DocumentState {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    for (const [name, { keys, lua }] of Object.entries(DOCUMENT_LUA)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: keys, lua });
    }
  }

  private lua(name: keyof typeof DOCUMENT_LUA): LuaCommand {
    return (this.redis as unknown as Record<string, LuaCommand>)[name]!.bind(this.redis);
  }

  key(id: string): string {
    return `${this.prefix}:doc:${id}`;
  }

  /** Completed records, all tenants (admin view); per tenant under `${recordsKey}:t:${tenant}`. */
  get recordsKey(): string {
    return `${this.prefix}:records`;
  }

  recordsKeyOf(tenant: string | null): string {
    return tenant === null ? this.recordsKey : `${this.recordsKey}:t:${tenant}`;
  }

  /** Documents by creation time, all tenants; per tenant under `${docsKey}:t:${tenant}`. */
  get docsKey(): string {
    return `${this.prefix}:docs`;
  }

  docsKeyOf(tenant: string | null): string {
    return tenant === null ? this.docsKey : `${this.docsKey}:t:${tenant}`;
  }

  get statsKey(): string {
    return `${this.prefix}:stats:status`;
  }

  get failuresKey(): string {
    return `${this.prefix}:stats:failures`;
  }

  /** Documents that use one stored original (tenants uploading the same bytes share it). */
  private originalKey(sha256: string): string {
    return `${this.prefix}:original:${sha256}`;
  }

  /** Creates the document; returns false (and leaves it alone) when it already exists. */
  async create(info: DocumentInfo): Promise<boolean> {
    await this.redis.sadd(this.originalKey(info.sha256), info.id);
    const created = await this.lua('llDocCreate')(this.key(info.id), this.statsKey, this.docsKey,
      info.tenant, Date.parse(info.createdAt), ...encode({ ...info, owner: '' }));
    return created === 1;
  }

  /** True while some document still uses the original with this digest. */
  async originalInUse(sha256: string): Promise<boolean> {
    return (await this.redis.scard(this.originalKey(sha256))) > 0;
  }

  async get(id: string): Promise<DocumentInfo | null> {
    return this.decode(await this.redis.hgetall(this.key(id)));
  }

  /** Several documents in one round trip (missing ones are null). */
  async getMany(ids: string[]): Promise<(DocumentInfo | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, raw]) => {
      if (err) throw err;
      return this.decode(raw as Record<string, string>);
    });
  }

  private decode(raw: Record<string, string>): DocumentInfo | null {
    if (!raw.id) return null;
    const decoded = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, unjson(v)]));
    const doc = DocumentInfoSchema.parse(decoded);
    return { ...doc, sha256: doc.sha256 ?? doc.id };
  }

  /**
   * Takes the document for one attempt of a stage, with the attempt's token. Refused (owned: false)
   * when the document is gone, finished (completed or failed) or at another stage.
   */
  async claim(id: string, role: Role, token: string): Promise<ClaimResult> {
    const [owned, status, stage] = await this.lua('llDocClaim')(this.key(id), this.statsKey,
      j(role), j(token), j(STAGE_PROGRESS[role]), j(new Date().toISOString())) as [number, string, string];
    return { owned: owned === 1, exists: status !== '', status: unjson(status) as DocumentStatus | null, stage: unjson(stage) as Role | null };
  }

  /** True while this attempt still owns the document at this stage (checked before writing artefacts). */
  async owns(id: string, role: Role, token: string): Promise<boolean> {
    return (await this.lua('llDocOwns')(this.key(id), j(role), j(token))) === 1;
  }

  /** Hands the document to the next stage (status queued); false when this attempt no longer owns it. */
  async advance(id: string, role: Role, token: string, next: Role): Promise<boolean> {
    return (await this.lua('llDocAdvance')(this.key(id), this.statsKey,
      j(role), j(token), j(next), j(STAGE_PROGRESS[role] + 5), j(new Date().toISOString()))) === 1;
  }

  /** Marks a transient failure (the queue retries); false when this attempt no longer owns the document. */
  async retrying(id: string, role: Role, token: string, code: ErrorCode, message: string): Promise<boolean> {
    return (await this.lua('llDocRetrying')(this.key(id), this.statsKey,
      j(role), j(token), j(code), j(message), j(new Date().toISOString()))) === 1;
  }

  /**
   * Marks the record done and indexes it once (ZADD NX: a re-run never moves or duplicates it);
   * false when this attempt no longer owns the document.
   */
  async complete(id: string, role: Role, token: string): Promise<boolean> {
    const now = new Date();
    return (await this.lua('llDocComplete')(this.key(id), this.statsKey, this.recordsKey,
      j(role), j(token), j(now.toISOString()), now.getTime())) === 1;
  }

  /**
   * The final failure of a stage (attempts exhausted, a permanent error, a crash, a stall), written by
   * the queue-level listener whatever killed the job. Applies only while the document is at that
   * stage and not finished; returns whether it did.
   */
  async fail(id: string, role: Role, code: ErrorCode, message: string): Promise<boolean> {
    return (await this.lua('llDocFail')(this.key(id), this.statsKey, this.failuresKey,
      j(role), j(code), j(message), j(new Date().toISOString()))) === 1;
  }

  /** A failed document goes back to queued at its stage (the dead-letter retry). */
  async requeue(id: string, role: Role): Promise<boolean> {
    return (await this.lua('llDocRequeue')(this.key(id), this.statsKey, j(role), j(new Date().toISOString()))) === 1;
  }

  /** Document counts by status (all tenants), for /metrics. */
  async statusCounts(): Promise<Record<DocumentStatus, number>> {
    const raw = await this.redis.hgetall(this.statsKey);
    return Object.fromEntries(DOCUMENT_STATUSES.map((s) => [s, Math.max(0, Number(raw[s] ?? 0))])) as Record<DocumentStatus, number>;
  }

  /** Final failures by error code since the deployment began (a counter), for /metrics. */
  async failureCounts(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.failuresKey);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /**
   * Completed documents of a tenant (null: all) with completion time >= sinceMs, after the
   * (score, id) cursor, oldest first.
   */
  async listCompleted(options: { tenant: string | null; sinceMs: number; limit: number; after?: { score: number; id: string } }): Promise<{ id: string; score: number }[]> {
    const min = Math.max(options.sinceMs, options.after?.score ?? -Infinity);
    const key = this.recordsKeyOf(options.tenant);
    const out: { id: string; score: number }[] = [];
    let offset = 0;
    const page = options.limit + 32;
    for (;;) {
      const flat = await this.redis.zrangebyscore(key, min === -Infinity ? '-inf' : min, '+inf', 'WITHSCORES', 'LIMIT', offset, page);
      for (let i = 0; i < flat.length; i += 2) {
        const id = flat[i]!;
        const score = Number(flat[i + 1]);
        // Members with an equal score come in lexical order, so (score, id) is a total order.
        if (options.after && (score < options.after.score || (score === options.after.score && id <= options.after.id))) continue;
        out.push({ id, score });
        if (out.length === options.limit) return out;
      }
      if (flat.length < page * 2) return out;
      offset += page;
    }
  }

  /**
   * Documents of a tenant (null: all), newest first, optionally of one status, after the (score, id)
   * cursor. At most `scan` index entries are examined per call, so a rare status never makes one
   * request walk the whole index: `next` says where to continue (null at the end).
   */
  async listDocuments(options: { tenant: string | null; status?: DocumentStatus | undefined; limit: number; after?: { score: number; id: string } | undefined; scan?: number }): Promise<{ documents: DocumentInfo[]; next: { score: number; id: string } | null }> {
    const key = this.docsKeyOf(options.tenant);
    const budget = options.scan ?? Math.max(1000, options.limit * 10);
    const documents: DocumentInfo[] = [];
    let examined = 0;
    let max: string | number = options.after ? options.after.score : '+inf';
    let skipEqual = options.after ? options.after.id : null;
    for (;;) {
      const page = Math.min(200, budget - examined + 1);
      const flat = await this.redis.zrevrangebyscore(key, max, '-inf', 'WITHSCORES', 'LIMIT', 0, page + 64);
      const entries: { id: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const id = flat[i]!;
        const score = Number(flat[i + 1]);
        // Equal scores come in reverse lexical order: skip those at or before the cursor.
        if (skipEqual !== null && score === Number(max) && id >= skipEqual) continue;
        entries.push({ id, score });
      }
      if (entries.length === 0) return { documents, next: null };
      const docs = await this.getMany(entries.map((e) => e.id));
      for (let i = 0; i < entries.length; i++) {
        const { id, score } = entries[i]!;
        examined++;
        const doc = docs[i];
        if (doc && (!options.status || doc.status === options.status)) documents.push(doc);
        // Stopped early: continue after this entry (at worst the next page is empty).
        if (documents.length === options.limit || examined >= budget) return { documents, next: { score, id } };
        max = score;
        skipEqual = id;
      }
      if (flat.length / 2 < page + 64) return { documents, next: null };
    }
  }

  async remove(id: string): Promise<void> {
    const doc = await this.get(id);
    await this.lua('llDocRemove')(this.key(id), this.statsKey, this.recordsKey, this.docsKey);
    if (doc) await this.redis.srem(this.originalKey(doc.sha256), id);
  }
}
