import type { ErrorCode } from '../core/errors.js';
import type { InvoiceRecord } from '../core/invoice-record.js';

/**
 * What every export format writes: one input document and its outcome, a record or an error.
 * The CLI makes one per file argument; the API one per stored record.
 */
export interface ExportItem {
  /** The document's id: the sha256 of its bytes (null when it could not be read). */
  documentId: string | null;
  /** The file as the CLI was given it, or the uploaded file name. */
  file: string | null;
  /** When the record was made (ISO 8601). */
  completedAt: string | null;
  record: InvoiceRecord | null;
  error: { code: ErrorCode; message: string } | null;
}

export function recordItem(record: InvoiceRecord, file: string | null, completedAt: string, documentId: string = record.source.sha256): ExportItem {
  return { documentId, file, completedAt, record, error: null };
}

export function errorItem(file: string | null, error: { code: ErrorCode; message: string }, documentId: string | null = null): ExportItem {
  return { documentId, file, completedAt: null, record: null, error };
}
