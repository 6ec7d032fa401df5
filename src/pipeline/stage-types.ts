import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import type { InvoiceRecord } from '../core/invoice-record.js';

/**
 * The pipeline's three stages as plain functions. The CLI composes them in one process; the queue
 * workers call one each. Implementations live in src/pipeline/stages.ts.
 */
export interface StageContext {
  config: Config;
  /** The document's tenant, where the caller knows it (the queue worker); `default` otherwise. */
  tenant?: string;
}

/** ocr: file bytes -> page text, or a record straight from embedded e-invoice XML (the fast path). */
export type OcrResult =
  | { kind: 'text'; text: DocumentText }
  | { kind: 'record'; record: InvoiceRecord; text?: DocumentText };
export type OcrStage = (bytes: Uint8Array, input: { file: string | null }, ctx: StageContext) => Promise<OcrResult>;

/** ner: page text -> entity spans (character offsets into text.text, with page and bbox). */
export type NerStage = (text: DocumentText, ctx: StageContext) => Promise<EntitySpan[]>;

/** extract: text + spans -> validated record. */
export type ExtractStage = (text: DocumentText, spans: EntitySpan[], ctx: StageContext) => Promise<InvoiceRecord>;

export interface Stages {
  ocr: OcrStage;
  ner: NerStage;
  extract: ExtractStage;
}
