import type { ErrorCode } from '../core/errors.js';
import type { InvoiceRecord } from '../core/invoice-record.js';
import type { BatchFormat } from './export-format.js';
import type { ExportItem } from './export-item.js';

/** A failed document in JSON output: where it came from and why it failed. */
export interface JsonFailure { source: { file: string | null }; error: { code: ErrorCode; message: string } }

/** The JSON value of one item: the record (its source.file the input as given), or the failure. */
export function jsonValue(item: ExportItem): InvoiceRecord | JsonFailure {
  if (item.record) return { ...item.record, source: { ...item.record.source, file: item.file } };
  return { source: { file: item.file }, error: item.error ?? { code: 'INTERNAL', message: 'no record' } };
}

const indent = (json: string): string => json.replace(/\n/g, '\n  ');

/** `json`: one object for exactly one FILE argument, else an array (also for one file from a folder). */
export const jsonFormat: BatchFormat = {
  kind: 'batch',
  name: 'json',
  summary: 'one record (exactly one FILE argument) or an array of records, indented',
  mediaType: 'application/json',
  extension: 'json',
  write(items, options) {
    const s = this.stream!(options);
    return s.head + items.map((item, i) => s.item(item, i)).join('') + s.tail;
  },
  stream(options) {
    if (options.single) return { head: '', item: (item) => `${JSON.stringify(jsonValue(item), null, 2)}\n`, tail: '' };
    let empty = true;
    return {
      head: '[',
      item: (item, i) => { empty = false; return `${i > 0 ? ',' : ''}\n  ${indent(JSON.stringify(jsonValue(item), null, 2))}`; },
      get tail() { return empty ? ']\n' : '\n]\n'; },
    };
  },
};

/** `jsonl`: one record per line, in input order (failures included, as {source, error}). */
export const jsonlFormat: BatchFormat = {
  kind: 'batch',
  name: 'jsonl',
  summary: 'one record per line (JSON Lines), in input order; the default',
  mediaType: 'application/x-ndjson',
  extension: 'jsonl',
  perDocument: 'json',
  write(items) {
    return items.map((item) => `${JSON.stringify(jsonValue(item))}\n`).join('');
  },
  stream() {
    return { head: '', item: (item) => `${JSON.stringify(jsonValue(item))}\n`, tail: '' };
  },
};
