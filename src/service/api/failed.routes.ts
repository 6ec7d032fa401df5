import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import { PIPELINE, jobNameFromId, roleOf, type JobName } from '../job-registry.js';
import type { ServiceContext } from '../service-context.js';
import { splitReason } from '../stage-runner.js';
import { mayAccess, scopeOf } from './auth.js';
import { CONFLICT_RESPONSE, ERROR_RESPONSES, FailedList, JobIdParams } from './schemas.js';

const DEAD_LETTER_QUEUES: JobName[] = [...PIPELINE, 'invoice.deliver'];

/** The tenant a job belongs to: its document's (stage jobs) or its subscription's (deliveries). */
async function tenantOfJob(ctx: ServiceContext, data: { documentId?: string; subscriptionId?: string }): Promise<string | null> {
  if (data.subscriptionId) return (await ctx.webhooks.get(data.subscriptionId))?.tenant ?? null;
  if (data.documentId) return (await ctx.state.get(data.documentId))?.tenant ?? null;
  return null;
}

export function failedRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { limit: number } }>('/v1/failed', {
    schema: {
      operationId: 'listFailedJobs', tags: ['failed'],
      summary: 'Dead letters: jobs that failed for good, newest first',
      description: 'A permanent error, attempts exhausted, a crash or a time limit. Only the tenant\'s own jobs (admins: all).',
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }, additionalProperties: false },
      response: { 200: { description: 'Failed jobs', ...FailedList }, ...ERROR_RESPONSES },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const failed = [];
    for (const name of DEAD_LETTER_QUEUES) {
      for (const job of await ctx.queues.queue(name).getFailed(0, request.query.limit - 1)) {
        const data = job.data as { documentId?: string; subscriptionId?: string };
        if (scope !== null && (await tenantOfJob(ctx, data)) !== scope) continue;
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
      operationId: 'retryFailedJob', tags: ['failed'],
      summary: 'Retry a failed job from its stage (attempts reset)',
      params: JobIdParams,
      response: {
        202: { description: 'Queued again', type: 'object', properties: { jobId: { type: 'string' }, queue: { type: 'string' }, status: { type: 'string' } } },
        ...CONFLICT_RESPONSE, ...ERROR_RESPONSES,
      },
    },
  }, async (request, reply) => {
    const { jobId } = request.params;
    const name = jobNameFromId(jobId);
    const job = name ? await ctx.queues.queue(name).getJob(jobId) : undefined;
    const data = (job?.data ?? {}) as { documentId?: string; subscriptionId?: string };
    const tenant = job ? await tenantOfJob(ctx, data) : null;
    if (!name || !job || tenant === null || !mayAccess(request, tenant)) throw new LedgerlensError('NOT_FOUND', `no job ${jobId}`);
    if ((await job.getState()) !== 'failed') throw new LedgerlensError('CONFLICT', `job ${jobId} has not failed`);
    if (data.documentId && name !== 'invoice.deliver') await ctx.state.requeue(data.documentId, roleOf(name));
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    request.log.info({ jobId, documentId: data.documentId }, 'failed job retried');
    return reply.status(202).send({ jobId, queue: name, status: 'queued' });
  });
}
