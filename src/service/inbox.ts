import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Queue } from 'bullmq';
import { isLedgerlensError, toErrorInfo } from '../core/errors.js';
import { ingestDocument } from './ingest.js';
import { sha256 } from './content.store.js';
import type { ServiceContext } from './service-context.js';

export interface InboxScanResult {
  /** Files this scan claimed and enqueued (sha256 by file name). */
  enqueued: Record<string, string>;
  /** Files already claimed (by an earlier scan, another replica, or an identical file): their document ids. */
  known: Record<string, string>;
  movedToProcessed: string[];
  movedToFailed: string[];
}

/** Moves a file, unless another replica moved it first (ENOENT): then it is no longer ours to move. */
async function moveOnce(from: string, toDir: string): Promise<boolean> {
  await mkdir(toDir, { recursive: true });
  try {
    await rename(from, join(toDir, basename(from)));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Moves a file to failed/ with the reason beside it as NAME.error.json. */
async function moveToFailed(path: string, dir: string, reason: { code: string | null; message: string | null }): Promise<boolean> {
  const failedDir = join(dir, 'failed');
  if (!(await moveOnce(path, failedDir))) return false;
  await writeFile(join(failedDir, `${basename(path)}.error.json`), `${JSON.stringify(reason)}\n`);
  return true;
}

/**
 * One pass over an inbox folder. Each file is claimed by its sha256 with Redis SET NX, so across
 * restarts and replicas it is enqueued exactly once. Files stay in the inbox while their document
 * is in the pipeline and move to processed/ or failed/ (with a .error.json) once it finishes.
 */
export async function scanInbox(ctx: ServiceContext, dir: string, options: { minAgeMs?: number } = {}): Promise<InboxScanResult> {
  const minAgeMs = options.minAgeMs ?? ctx.config.inbox.minAgeMs;
  const result: InboxScanResult = { enqueued: {}, known: {}, movedToProcessed: [], movedToFailed: [] };
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.') || entry.name.endsWith('.part')) continue;
    const path = join(dir, entry.name);
    let bytes: Buffer;
    try {
      if (Date.now() - (await stat(path)).mtimeMs < minAgeMs) continue; // still being copied in
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // moved by another replica
      throw err;
    }
    const id = sha256(bytes);
    const claimKey = `${ctx.config.redis.prefix}:inbox:${id}`;
    const claimed = (await ctx.redis.set(claimKey, entry.name, 'NX')) === 'OK';
    if (claimed) {
      try {
        await ingestDocument(ctx, bytes, entry.name);
        result.enqueued[entry.name] = id;
      } catch (err) {
        if (!isLedgerlensError(err) || !err.permanent) {
          await ctx.redis.del(claimKey); // transient: let the next scan try again
          throw err;
        }
        if (await moveToFailed(path, dir, toErrorInfo(err))) result.movedToFailed.push(entry.name);
      }
      continue;
    }
    result.known[entry.name] = id;
    const doc = await ctx.state.get(id);
    if (doc?.status === 'completed' && (await moveOnce(path, join(dir, 'processed')))) result.movedToProcessed.push(entry.name);
    if (doc?.status === 'failed' && (await moveToFailed(path, dir, { code: doc.errorCode, message: doc.errorMessage }))) {
      result.movedToFailed.push(entry.name);
    }
  }
  return result;
}

export const INBOX_SCHEDULER_ID = 'inbox-scan';

/** Registers (idempotently: every replica may call it) the job scheduler that scans the inbox. */
export async function scheduleInbox(ctx: ServiceContext, dir: string): Promise<void> {
  const { cron, everyMs } = ctx.config.inbox;
  const queue = ctx.queues.queue('invoice.inbox') as unknown as Queue;
  await queue.upsertJobScheduler(
    INBOX_SCHEDULER_ID,
    cron ? { pattern: cron } : { every: everyMs },
    { name: 'invoice.inbox', data: { dir } },
  );
}
