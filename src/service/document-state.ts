import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MediaTypeSchema } from '../core/document-text.js';
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { ROLES } from './job-registry.js';

/**
 * Per-document state in Redis, shared by the API and every worker: a hash per document and a
 * sorted set of completed records (score: completion time) that the records export pages through.
 */
export const DOCUMENT_STATUSES = ['queued', 'processing', 'retrying', 'completed', 'failed'] as const;

export const DocumentInfoSchema = z.object({
  id: z.string(),
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
export type DocumentInfo = z.infer<typeof DocumentInfoSchema>;
export type DocumentPatch = Partial<Omit<DocumentInfo, 'id' | 'createdAt'>>;

/** Progress reported when a document enters each stage. */
export const STAGE_PROGRESS: Record<(typeof ROLES)[number], number> = { ocr: 10, ner: 50, extract: 80, deliver: 100, inbox: 0 };

// Writes all fields only when the hash does not exist yet: two concurrent uploads of one file create one document.
const CREATE_LUA = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV)) return 1`;
// Updates only a document that still exists: a worker finishing after a DELETE must not resurrect it.
const UPDATE_LUA = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV)) return 1`;

function encode(fields: Record<string, unknown>): string[] {
  return Object.entries(fields).flatMap(([k, v]) => [k, JSON.stringify(v ?? null)]);
}

export class DocumentState {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  key(id: string): string {
    return `${this.prefix}:doc:${id}`;
  }

  get recordsKey(): string {
    return `${this.prefix}:records`;
  }

  /** Creates the document; returns false (and leaves it alone) when it already exists. */
  async create(info: DocumentInfo): Promise<boolean> {
    const created = await this.redis.eval(CREATE_LUA, 1, this.key(info.id), ...encode(info));
    return created === 1;
  }

  async get(id: string): Promise<DocumentInfo | null> {
    const raw = await this.redis.hgetall(this.key(id));
    if (!raw.id) return null;
    const decoded = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as unknown]));
    return DocumentInfoSchema.parse(decoded);
  }

  async update(id: string, patch: DocumentPatch): Promise<boolean> {
    const updated = await this.redis.eval(UPDATE_LUA, 1, this.key(id), ...encode({ ...patch, updatedAt: new Date().toISOString() }));
    return updated === 1;
  }

  /** Marks the record done and indexes it once (ZADD NX: a re-run never moves or duplicates it). */
  async complete(id: string): Promise<void> {
    const now = new Date();
    const done = await this.update(id, { status: 'completed', stage: 'extract', progress: 100, errorCode: null, errorMessage: null, completedAt: now.toISOString() });
    if (done) await this.redis.zadd(this.recordsKey, 'NX', now.getTime(), id);
  }

  async fail(id: string, stage: DocumentInfo['stage'], code: ErrorCode, message: string): Promise<void> {
    await this.update(id, { status: 'failed', stage, errorCode: code, errorMessage: message });
  }

  /** Completed documents with completion time >= sinceMs, after the (score, id) cursor, oldest first. */
  async listCompleted(options: { sinceMs: number; limit: number; after?: { score: number; id: string } }): Promise<{ id: string; score: number }[]> {
    const min = Math.max(options.sinceMs, options.after?.score ?? -Infinity);
    const out: { id: string; score: number }[] = [];
    let offset = 0;
    const page = options.limit + 32;
    for (;;) {
      const flat = await this.redis.zrangebyscore(this.recordsKey, min === -Infinity ? '-inf' : min, '+inf', 'WITHSCORES', 'LIMIT', offset, page);
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

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.key(id)).zrem(this.recordsKey, id).exec();
  }
}
