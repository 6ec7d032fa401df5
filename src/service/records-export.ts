import type { InvoiceRecord } from '../core/invoice-record.js';
import { DEFAULT_CSV_OPTIONS, recordsCsv } from '../export/csv.js';

/** One exported record: the record with the document it came from. */
export interface RecordRow {
  documentId: string;
  completedAt: string;
  fileName: string | null;
  record: InvoiceRecord;
}

/** CSV through the one writer of src/export/csv.ts (formula escaping, the record's columns); header on the first page only. */
export function toCsv(rows: RecordRow[], withHeader = true): string {
  return recordsCsv(rows.map((r) => ({ documentId: r.documentId, file: r.fileName, completedAt: r.completedAt, record: r.record, error: null })), DEFAULT_CSV_OPTIONS, withHeader);
}

export function toJsonLines(rows: RecordRow[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Opaque pagination cursor: the (completion time, id) of the last row returned. */
export function encodeCursor(score: number, id: string): string {
  return Buffer.from(JSON.stringify([score, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { score: number; id: string } | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return { score: v[0], id: v[1] };
  } catch { /* malformed: reported by the caller */ }
  return null;
}
