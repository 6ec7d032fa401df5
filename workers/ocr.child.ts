import { ConfigSchema } from '../src/config/config.js';
import { isLedgerlensError } from '../src/core/errors.js';
import type { Stages } from '../src/pipeline/stage-types.js';
import { createLogger, routeConsoleToLogger } from '../src/service/logger.js';
import type { SandboxReply, SandboxRequest } from '../src/service/sandbox-pool.js';
import { loadStages } from '../src/service/stages-loader.js';
import { SANDBOX_CONFIG_ENV, SANDBOX_STAGES_ENV } from './sandbox-env.js';

/**
 * A sandboxed OCR child (forked by SandboxPool): bytes in, page text out, one job at a time. It has
 * no Redis connection and writes nothing; the parent owns the job, its lock and the state.
 */
const rawConfig = process.env[SANDBOX_CONFIG_ENV];
const stagesModule = process.env[SANDBOX_STAGES_ENV];
if (!rawConfig || !stagesModule) {
  process.stderr.write('ocr sandbox: started without its config; exiting\n');
  process.exit(2);
}
// One job at a time, so one tesseract worker: the queue runs documents in parallel across
// sandboxes (queue.concurrency.ocr), and each extra worker would cost its memory for nothing.
const parsed = ConfigSchema.parse(JSON.parse(rawConfig));
const config = { ...parsed, ocr: { ...parsed.ocr, workers: 1 } };
const log = createLogger(config, { role: 'ocr-sandbox' });
routeConsoleToLogger(log);

// When the worker process dies (SIGKILL, OOM) this child must not live on: exit at once.
process.on('disconnect', () => process.exit(0));

// Loaded at start (the parent starts a child ahead of its first job), so a job does not wait for it.
let stages: Promise<Stages> | null = loadStages(config, stagesModule);
// Ready once loaded (or failed to load: the job then gets the error); the parent's time limit starts here.
stages.then(() => process.send?.({ type: 'ready' }), () => process.send?.({ type: 'ready' }));

process.on('message', (msg: SandboxRequest) => {
  if (msg?.type !== 'run') return;
  stages ??= loadStages(config, stagesModule);
  void (async (): Promise<SandboxReply> => {
    try {
      const result = await (await stages).ocr(msg.bytes, { file: msg.file }, { config });
      return { type: 'done', id: msg.id, result };
    } catch (err) {
      const permanent = (isLedgerlensError(err) && err.permanent) || (err instanceof Error && err.name === 'UnrecoverableError');
      return { type: 'error', id: msg.id, error: { code: isLedgerlensError(err) ? err.code : null, message: err instanceof Error ? err.message : String(err), permanent } };
    }
  })().then((reply) => process.send?.(reply));
});
