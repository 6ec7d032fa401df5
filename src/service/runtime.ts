import type { Job, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createDeliverWorker } from '../../workers/deliver.worker.js';
import { createExtractWorker } from '../../workers/extract.worker.js';
import { createInboxWorker } from '../../workers/inbox.worker.js';
import { createNerWorker } from '../../workers/ner.worker.js';
import { createOcrWorker } from '../../workers/ocr.worker.js';
import { buildApi } from './api/app.js';
import { scheduleInbox } from './inbox.js';
import { jobNameOf, PIPELINE, ROLES, type Role, type StageJobName } from './job-registry.js';
import { closeServiceContext, type WorkerContext } from './service-context.js';
import { isFinalFailure, recordFinalFailure } from './stage-runner.js';

const FACTORIES: Record<Role, (ctx: WorkerContext) => Worker> = {
  ocr: createOcrWorker,
  ner: createNerWorker,
  extract: createExtractWorker,
  deliver: createDeliverWorker,
  inbox: createInboxWorker,
};

/** Parses `ocr,ner` into roles; `all` means every role, `none` no worker at all. */
export function parseRoles(list: string): Role[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('all')) return [...ROLES];
  if (names.length === 1 && names[0] === 'none') return [];
  const bad = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) throw new Error(`unknown queue role(s) ${bad.join(', ') || '(none)'}; choose from ${ROLES.join(', ')}`);
  return [...new Set(names)] as Role[];
}

export interface RunningService {
  ctx: WorkerContext;
  workers: Worker[];
  api: FastifyInstance | null;
  /**
   * Graceful: stop accepting, let in-flight jobs finish (up to queue.shutdownTimeoutMs), then close
   * connections; with Redis down the wait is cut short and the connections are cut.
   */
  close(): Promise<void>;
}

const isStageRole = (role: Role): boolean => (PIPELINE as readonly string[]).includes(jobNameOf(role));

/**
 * The queue-level failure bookkeeping of a stage worker: every final failure of a job, whatever
 * caused it (thrown error, sandbox crash or time limit, "stalled more than allowable limit" when the
 * next worker picks the job up), marks its document failed with a code and sends document.failed.
 */
function watchFailures(ctx: WorkerContext, worker: Worker, role: Role): void {
  const name = jobNameOf(role) as StageJobName;
  const log = ctx.log.child({ role });
  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job) return;
    const documentId = (job.data as { documentId?: string }).documentId;
    const final = isFinalFailure(job, err);
    log.info({ jobId: job.id, documentId, attemptsMade: job.attemptsMade, final, error: err.message }, final ? 'job failed for good' : 'job attempt failed; retried after the backoff');
    if (!final || !documentId) return;
    recordFinalFailure(ctx, name, documentId, err).catch((e: unknown) => log.error({ err: e, documentId }, 'recording the failure failed (repaired at the next start)'));
  });
}

/**
 * A process that died between BullMQ's "failed" and the bookkeeping above left a failed job whose
 * document is not marked failed: repaired at start from the newest failed jobs (idempotent).
 */
async function reconcileFailed(ctx: WorkerContext, role: Role, limit = 500): Promise<void> {
  const name = jobNameOf(role) as StageJobName;
  const jobs = await ctx.queues.queue(name).getFailed(0, limit - 1);
  for (const job of jobs) {
    const documentId = (job.data as { documentId?: string }).documentId;
    if (documentId) await recordFinalFailure(ctx, name, documentId, new Error(job.failedReason ?? 'INTERNAL: failed'));
  }
}

/** Starts the chosen worker roles (and the API when asked) in this process. */
export async function startService(ctx: WorkerContext, options: { roles: Role[]; api?: boolean; readiness?: () => boolean }): Promise<RunningService> {
  const workers = options.roles.map((role) => {
    const worker = FACTORIES[role](ctx);
    // A Worker without an 'error' listener would crash the process on a dropped connection.
    worker.on('error', (err) => ctx.log.warn({ role, err: err.message }, 'worker error'));
    if (isStageRole(role)) watchFailures(ctx, worker, role);
    return worker;
  });
  let api: FastifyInstance | null = null;
  try {
    for (const role of options.roles.filter(isStageRole)) await reconcileFailed(ctx, role);
    if (options.roles.includes('inbox') && ctx.config.inbox.dir) await scheduleInbox(ctx, ctx.config.inbox.dir);
    const ready = options.readiness;
    if (options.api) {
      api = await buildApi(ctx, { logger: true, readiness: ready ? [() => ({ name: 'model', ok: ready() })] : [] });
      await api.listen({ host: ctx.config.api.host, port: ctx.config.api.port });
    }
    for (const worker of workers) {
      worker.run().catch((err: unknown) => ctx.log.error({ err, queue: worker.name }, 'worker stopped with an error'));
    }
  } catch (err) {
    // A port in use or an unreachable Redis: stop the workers already started, or they keep the process alive.
    await api?.close();
    await Promise.all(workers.map((w) => w.close(true)));
    await closeServiceContext(ctx);
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    ctx, workers, api,
    close() {
      closing ??= (async () => {
        if (api) await api.close();
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ctx.config.queue.shutdownTimeoutMs); timer.unref(); });
        if (!(await Promise.race([graceful, deadline]))) {
          ctx.log.warn({ timeoutMs: ctx.config.queue.shutdownTimeoutMs }, 'in-flight jobs did not finish in time (or Redis is down): closing anyway; their locks expire and another worker retries them');
          const bounded = (work: Promise<unknown>, ms: number) => Promise.race([work.catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);
          await bounded(Promise.all(workers.map((w) => w.close(true))), 2000);
          await bounded(Promise.all(workers.map((w) => w.disconnect())), 2000);
        }
        clearTimeout(timer);
        await closeServiceContext(ctx);
      })();
      return closing;
    },
  };
}

/**
 * SIGTERM/SIGINT close the service gracefully; a second signal exits at once. Once closed, the
 * process exits even if a library left a handle open (a reconnect timer while Redis is down).
 */
export function closeOnSignals(service: RunningService): Promise<void> {
  const log = service.ctx.log;
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: string) => {
      if (signalled) process.exit(130);
      signalled = true;
      log.info({ signal }, 'shutting down: finishing in-flight jobs');
      const done = () => {
        resolve();
        setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
      };
      // Whatever hangs (a client library waiting for Redis), the process ends a little after the grace period.
      setTimeout(() => {
        log.error('shutdown did not complete in time: exiting');
        process.exit(1);
      }, service.ctx.config.queue.shutdownTimeoutMs + 15_000).unref();
      service.close().then(() => { log.info('stopped'); done(); }, (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exitCode = 1; done(); });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
