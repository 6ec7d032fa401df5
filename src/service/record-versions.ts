import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BBoxSchema, type DocumentText } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import { InvoiceRecordSchema, type InvoiceRecord } from '../core/invoice-record.js';
import type { DocumentInfo } from './document-state.js';
import { applyCorrection, CorrectionInputSchema, WordRefSchema, type CorrectionInput, type FieldChange } from './record-corrections.js';
import type { ServiceContext } from './service-context.js';
import { trainingExample } from './training-examples.js';

/**
 * Record versions with an audit trail. Version 1 is the record the pipeline produced; every
 * correction or confirmation adds a version and none is ever overwritten:
 * - the full record of version n: store file `artefacts/<id>/versions/v<n>.json`;
 * - the audit entry of every version (who, when, what changed): Redis list `<prefix>:versions:<id>`;
 * - the `record` artefact always holds the newest version (what GET .../record, exports and
 *   webhooks read).
 * Writers of one document are serialised by a short lock; a correction made against an older
 * version than the newest (`baseVersion`) is refused (409), so a stale page never overwrites a
 * newer correction unseen. Nothing is written until the version is complete: record file, then
 * audit entry, then the `record` artefact.
 */

export const AuthorSchema = z.object({
  tenant: z.string(),
  /** Short id of the API key (never the key). */
  keyId: z.string(),
  /** The Basic-auth user name the reviewer gave (browsers), or X-Ledgerlens-User; null when none. */
  user: z.string().nullable(),
});
export type Author = z.infer<typeof AuthorSchema>;

export const VersionEntrySchema = z.object({
  version: z.number().int().positive(),
  createdAt: z.string(),
  kind: z.enum(['extracted', 'correction', 'confirmation']),
  author: AuthorSchema.nullable(),
  /** True once a reviewer confirmed the whole record (at this version or before). */
  reviewed: z.boolean(),
  changes: z.array(z.object({
    path: z.string(), from: z.string().nullable(), to: z.string().nullable(),
    words: z.array(WordRefSchema.extend({ text: z.string(), bbox: BBoxSchema })),
  })),
});
export type VersionEntry = z.infer<typeof VersionEntrySchema>;

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const LOCK_MS = 15_000;

const versionsKey = (ctx: ServiceContext, id: string) => `${ctx.config.redis.prefix}:versions:${id}`;
const lockKey = (ctx: ServiceContext, id: string) => `${ctx.config.redis.prefix}:versions-lock:${id}`;
const versionFile = (n: number) => `versions/v${n}.json`;

/** The version entries of a document, oldest first (one synthetic version 1 before any correction). */
export async function listVersions(ctx: ServiceContext, doc: DocumentInfo): Promise<VersionEntry[]> {
  const raw = await ctx.redis.lrange(versionsKey(ctx, doc.id), 0, -1);
  if (raw.length > 0) return raw.map((r) => VersionEntrySchema.parse(JSON.parse(r)));
  return doc.status === 'completed' ? [extractedEntry(doc)] : [];
}

/** The newest entry of each document (null: never corrected), in one round trip. */
export async function latestVersions(ctx: ServiceContext, ids: string[]): Promise<(VersionEntry | null)[]> {
  if (ids.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const id of ids) pipeline.lindex(versionsKey(ctx, id), -1);
  return ((await pipeline.exec()) ?? []).map(([err, raw]) => {
    if (err) throw err;
    return typeof raw === 'string' ? VersionEntrySchema.parse(JSON.parse(raw)) : null;
  });
}

const extractedEntry = (doc: DocumentInfo): VersionEntry => ({
  version: 1, createdAt: doc.completedAt ?? doc.updatedAt, kind: 'extracted', author: null, reviewed: false, changes: [],
});

