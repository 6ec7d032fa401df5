import { writeCii } from '../einvoice/cii-write.js';
import { writeUbl } from '../einvoice/ubl-write.js';
import type { EinvoiceOutput } from '../einvoice/write-common.js';
import type { DocumentFormat, ExportOptions } from './export-format.js';
import { recordItem } from './export-item.js';
import type { InvoiceRecord } from '../core/invoice-record.js';

/**
 * `ubl` and `cii`: the record as an e-invoice (the writers of src/einvoice, as the API's
 * `?format=ubl|cii`). A record lacking what the syntax requires fails with INCOMPLETE_RECORD
 * naming the missing fields; fields the syntax cannot carry are reported, never invented.
 */
function document(record: InvoiceRecord, options: ExportOptions, write: (r: InvoiceRecord) => EinvoiceOutput): string {
  const out = write(record);
  if (out.omitted.length > 0) options.report(recordItem(record, record.source.file, ''), `${out.syntax} leaves out ${out.omitted.join(', ')}`);
  return out.xml.endsWith('\n') ? out.xml : `${out.xml}\n`;
}

export const ublFormat: DocumentFormat = {
  kind: 'document',
  name: 'ubl',
  summary: 'UBL 2.1 invoice or credit note (Peppol BIS Billing 3.0 shape), one document per file',
  mediaType: 'application/xml',
  extension: 'xml',
  write: (record, options) => document(record, options, writeUbl),
};

export const ciiFormat: DocumentFormat = {
  kind: 'document',
  name: 'cii',
  summary: 'UN/CEFACT CII (Factur-X / ZUGFeRD XML), one document per file',
  mediaType: 'application/xml',
  extension: 'xml',
  write: (record, options) => document(record, options, writeCii),
};
