import { isDecimal } from '../extract/decimal.js';
import type { ExportItem } from './export-item.js';
import { LINE_ITEM_COLUMNS, RECORD_COLUMNS, valueAt, type Column } from './record-columns.js';

/**
 * The one CSV writer, for the CLI and the API (RFC 4180: CRLF line ends, fields quoted when they
 * hold the separator, a quote or a line break; quotes doubled).
 *
 * Formula injection: a text cell that a spreadsheet would evaluate (starting with = + - @, tab or
 * CR, or their full-width forms) is prefixed with an apostrophe, as OWASP recommends. Numbers such
 * as "-12.50" (or "-12,50" with decimal commas) are left alone: they are values, not formulas.
 */
export interface CsvOptions {
  /** Field separator: `,` (default) or `;`, which European spreadsheets and bookkeeping imports expect. */
  delimiter: ',' | ';';
  /** Decimal columns written with a decimal comma ("1234,50"). */
  decimalComma: boolean;
}

export const DEFAULT_CSV_OPTIONS: CsvOptions = { delimiter: ',', decimalComma: false };

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NUMBER = /^-?\d+([.,]\d+)?$/;

/** One cell, escaped and quoted as needed. */
export function csvCell(value: string | number | null | undefined, delimiter: string = ','): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  const needsQuotes = s.includes(delimiter) || /["\r\n]/.test(s);
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line, CRLF-terminated. */
export function csvLine(cells: readonly (string | number | null | undefined)[], delimiter: string = ','): string {
  return `${cells.map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n`;
}

function decimalCell(value: string | null, options: CsvOptions): string | null {
  return value !== null && options.decimalComma && isDecimal(value) ? value.replace('.', ',') : value;
}

function cells(obj: unknown, columns: readonly Column[], options: CsvOptions): (string | null)[] {
  return columns.map((c) => {
    const v = valueAt(obj, c.path);
    return c.decimal ? decimalCell(v, options) : v;
  });
}

/**
 * The records table: who (documentId, file, completedAt), the record's columns, then lineItems
 * (how many), warnings (codes, space-separated) and, for a document that failed, errorCode and
 * errorMessage. One row per item, failures included, so the table has a row for every input.
 */
export const RECORDS_HEADER: readonly string[] = [
  'documentId', 'file', 'completedAt', ...RECORD_COLUMNS.map((c) => c.path), 'lineItems', 'warnings', 'errorCode', 'errorMessage',
];

export function recordsCsvHeader(options: CsvOptions = DEFAULT_CSV_OPTIONS): string {
  return csvLine(RECORDS_HEADER, options.delimiter);
}

export function recordsCsvRow(item: ExportItem, options: CsvOptions = DEFAULT_CSV_OPTIONS): string {
  const r = item.record;
  return csvLine([
    item.documentId, item.file, item.completedAt,
    ...(r ? cells(r, RECORD_COLUMNS, options) : RECORD_COLUMNS.map(() => null)),
    r ? r.lineItems.length : null,
    r ? r.warnings.map((w) => w.code).join(' ') || null : null,
    item.error?.code ?? null, item.error?.message ?? null,
  ], options.delimiter);
}

export function recordsCsv(items: readonly ExportItem[], options: CsvOptions = DEFAULT_CSV_OPTIONS, withHeader = true): string {
  return (withHeader ? recordsCsvHeader(options) : '') + items.map((i) => recordsCsvRow(i, options)).join('');
}

/** The line-items table: one row per item of every record, joined to the records by documentId. */
export const LINE_ITEMS_HEADER: readonly string[] = ['documentId', 'file', 'line', ...LINE_ITEM_COLUMNS.map((c) => c.path)];

export function lineItemsCsvHeader(options: CsvOptions = DEFAULT_CSV_OPTIONS): string {
  return csvLine(LINE_ITEMS_HEADER, options.delimiter);
}

export function lineItemsCsvRows(item: ExportItem, options: CsvOptions = DEFAULT_CSV_OPTIONS): string {
  return (item.record?.lineItems ?? [])
    .map((li, i) => csvLine([item.documentId, item.file, i + 1, ...cells(li, LINE_ITEM_COLUMNS, options)], options.delimiter))
    .join('');
}

export function lineItemsCsv(items: readonly ExportItem[], options: CsvOptions = DEFAULT_CSV_OPTIONS, withHeader = true): string {
  return (withHeader ? lineItemsCsvHeader(options) : '') + items.map((i) => lineItemsCsvRows(i, options)).join('');
}

/** Splits CSV text into rows of cells (the inverse of csvLine; used by tests and round trips). */
export function parseCsv(text: string, delimiter: string = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}
