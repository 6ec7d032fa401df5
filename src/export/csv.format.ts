import { recordsCsv, recordsCsvHeader, recordsCsvRow } from './csv.js';
import type { BatchFormat } from './export-format.js';

/** `csv`: the records table of src/export/csv.ts (one row per document, failures included). */
export const csvFormat: BatchFormat = {
  kind: 'batch',
  name: 'csv',
  summary: 'one row per document: documentId, file, every record field, warnings, error (--delimiter, --decimal-comma)',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  write(items, options) {
    return recordsCsv(items, options.csv);
  },
  stream(options) {
    return { head: recordsCsvHeader(options.csv), item: (item) => recordsCsvRow(item, options.csv), tail: '' };
  },
};
