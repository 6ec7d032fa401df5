import { CORE_FIELDS, getField, type InvoiceRecord } from '../core/invoice-record.js';

/** One exported record: the record with the document it came from. */
export interface RecordRow {
  documentId: string;
  completedAt: string;
  fileName: string | null;
  record: InvoiceRecord;
}

export const CSV_COLUMNS = ['documentId', 'completedAt', 'fileName', ...CORE_FIELDS, 'lineItems', 'warnings'] as const;

/**
 * CSV field: quoted when needed (RFC 4180). Text that a spreadsheet would run as a formula
 * (=, +, @, -, tab, CR) is prefixed with an apostrophe; decimal amounts such as "-12.00" are left alone.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+@\-\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: RecordRow[], withHeader = true): string {
  const lines = withHeader ? [CSV_COLUMNS.join(',')] : [];
  for (const row of rows) {
    const r = row.record as InvoiceRecord & Record<string, unknown>;
    lines.push([
      row.documentId, row.completedAt, row.fileName,
      ...CORE_FIELDS.map((f) => getField(r, f)),
      row.record.lineItems.length, row.record.warnings.map((w) => w.code).join(' ') || null,
    ].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
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
