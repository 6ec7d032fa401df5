import { quickbooksFormat, xeroFormat } from './bills.format.js';
import { csvFormat } from './csv.format.js';
import { datevFormat } from './datev.format.js';
import { ciiFormat, ublFormat } from './einvoice.format.js';
import type { ExportFormat } from './export-format.js';
import { jsonFormat, jsonlFormat } from './json.format.js';

/**
 * The `--format` registry: name -> writer, media type, extension. The CLI (and any other caller)
 * looks formats up here and never names one itself, so a new format is one module plus one entry
 * in this list.
 */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  jsonlFormat,
  jsonFormat,
  csvFormat,
  datevFormat,
  xeroFormat,
  quickbooksFormat,
  ublFormat,
  ciiFormat,
];

export function findFormat(name: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.name === name);
}

export function formatNames(): string[] {
  return EXPORT_FORMATS.map((f) => f.name);
}
