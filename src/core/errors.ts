/**
 * Stable error codes. A code is part of the public contract (CLI output, API responses,
 * failed-job records): never rename one, only add.
 */
export const ERROR_CODES = {
  // bad input: permanent, never retried
  EMPTY_DOCUMENT: 'The file is empty',
  UNSUPPORTED_MEDIA_TYPE: 'The file is not a supported document type',
  CORRUPT_DOCUMENT: 'The document is damaged or truncated',
  ENCRYPTED_DOCUMENT: 'The document is encrypted',
  NO_PAGES: 'The document has no pages',
  FILE_TOO_LARGE: 'The file exceeds the size limit',
  TOO_MANY_PAGES: 'The document exceeds the page limit',
  IMAGE_TOO_LARGE: 'The image exceeds the pixel limit',
  INVALID_EINVOICE: 'The e-invoice XML is not a valid CII or UBL invoice',
  INCOMPLETE_RECORD: 'The record lacks what the output format requires',
  // configuration and models: permanent
  INVALID_CONFIG: 'The configuration is invalid',
  MODEL_INVALID: 'The model bundle is incomplete or inconsistent',
  INVALID_INPUT: 'The input is malformed',
  USAGE: 'The command line is malformed',
  NOT_FOUND: 'The resource does not exist',
  UNAUTHORIZED: 'A valid API key is required',
  CONFLICT: 'The resource is in a state that does not allow this',
  /** A per-document budget was exceeded: time (limits.jobTimeoutMs), memory, rendered pixels or decompressed bytes. */
  RESOURCE_LIMIT: 'The document exceeds a resource limit (time, memory, rendered pixels or decompressed size)',
  FORBIDDEN: 'The API key may not do this',
  // transient: retried with backoff
  OCR_FAILED: 'Text recognition failed',
  INTERNAL: 'Internal error',
  WEBHOOK_FAILED: 'The webhook subscriber did not accept the delivery',
  /** A dependency (Redis) is unreachable: try again later (HTTP 503 with Retry-After). */
  UNAVAILABLE: 'The service is temporarily unavailable',
  RATE_LIMITED: 'Too many requests: slow down',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes that describe the input itself: retrying cannot help. */
const PERMANENT = new Set<ErrorCode>([
  'EMPTY_DOCUMENT', 'UNSUPPORTED_MEDIA_TYPE', 'CORRUPT_DOCUMENT', 'ENCRYPTED_DOCUMENT', 'NO_PAGES',
  'FILE_TOO_LARGE', 'TOO_MANY_PAGES', 'IMAGE_TOO_LARGE', 'INVALID_EINVOICE', 'INCOMPLETE_RECORD', 'INVALID_CONFIG',
  'MODEL_INVALID', 'INVALID_INPUT', 'USAGE', 'NOT_FOUND', 'UNAUTHORIZED', 'CONFLICT',
  'RESOURCE_LIMIT', 'FORBIDDEN',
]);

export class LedgerlensError extends Error {
  readonly code: ErrorCode;
  readonly permanent: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message ?? ERROR_CODES[code], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LedgerlensError';
    this.code = code;
    this.permanent = PERMANENT.has(code);
    if (options?.details) this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isLedgerlensError(err: unknown): err is LedgerlensError {
  return err instanceof LedgerlensError;
}

/** Any thrown value as `{ code, message }`, for CLI and job records. Unknown errors are INTERNAL. */
export function toErrorInfo(err: unknown): { code: ErrorCode; message: string } {
  if (isLedgerlensError(err)) return err.toJSON();
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
