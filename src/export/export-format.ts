import type { Config } from '../config/config.js';
import type { InvoiceRecord } from '../core/invoice-record.js';
import type { CsvOptions } from './csv.js';
import type { ExportItem } from './export-item.js';

/** Settings every writer gets: the CSV dialect, the bookkeeping layouts' settings (config `export`), a clock. */
export interface ExportOptions {
  csv: CsvOptions;
  /** Config `export` (DATEV accounts, Xero/QuickBooks codes and date formats). */
  settings: Config['export'];
  /** Exactly one document was asked for (one FILE argument): `json` writes the record itself, not an array. */
  single: boolean;
  /** The export's creation time (the DATEV header stamps it). */
  now: Date;
  /** Hears about every item a writer left out or wrote incomplete, with the reason. */
  report: (item: ExportItem, message: string) => void;
}

interface FormatInfo {
  /** The `--format` value. */
  name: string;
  /** One line for `--help` and the README. */
  summary: string;
  /** Media type of the output, charset included where it is not UTF-8. */
  mediaType: string;
  /** File name extension of the output, without the dot (`--out DIR` writes NAME.<extension>). */
  extension: string;
}

/** Streaming form of a batch format: printed piece by piece as documents finish, in input order. */
export interface ExportStream {
  head: string;
  item(item: ExportItem, index: number): string;
  tail: string;
}

/** A format whose output holds any number of documents (JSON array, CSV, a booking batch). */
export interface BatchFormat extends FormatInfo {
  kind: 'batch';
  write(items: readonly ExportItem[], options: ExportOptions): string | Uint8Array;
  /** Present when the format can be printed as documents finish (the CLI then streams it). */
  stream?(options: ExportOptions): ExportStream;
  /** The format `--out DIR` uses for its one-document files, when not this one (jsonl: json). */
  perDocument?: string;
}

/**
 * A format with one document per output (an XML invoice). Several documents need `--out DIR`.
 * `write` throws a LedgerlensError naming what the record lacks when it cannot be written.
 */
export interface DocumentFormat extends FormatInfo {
  kind: 'document';
  write(record: InvoiceRecord, options: ExportOptions): string | Uint8Array;
}

export type ExportFormat = BatchFormat | DocumentFormat;
