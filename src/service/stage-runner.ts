import { UnrecoverableError } from 'bullmq';
import { DocumentTextSchema, type DocumentText } from '../core/document-text.js';
import { EntitySpanSchema, type EntitySpan } from '../core/entity-span.js';
import { isLedgerlensError, toErrorInfo } from '../core/errors.js';
import { InvoiceRecordSchema, type InvoiceRecord } from '../core/invoice-record.js';
import { STAGE_PROGRESS } from './document-state.js';
import { nextStage, parseJob, roleOf, type JobName, type StageJobName } from './job-registry.js';
import type { ServiceContext, WorkerContext } from './service-context.js';
import { postWebhook, type WebhookEvent } from './webhooks.js';

/** What a processor needs of a job: satisfied by BullMQ's Job and by the sandboxed job proxy. */
export interface RunnableJob {
  id?: string | undefined;
  data: unknown;
  attemptsMade: number;
  opts: { attempts?: number | undefined };
  updateProgress(progress: number): Promise<void>;
}

const isLastAttempt = (job: RunnableJob) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/**
 * Runs the stage for one job: load its input from the store, call the stage, save the output and
 * hand the document to the next stage. Re-running it (retry, stalled recovery) rewrites the same
 * artefacts and re-adds jobs under the same ids, so nothing is duplicated.
 * Permanent errors become UnrecoverableError (no retries), with the code recorded on the document;
 * transient ones are rethrown so BullMQ retries them with backoff.
 */
export async function processStageJob(name: StageJobName, job: RunnableJob, ctx: WorkerContext): Promise<{ documentId: string; next: JobName | null }> {
  const payload = guardPayload(name, job);
  const id = payload.documentId;
  const role = roleOf(name);
  try {
    const live = await ctx.state.update(id, { status: 'processing', stage: role, progress: STAGE_PROGRESS[role] });
    if (!live) return { documentId: id, next: null }; // deleted meanwhile: nothing to do
    await job.updateProgress(STAGE_PROGRESS[role]);
    const stageCtx = { config: ctx.config };
    switch (name) {
      case 'invoice.ocr': {
        const bytes = await ctx.store.getOriginal(id);
        const fileName = 'fileName' in payload ? payload.fileName : null;
        const result = await ctx.stages.ocr(bytes, { file: fileName }, stageCtx);
        if (result.kind === 'record') {
          await saveRecord(ctx, id, result.record);
          return { documentId: id, next: null };
        }
        await ctx.store.putArtefact(id, 'text', DocumentTextSchema.parse(result.text));
        break;
      }
      case 'invoice.ner': {
        // Artefacts were validated when their stage wrote them; reading them back trusts the store.
        const text = await ctx.store.getArtefact(id, 'text') as DocumentText;
        const spans = await ctx.stages.ner(text, stageCtx);
        await ctx.store.putArtefact(id, 'spans', EntitySpanSchema.array().parse(spans));
        break;
      }
      case 'invoice.extract': {
        const text = await ctx.store.getArtefact(id, 'text') as DocumentText;
        const spans = await ctx.store.getArtefact(id, 'spans') as EntitySpan[];
        await saveRecord(ctx, id, await ctx.stages.extract(text, spans, stageCtx));
        return { documentId: id, next: null };
      }
    }
    const next = nextStage(name);
    if (next) {
      await ctx.state.update(id, { status: 'queued', stage: roleOf(next), progress: STAGE_PROGRESS[role] + 5 });
      await ctx.queues.enqueue(next, { documentId: id });
    }
    return { documentId: id, next };
  } catch (err) {
    throw await recordFailure(ctx, id, role, job, err);
  }
}

function guardPayload<N extends StageJobName>(name: N, job: RunnableJob) {
  try {
    return parseJob(name, job.data);
  } catch (err) {
    throw new UnrecoverableError(`${toErrorInfo(err).code}: ${(err as Error).message}`);
  }
}

