import type { DocumentText } from '../../core/document-text.js';
import type { FieldInfo, InvoiceRecord, Provenance } from '../../core/invoice-record.js';
import { applySignConvention, arithmeticWarnings } from '../../core/record-checks.js';
import { findDocumentType } from './document-type.js';
import { pageLines } from './page-lines.js';

/**
 * The text path's version-2 fields, added to the record the core extractor built: the one call
 * src/extract/extractor.ts makes. Finds the document type, applies the sign convention (a credit
 * note's amounts are positive, however the page prints them), and adds the arithmetic checks of
 * the version-2 relations. Pure: returns a new record.
 */

export interface CompleteRecordOptions {
  /** Fields below this confidence are flagged for review (config extract.reviewThreshold). */
  reviewThreshold: number;
}

/** Checks the core extractor already reports itself (it computes them before this call). */
const CORE_CHECKS = new Set(['TOTALS_MISMATCH', 'LINE_ITEMS_MISMATCH']);

export function info(confidence: number, method: FieldInfo['method'], provenance: Provenance | null, threshold: number): FieldInfo {
  const c = Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000;
  return { confidence: c, review: c < threshold, method, provenance };
}

export function completeRecord(text: DocumentText, record: InvoiceRecord, options: CompleteRecordOptions): InvoiceRecord {
  const view = pageLines(text);
  const type = findDocumentType(view, record.invoiceNumber);
  const typed: InvoiceRecord = {
    ...record,
    documentType: type.value,
    fields: { ...record.fields, documentType: info(type.confidence, type.method, type.provenance, options.reviewThreshold) },
  };
  const signed = applySignConvention(typed);
  const checks = arithmeticWarnings(signed, { tolerance: '0.02' }).filter((w) => !CORE_CHECKS.has(w.code));
  const fields = { ...signed.fields };
  // a field in a failed relation is flagged for review, whatever its confidence
  for (const w of checks) for (const f of w.fields) if (fields[f]) fields[f] = { ...fields[f]!, review: true };
  return { ...signed, fields, warnings: [...signed.warnings, ...checks.map(({ code, message }) => ({ code, message }))] };
}
