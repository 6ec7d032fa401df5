import type { Config } from '../config/config.js';
import type { InvoiceRecord } from '../core/invoice-record.js';
import type { Stages } from './stage-types.js';
import { stages as defaultStages } from './stages.js';

/**
 * The whole pipeline in one process, in the order the queue workers run it: ocr -> ner -> extract,
 * or ocr alone when it returns a record from embedded e-invoice XML.
 */
export async function processDocument(
  bytes: Uint8Array,
  input: { file: string | null; config: Config; stages?: Stages },
): Promise<InvoiceRecord> {
  const stages = input.stages ?? defaultStages;
  const ctx = { config: input.config };
  const read = await stages.ocr(bytes, { file: input.file }, ctx);
  if (read.kind === 'record') return read.record;
  const spans = await stages.ner(read.text, ctx);
  return stages.extract(read.text, spans, ctx);
}
