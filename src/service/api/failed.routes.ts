import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, LedgerlensError, type ErrorCode } from '../../core/errors.js';
import { PIPELINE, jobNameFromId, type JobName } from '../job-registry.js';
import type { ServiceContext } from '../service-context.js';
import { ERROR_RESPONSES, FailedList, JobIdParams } from './schemas.js';

/** "CODE: message" (how processors fail jobs) back into its parts. */
function splitReason(reason: string | undefined): { code: string; message: string } {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (m && m[1]! in ERROR_CODES) return { code: m[1] as ErrorCode, message: m[2]! };
  return { code: 'INTERNAL', message: reason ?? 'unknown' };
}

const DEAD_LETTER_QUEUES: JobName[] = [...PIPELINE, 'invoice.deliver'];

export function failedRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { limit: number } }>('/v1/failed', {
    schema: {
      summary: 'Dead letters: jobs that failed for good (permanent error or attempts exhausted), newest first',
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }, additionalProperties: false },
      response: { 200: FailedList, ...ERROR_RESPONSES },
    },
  }, async (request) => {
    const failed = [];
    for (const name of DEAD_LETTER_QUEUES) {
      for (const job of await ctx.queues.queue(name).getFailed(0, request.query.limit - 1)) {
        const data = job.data as { documentId?: string };
        failed.push({
          jobId: job.id ?? '', queue: name, documentId: data.documentId ?? null,
          error: splitReason(job.failedReason), attemptsMade: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        });
      }
    }
    failed.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
    return { failed: failed.slice(0, request.query.limit) };
  });

  app.post<{ Params: { jobId: string } }>('/v1/failed/:jobId/retry', {
    schema: {
      summary: 'Retry a failed job from its stage (attempts reset)',
      params: JobIdParams,
      response: { 202: { type: 'object', properties: { jobId: { type: 'string' }, queue: { type: 'string' }, status: { type: 'string' } } }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const { jobId } = request.params;
    const name = jobNameFromId(jobId);
    const job = name ? await ctx.queues.queue(name).getJob(jobId) : undefined;
    if (!name || !job) throw new LedgerlensError('NOT_FOUND', `no job ${jobId}`);
    if ((await job.getState()) !== 'failed') throw new LedgerlensError('CONFLICT', `job ${jobId} has not failed`);
    const documentId = (job.data as { documentId?: string }).documentId;
    if (documentId && name !== 'invoice.deliver') {
      await ctx.state.update(documentId, { status: 'queued', errorCode: null, errorMessage: null });
    }
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return reply.status(202).send({ jobId, queue: name, status: 'queued' });
  });
}
