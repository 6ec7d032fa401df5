import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerlensError } from '../core/errors.js';
import { scanInbox } from './inbox.js';
import type { ServiceContext } from './service-context.js';

export interface BatchResult {
  file: string;
  documentId: string | null;
  status: 'completed' | 'failed' | 'rejected';
  errorCode: string | null;
}

/**
 * `ledgerlens batch DIR`: one inbox scan (same exactly-once claim as the schedule), then waits until
 * every document is completed or failed, then a last scan moves the files.
 */
export async function runBatch(ctx: ServiceContext, dir: string, options: {
  timeoutMs: number; pollMs?: number;
  /** Called after the first scan and whenever documents finish: finished so far, of total, failed (rejected included). */
  onProgress?: (done: number, total: number, failed: number) => void;
}): Promise<BatchResult[]> {
  const first = await scanInbox(ctx, dir, { minAgeMs: 0 });
  // Rejected at the door (empty, unsupported type, too large): the reason was written beside the file.
  const results: BatchResult[] = await Promise.all(first.movedToFailed
    .filter((f) => !(f in first.known))
    .map(async (file) => {
      const reason = JSON.parse(await readFile(join(dir, 'failed', `${file}.error.json`), 'utf8')) as { code: string | null };
      return { file, documentId: null, status: 'rejected' as const, errorCode: reason.code };
    }));
  const pending = new Map(Object.entries({ ...first.known, ...first.enqueued }));
  const deadline = Date.now() + options.timeoutMs;
  const total = results.length + pending.size;
  const report = (): void => options.onProgress?.(results.length, total, results.filter((r) => r.status !== 'completed').length);
  report();
  while (pending.size > 0) {
    const before = results.length;
    for (const [file, id] of pending) {
      const doc = await ctx.state.get(id);
      if (doc?.status === 'completed' || doc?.status === 'failed') {
        results.push({ file, documentId: id, status: doc.status, errorCode: doc.errorCode });
        pending.delete(file);
      }
    }
    if (results.length > before) report();
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new LedgerlensError('INTERNAL', `timed out waiting for ${pending.size} document(s)`);
    await sleep(options.pollMs ?? 200);
  }
  await scanInbox(ctx, dir, { minAgeMs: 0 });
  return results.sort((a, b) => a.file.localeCompare(b.file));
}
