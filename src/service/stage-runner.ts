import { UnrecoverableError } from 'bullmq';
import { DocumentTextSchema, type DocumentText } from '../core/document-text.js';
import { EntitySpanSchema, type EntitySpan } from '../core/entity-span.js';
import { ERROR_CODES, isLedgerlensError, toErrorInfo, type ErrorCode } from '../core/errors.js';
import { InvoiceRecordSchema, type InvoiceRecord } from '../core/invoice-record.js';
import { nextStage, parseJob, PIPELINE, roleOf, jobNameOf, type JobName, type Role, type StageJobName } from './job-registry.js';
import type { ServiceContext, WorkerContext } from './service-context.js';
import { fanOut } from './fan-out.js';
import { DEFAULT_TENANT } from './document-state.js';
import { einvoiceExample } from './training-examples.js';

export { fanOut } from './fan-out.js';
export { processDeliverJob } from './deliver-runner.js';

/** What a processor needs of a job: satisfied by BullMQ's Job. */
export interface RunnableJob {
  id?: string | undefined;
  data: unknown;
  attemptsMade: number;
  opts: { attempts?: number | undefined };
  updateProgress(progress: number): Promise<void>;
}

export interface StageOutcome {
  documentId: string;
  next: JobName | null;
  /** Why the attempt did nothing: the document was gone, finished, elsewhere, or taken over. */
  skipped?: 'deleted' | 'not-at-stage' | 'lost-ownership';
}

/**
 * Runs the stage for one job attempt: claim the document with the attempt's token, load its input
 * from the store, call the stage, save the output and hand the document to the next stage.
 * Every write after the claim is fenced by the token (DocumentState), so an attempt that lost its
 * job lock (paused, cut off from Redis) and finishes late changes nothing; its writes are dropped
 * and logged. An attempt that finds its document already past this stage repairs an interrupted
 * hand-over (re-adds the next job under its id, re-fans out the events; both idempotent) and stops.
 * Permanent errors become UnrecoverableError (no retries); transient ones are rethrown for BullMQ's
 * backoff. The final failure is written by the queue-level listener (`recordFinalFailure`), which
 * sees every way a job can die, not only the ones that reach this function.
 */
export async function processStageJob(name: StageJobName, job: RunnableJob, ctx: WorkerContext, token: string): Promise<StageOutcome> {
  const payload = guardPayload(name, job);
  const id = payload.documentId;
  const role = roleOf(name);
  const log = ctx.log.child({ role, jobId: job.id, documentId: id, attempt: job.attemptsMade + 1 });
  const claim = await ctx.state.claim(id, role, token);
  if (!claim.owned) {
    if (!claim.exists) return { documentId: id, next: null, skipped: 'deleted' };
    log.warn({ status: claim.status, stage: claim.stage }, 'document is not at this stage: attempt skipped');
    await repairHandOver(ctx, id);
    return { documentId: id, next: null, skipped: 'not-at-stage' };
  }
  const started = process.hrtime.bigint();
  const lost = (what: string): StageOutcome => {
    log.warn({ dropped: what }, 'attempt no longer owns the document (lock lost, another attempt took over): its write is dropped');
    return { documentId: id, next: null, skipped: 'lost-ownership' };
  };
  try {
    await job.updateProgress(10);
    const stageCtx = { config: ctx.config };
    /** A hybrid e-invoice's page text: stored with its XML record as a labelled example once the record is written. */
    let labelledBy: { doc: { id: string; tenant: string }; text: DocumentText } | null = null;
    let result: { kind: 'record'; record: InvoiceRecord } | { kind: 'artefact'; name: 'text' | 'spans'; value: unknown };
    switch (name) {
      case 'invoice.ocr': {
        const doc = await ctx.state.get(id);
        const bytes = await ctx.store.getOriginal(doc?.sha256 ?? id);
        const fileName = 'fileName' in payload ? payload.fileName : null;
        const out = await ctx.stages.ocr(bytes, { file: fileName }, stageCtx);
        if (out.kind === 'record' && out.text) labelledBy = { doc: doc ?? { id, tenant: DEFAULT_TENANT }, text: DocumentTextSchema.parse(out.text) };
        result = out.kind === 'record'
          ? { kind: 'record', record: InvoiceRecordSchema.parse(out.record) }
          : { kind: 'artefact', name: 'text', value: DocumentTextSchema.parse(out.text) };
        break;
      }
      case 'invoice.ner': {
        // Artefacts were validated when their stage wrote them; reading them back trusts the store.
        const text = await ctx.store.getArtefact(id, 'text') as DocumentText;
        result = { kind: 'artefact', name: 'spans', value: EntitySpanSchema.array().parse(await ctx.stages.ner(text, stageCtx)) };
        break;
      }
      case 'invoice.extract': {
        const text = await ctx.store.getArtefact(id, 'text') as DocumentText;
        const spans = await ctx.store.getArtefact(id, 'spans') as EntitySpan[];
        const tenant = (await ctx.state.get(id))?.tenant;
        result = { kind: 'record', record: InvoiceRecordSchema.parse(await ctx.stages.extract(text, spans, { ...stageCtx, tenant })) };
        break;
      }
    }
    ctx.metrics?.observeStage(role, Number(process.hrtime.bigint() - started) / 1e9);
    // Fenced from here: a late attempt writes neither the artefact nor the state.
    if (!(await ctx.state.owns(id, role, token))) return lost(result.kind === 'record' ? 'record' : result.name);
    if (result.kind === 'record') {
      await ctx.store.putArtefact(id, 'record', result.record);
      if (!(await ctx.state.complete(id, role, token))) return lost('completed status');
      // best effort: a lost example costs a little learning, never the record
      if (labelledBy) await ctx.store.putExample(id, 1, einvoiceExample(labelledBy.doc, result.record, labelledBy.text)).catch((err: unknown) => log.warn({ err }, 'could not store the e-invoice as a labelled example'));
      await fanOut(ctx, id, 'record.created');
      log.info('record created');
      return { documentId: id, next: null };
    }
    await ctx.store.putArtefact(id, result.name, result.value);
    const next = nextStage(name);
    if (!next) return { documentId: id, next: null };
    if (!(await ctx.state.advance(id, role, token, roleOf(next)))) return lost(`hand-over to ${next}`);
    await ctx.queues.enqueue(next, { documentId: id });
    return { documentId: id, next };
  } catch (err) {
    throw await toJobError(ctx, id, role, token, err);
  }
}