async function saveRecord(ctx: WorkerContext, id: string, record: InvoiceRecord): Promise<void> {
  await ctx.store.putArtefact(id, 'record', InvoiceRecordSchema.parse(record));
  const doc = await ctx.state.get(id);
  if (doc && doc.status !== 'completed') await ctx.state.complete(id);
  await fanOut(ctx, id, 'record.created');
}

/** Records the failure on the document; returns what the processor must throw. */
async function recordFailure(ctx: ServiceContext, id: string, role: ReturnType<typeof roleOf>, job: RunnableJob, err: unknown): Promise<Error> {
  const info = toErrorInfo(err);
  const permanent = (isLedgerlensError(err) && err.permanent) || err instanceof UnrecoverableError;
  if (permanent || isLastAttempt(job)) {
    await ctx.state.fail(id, role, info.code, info.message);
    await fanOut(ctx, id, 'document.failed');
  } else {
    await ctx.state.update(id, { status: 'retrying', stage: role, errorCode: info.code, errorMessage: info.message });
  }
  if (err instanceof UnrecoverableError) return err;
  // The job's failedReason is "CODE: message", so the dead-letter view can report the stable code.
  if (permanent) return new UnrecoverableError(`${info.code}: ${info.message}`);
  return new Error(`${info.code}: ${info.message}`, { cause: err });
}

/** One delivery job per subscriber interested in the event; ids make a repeated fan-out a no-op. */
export async function fanOut(ctx: ServiceContext, documentId: string, event: WebhookEvent): Promise<number> {
  const subs = (await ctx.webhooks.list()).filter((s) => s.events.includes(event));
  await Promise.all(subs.map((s) => ctx.queues.enqueue('invoice.deliver', { documentId, subscriptionId: s.id, event })));
  return subs.length;
}

/**
 * Delivers one event to one subscriber. A delivery that already succeeded (the worker died before
 * completing the job) is not sent again; each attempt is written to the delivery log.
 */
export async function processDeliverJob(job: RunnableJob, ctx: ServiceContext): Promise<{ delivered: boolean }> {
  let payload;
  try {
    payload = parseJob('invoice.deliver', job.data);
  } catch (err) {
    throw new UnrecoverableError(`INVALID_INPUT: ${(err as Error).message}`);
  }
  const deliveryId = job.id ?? `${payload.event}-${payload.documentId}-${payload.subscriptionId}`;
  const sub = await ctx.webhooks.get(payload.subscriptionId);
  if (!sub) return { delivered: false }; // unsubscribed meanwhile
  if (await ctx.redis.exists(ctx.webhooks.deliveredKey(deliveryId))) return { delivered: true };
  const document = await ctx.state.get(payload.documentId);
  if (!document) return { delivered: false }; // deleted meanwhile
  const record = payload.event === 'record.created' ? await ctx.store.getArtefact(payload.documentId, 'record') : null;
  const body = JSON.stringify({ id: deliveryId, event: payload.event, documentId: payload.documentId, document, record });
  const started = Date.now();
  const entry = { deliveryId, event: payload.event, documentId: payload.documentId, attempt: job.attemptsMade + 1 };
  try {
    const { status } = await postWebhook(sub, payload.event, deliveryId, body, ctx.config.webhooks.timeoutMs);
    await ctx.redis.set(ctx.webhooks.deliveredKey(deliveryId), '1', 'EX', 30 * 24 * 3600);
    await ctx.webhooks.log(sub.id, { ...entry, outcome: 'delivered', httpStatus: status, error: null, durationMs: Date.now() - started, at: new Date().toISOString() });
    return { delivered: true };
  } catch (err) {
    const httpStatus = isLedgerlensError(err) && typeof err.details?.status === 'number' ? err.details.status : null;
    await ctx.webhooks.log(sub.id, { ...entry, outcome: 'failed', httpStatus, error: (err as Error).message, durationMs: Date.now() - started, at: new Date().toISOString() });
    throw err;
  }
}
