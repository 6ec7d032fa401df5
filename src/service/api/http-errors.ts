import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLedgerlensError, type ErrorCode } from '../../core/errors.js';

/** Errors that mean "Redis is unreachable" (ioredis and BullMQ while disconnected or reconnecting). */
export function isRedisDown(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string } | null;
  if (!e) return false;
  return e.name === 'MaxRetriesPerRequestError' || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ETIMEDOUT'
    || /Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ECONNREFUSED|Redis is not reachable/i.test(e.message ?? '');
}

/** HTTP status for each code the API can answer with; anything unlisted is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400, EMPTY_DOCUMENT: 400, USAGE: 400,
  UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429, UNAVAILABLE: 503,
  FILE_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415,
  CORRUPT_DOCUMENT: 422, ENCRYPTED_DOCUMENT: 422, NO_PAGES: 422, TOO_MANY_PAGES: 422, IMAGE_TOO_LARGE: 422, INVALID_EINVOICE: 422, INCOMPLETE_RECORD: 422,
  RESOURCE_LIMIT: 422,
};

/** Fastify's and its plugins' own error codes, mapped onto ours. */
const FRAMEWORK: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_FILES_LIMIT: 'INVALID_INPUT',
  FST_PARTS_LIMIT: 'INVALID_INPUT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_INPUT',
  FST_ERR_VALIDATION: 'INVALID_INPUT',
  FST_PROTO_VIOLATION: 'INVALID_INPUT',
  FST_FIELDS_LIMIT: 'INVALID_INPUT',
  FST_INVALID_JSON_FIELD_ERROR: 'INVALID_INPUT',
};

export interface HttpError { status: number; code: ErrorCode; message: string }

/** The one place errors become responses. 5xx bodies never carry internals. */
export function toHttpError(err: unknown): HttpError {
  if (isLedgerlensError(err)) {
    const status = STATUS[err.code] ?? 500;
    // 503 keeps its code and message: it says what to do (retry later), nothing internal.
    if (status === 503) return { status, code: err.code, message: err.message };
    return { status, code: status >= 500 ? 'INTERNAL' : err.code, message: status >= 500 ? 'Internal error' : err.message };
  }
  if (isRedisDown(err)) return { status: 503, code: 'UNAVAILABLE', message: 'the queue store (Redis) is unreachable; try again shortly' };
  const fe = err as Partial<FastifyError> & { code?: string };
  const mapped = fe.code ? FRAMEWORK[fe.code] : undefined;
  if (fe.validation || mapped) {
    const code = mapped ?? 'INVALID_INPUT';
    return { status: STATUS[code] ?? 400, code, message: fe.message ?? code };
  }
  // A JSON body that does not parse (SyntaxError from the content-type parser).
  if (err instanceof SyntaxError && typeof fe.statusCode === 'number' && fe.statusCode === 400) {
    return { status: 400, code: 'INVALID_INPUT', message: `malformed JSON: ${err.message}` };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: 'INVALID_INPUT', message: fe.message ?? 'bad request' };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal error' };
}

/**
 * Sends the error response itself. Hooks use it, so plugins with their own error handler (bull-board
 * under /admin/queues) still answer our { error: { code, message } } for auth and limit refusals.
 */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const http = toHttpError(err);
  if (http.status === 503) {
    request.log.warn({ code: http.code }, 'request refused: Redis unreachable');
    if (!reply.hasHeader('retry-after')) reply.header('retry-after', '5');
  } else if (http.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: http.code, message: http.message }, 'request rejected');
  return reply.status(http.status).type('application/json').send({ error: { code: http.code, message: http.message } });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));
}
