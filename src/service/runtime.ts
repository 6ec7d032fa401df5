import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createDeliverWorker } from '../../workers/deliver.worker.js';
import { createExtractWorker } from '../../workers/extract.worker.js';
import { createInboxWorker } from '../../workers/inbox.worker.js';
import { createNerWorker } from '../../workers/ner.worker.js';
import { createOcrWorker } from '../../workers/ocr.worker.js';
import { buildApi } from './api/app.js';
import { scheduleInbox } from './inbox.js';
import { ROLES, type Role } from './job-registry.js';
import { closeServiceContext, type WorkerContext } from './service-context.js';

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
  /** Graceful: stop accepting, let in-flight jobs finish, then close connections. */
  close(): Promise<void>;
}

export type Log = (msg: string, fields?: Record<string, unknown>) => void;
export const stderrLog: Log = (msg, fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);

/** Starts the chosen worker roles (and the API when asked) in this process. */
export async function startService(ctx: WorkerContext, options: { roles: Role[]; api?: boolean; log?: Log; readiness?: () => boolean }): Promise<RunningService> {
  const log = options.log ?? stderrLog;
  const workers = options.roles.map((role) => {
    const worker = FACTORIES[role](ctx);
    // A Worker without an 'error' listener would crash the process on a dropped connection.
    worker.on('error', (err) => log('worker error', { role, error: err.message }));
    worker.on('failed', (job, err) => log('job failed', { role, jobId: job?.id, attemptsMade: job?.attemptsMade, error: err.message }));
    return worker;
  });
  let api: FastifyInstance | null = null;
  try {
    if (options.roles.includes('inbox') && ctx.config.inbox.dir) await scheduleInbox(ctx, ctx.config.inbox.dir);
    const ready = options.readiness;
    if (options.api) {
      api = await buildApi(ctx, { logger: true, readiness: ready ? [() => ({ name: 'model', ok: ready() })] : [] });
      await api.listen({ host: ctx.config.api.host, port: ctx.config.api.port });
    }
  } catch (err) {
    // A port in use or an unreachable Redis: stop the workers already started, or they keep the process alive.
    await api?.close();
    await Promise.all(workers.map((w) => w.close()));
    await closeServiceContext(ctx);
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    ctx, workers, api,
    close() {
      closing ??= (async () => {
        if (api) await api.close();
        await Promise.all(workers.map((w) => w.close()));
        await closeServiceContext(ctx);
      })();
      return closing;
    },
  };
}

/** SIGTERM/SIGINT close the service gracefully; a second signal exits at once. */
export function closeOnSignals(service: RunningService, log: Log = stderrLog): Promise<void> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (signal: string) => {
      if (signalled) process.exit(130);
      signalled = true;
      log('shutting down: finishing in-flight jobs', { signal });
      service.close().then(() => { log('stopped'); resolve(); }, (err: unknown) => { log('shutdown failed', { error: String(err) }); process.exitCode = 1; resolve(); });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