/** The record at a version (the newest when omitted); NOT_FOUND for a version that does not exist. */
export async function getRecordVersion(ctx: ServiceContext, doc: DocumentInfo, version?: number): Promise<{ version: number; record: InvoiceRecord }> {
  const entries = await listVersions(ctx, doc);
  const n = version ?? entries.at(-1)?.version ?? 1;
  if (!entries.some((e) => e.version === n)) throw new LedgerlensError('NOT_FOUND', `document ${doc.id} has no record version ${n}`);
  const corrected = entries.length > 1 || (await ctx.store.hasDocumentFile(doc.id, versionFile(1)));
  const raw = corrected
    ? JSON.parse(Buffer.from(await ctx.store.getDocumentFile(doc.id, versionFile(n))).toString('utf8')) as unknown
    : await ctx.store.getArtefact(doc.id, 'record');
  return { version: n, record: InvoiceRecordSchema.parse(raw) };
}

async function withLock<T>(ctx: ServiceContext, id: string, work: () => Promise<T>): Promise<T> {
  const token = randomBytes(8).toString('hex');
  if ((await ctx.redis.set(lockKey(ctx, id), token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    throw new LedgerlensError('CONFLICT', `another correction of document ${id} is being saved; reload and try again`);
  }
  try {
    return await work();
  } finally {
    await ctx.redis.eval(RELEASE_LUA, 1, lockKey(ctx, id), token).catch(() => 0);
  }
}

/**
 * Saves a correction (or a confirmation) as a new version and writes its labelled example.
 * CONFLICT when the document has no record yet, when `baseVersion` is not the newest, or while
 * another correction of the same document is being saved; INVALID_INPUT for a bad field or value.
 */
export async function correctRecord(ctx: ServiceContext, doc: DocumentInfo, body: CorrectionInput, author: Author): Promise<{ entry: VersionEntry; record: InvoiceRecord }> {
  if (doc.status !== 'completed') throw new LedgerlensError('CONFLICT', `document ${doc.id} has no record yet (status ${doc.status})`);
  const parsed = CorrectionInputSchema.safeParse(body);
  if (!parsed.success) throw new LedgerlensError('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const input = parsed.data;
  if (Object.keys(input.fields).length === 0 && !input.reviewed) throw new LedgerlensError('INVALID_INPUT', 'nothing to change: give fields, or reviewed: true');
  return withLock(ctx, doc.id, async () => {
    const key = versionsKey(ctx, doc.id);
    let entries = await listVersions(ctx, doc);
    if ((await ctx.redis.llen(key)) === 0) {
      // First correction: the pipeline's record becomes version 1, kept as it is.
      const original = await ctx.store.getArtefact(doc.id, 'record');
      await ctx.store.putDocumentFile(doc.id, versionFile(1), JSON.stringify(original));
      await ctx.redis.rpush(key, JSON.stringify(entries[0] ?? extractedEntry(doc)));
      entries = [entries[0] ?? extractedEntry(doc)];
    }
    const latest = entries.at(-1)!;
    if (input.baseVersion !== undefined && input.baseVersion !== latest.version) {
      throw new LedgerlensError('CONFLICT', `the record is at version ${latest.version}, not ${input.baseVersion}: reload it and correct again`);
    }
    const { record: current } = await getRecordVersion(ctx, doc, latest.version);
    const text = (await ctx.store.hasArtefact(doc.id, 'text')) ? await ctx.store.getArtefact(doc.id, 'text') as DocumentText : null;
    const { record, changes } = applyCorrection(current, text, input);
    const entry: VersionEntry = {
      version: latest.version + 1,
      createdAt: new Date().toISOString(),
      kind: changes.length === 0 ? 'confirmation' : 'correction',
      author,
      reviewed: input.reviewed || latest.reviewed,
      changes: changes satisfies FieldChange[],
    };
    await ctx.store.putDocumentFile(doc.id, versionFile(entry.version), JSON.stringify(record));
    await ctx.redis.rpush(key, JSON.stringify(entry));
    await ctx.store.putArtefact(doc.id, 'record', record);
    await ctx.store.putExample(doc.id, entry.version, trainingExample(doc, entry, record, text, input.reviewed));
    return { entry, record };
  });
}

/** Forgets the versions of a deleted document (their files go with its artefacts). */
export async function removeVersions(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.redis.del(versionsKey(ctx, id), lockKey(ctx, id));
  await ctx.store.removeExamples(id);
}