function guardPayload<N extends StageJobName>(name: N, job: RunnableJob) {
  try {
    return parseJob(name, job.data);
  } catch (err) {
    throw new UnrecoverableError(`${toErrorInfo(err).code}: ${(err as Error).message}`);
  }
}

/**
 * An attempt found its document past its stage: the previous hand-over may have been cut short
 * (the process died between the state change and the enqueue, or before the events went out).
 * Both repairs are idempotent (deterministic job ids), so running them when nothing was cut short adds nothing.
 */
export async function repairHandOver(ctx: ServiceContext, id: string): Promise<void> {
  const doc = await ctx.state.get(id);
  if (!doc) return;
  if (doc.status === 'queued' && doc.stage && (PIPELINE as readonly string[]).includes(jobNameOf(doc.stage))) {
    const name = jobNameOf(doc.stage) as StageJobName;
    if (name === 'invoice.ocr') await ctx.queues.enqueue(name, { documentId: id, fileName: doc.fileName });
    else await ctx.queues.enqueue(name, { documentId: id });
  } else if (doc.status === 'completed') {
    await fanOut(ctx, id, 'record.created');
  } else if (doc.status === 'failed') {
    await fanOut(ctx, id, 'document.failed');
  }
}

const isPermanent = (err: unknown) => (isLedgerlensError(err) && err.permanent) || err instanceof UnrecoverableError
  || (err instanceof Error && err.name === 'UnrecoverableError');

/** Marks a transient failure on the document (fenced) and returns what the processor must throw. */
async function toJobError(ctx: ServiceContext, id: string, role: Role, token: string, err: unknown): Promise<Error> {
  const info = codeOf(err);
  const permanent = isPermanent(err);
  if (!permanent) await ctx.state.retrying(id, role, token, info.code, info.message).catch(() => false);
  if (err instanceof UnrecoverableError) return err;
  // The job's failedReason is "CODE: message", so the dead-letter view and the listener read the stable code.
  if (permanent) return new UnrecoverableError(`${info.code}: ${info.message}`);
  return new Error(`${info.code}: ${info.message}`, { cause: err });
}

/** `{ code, message }` of an error, also of a "CODE: message" string that came back from a job. */
export function codeOf(err: unknown): { code: ErrorCode; message: string } {
  if (isLedgerlensError(err)) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  return splitReason(message);
}

/** "CODE: message" (how processors fail jobs) back into its parts; anything else is INTERNAL. */
export function splitReason(reason: string | undefined): { code: ErrorCode; message: string } {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (m && isErrorCode(m[1]!)) return { code: m[1], message: m[2]! };
  if (reason && /stalled more than allowable limit/.test(reason)) {
    return { code: 'RESOURCE_LIMIT', message: `${reason}: its worker died on it every time (crash, OOM kill)` };
  }
  return { code: 'INTERNAL', message: reason ?? 'unknown' };
}

const isErrorCode = (s: string): s is ErrorCode => s in ERROR_CODES;

/** The job failed for good: BullMQ moved it to the failed set (finishedOn set) or it cannot be retried. */
export function isFinalFailure(job: { finishedOn?: number | undefined; attemptsMade: number; opts: { attempts?: number | undefined } }, err: Error): boolean {
  return typeof job.finishedOn === 'number' || isPermanent(err) || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * The queue-level failure bookkeeping (a worker's `failed` event, whatever killed the attempt:
 * a thrown error, a sandbox crash or timeout, "stalled more than allowable limit"). On the final
 * failure the document is marked failed with the code and `document.failed` goes out; idempotent,
 * and it never touches a document that has moved on.
 */
export async function recordFinalFailure(ctx: ServiceContext, name: StageJobName, documentId: string, err: Error): Promise<boolean> {
  const role = roleOf(name);
  const info = codeOf(err);
  const changed = await ctx.state.fail(documentId, role, info.code, info.message);
  if (changed) {
    ctx.log.warn({ role, documentId, code: info.code, error: info.message }, 'document failed');
    await fanOut(ctx, documentId, 'document.failed');
  }
  return changed;
}
