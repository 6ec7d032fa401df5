import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import type { InvoiceRecord } from '../core/invoice-record.js';
import { detectMediaType } from '../document/detect-type.js';
import { openPdf } from '../document/pdf-document.js';
import { checkDecompressedSize } from '../document/pdf-limits.js';
import { describeSource, readDocumentText } from '../document/read-document.js';
import { readEmbeddedInvoice } from '../einvoice/einvoice.js';
import { attachmentsOf } from '../einvoice/pdf-attachments.js';
import { extractInvoice } from '../extract/extractor.js';
import { loadLearnedMemory } from '../extract/learn/learned.js';
import { loadScorer, scorerRoute } from '../extract/scorer/load.js';
import { loadModelBundle } from '../ner/model-bundle.js';
import { runNer } from '../ner/ner.stage.js';
import type { ExtractStage, NerStage, OcrStage, Stages } from './stage-types.js';

/** The model name a record carries when no model bundle is installed: rules alone produced it. */
export const RULES_ONLY_MODEL = { name: 'rules-only', version: '0' } as const;

/** A model bundle is installed when its folder holds model.onnx; without one, ner yields no spans. */
export function hasModel(config: Pick<Config, 'model'>): boolean {
  return existsSync(join(config.model.dir, 'model.onnx'));
}

/**
 * The bundle's name and version as the ner module reads them (config.json `ledgerlens.name` /
 * `ledgerlens.version`, else the folder name and "0"), without loading the ONNX session: the
 * extract stage runs in processes that never load the model.
 */
export function modelIdentity(config: Pick<Config, 'model'>): { name: string; version: string } {
  if (!hasModel(config)) return { ...RULES_ONLY_MODEL };
  const dir = resolve(config.model.dir);
  let meta: { name?: unknown; version?: unknown } = {};
  try {
    const json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { ledgerlens?: { name?: unknown; version?: unknown } };
    meta = json.ledgerlens ?? {};
  } catch { /* an unreadable config.json fails loudly in the ner stage (MODEL_INVALID); the name falls back here */ }
  return {
    name: typeof meta.name === 'string' ? meta.name : basename(dir),
    version: typeof meta.version === 'string' ? meta.version : '0',
  };
}

/**
 * ocr: embedded e-invoice XML when allowed and present (the fast path), else the page text.
 * A PDF without embedded XML, and every image, goes to the text/OCR reader. A PDF is checked
 * against limits.maxDecompressedBytes first, then opened once (pdfjs) for its page count, its
 * attachments and its text: the page count is the page tree's /Count (TOO_MANY_PAGES past
 * limits.maxPages), so a tree that reuses its nodes costs nothing. A hybrid PDF's record comes with
 * the PDF's text too when `extract.learnFromEinvoices` is on: its XML labels the printed page, a
 * training example for `learn` (the system's own traffic teaches the text path).
 */
export const ocr: OcrStage = async (bytes, { file }, { config }) => {
  const mediaType = detectMediaType(bytes);
  if (mediaType === 'application/xml' && config.embedded) {
    const record = await readEmbeddedInvoice(bytes, mediaType, describeSource(bytes, file, mediaType, 0));
    if (record) return { kind: 'record', record };
  }
  if (mediaType !== 'application/pdf' || bytes.byteLength > config.limits.maxFileBytes) {
    return { kind: 'text', text: await readDocumentText(bytes, { file, config }) };
  }
  await checkDecompressedSize(bytes, config.limits.maxDecompressedBytes);
  const pdf = await openPdf(bytes, config.limits.maxPages, { images: false }); // readDocumentText opens one with images when a page needs it
  try {
    if (config.embedded) {
      const source = describeSource(bytes, file, mediaType, pdf.numPages);
      const record = await readEmbeddedInvoice(bytes, mediaType, source, { attachments: await attachmentsOf(pdf) });
      if (record && !config.extract.learnFromEinvoices) return { kind: 'record', record };
      if (record) {
        // the page text only teaches: a page that cannot be read never costs the record
        const text = await readDocumentText(bytes, { file, config, pdf }).catch(() => undefined);
        return text ? { kind: 'record', record, text } : { kind: 'record', record };
      }
    }
    return { kind: 'text', text: await readDocumentText(bytes, { file, config, pdf }) };
  } finally {
    await pdf.destroy();
  }
};

/** ner: entity spans from the configured bundle; none (and no error) when no bundle is installed. */
export const ner: NerStage = async (text, { config }) => {
  if (!hasModel(config) || text.pages.every((p) => p.words.length === 0)) return [];
  const bundle = await loadModelBundle(config.model.dir, { provider: config.model.provider });
  return runNer(bundle, text, { batchSize: config.model.batchSize, stride: config.model.stride });
};

/** extract: the invoice extractor; a record made without a model says so (warning NO_MODEL). */
export const extract: ExtractStage = async (text: DocumentText, spans: EntitySpan[], { config, tenant }): Promise<InvoiceRecord> => {
  const memory = config.extract.learned ? loadLearnedMemory(config.store.dir) : undefined;
  const record = extractInvoice(text, spans, { config, model: modelIdentity(config), scorer: loadScorer(config.model.dir, scorerRoute(text)), memory, tenant });
  if (!hasModel(config)) {
    record.warnings.push({ code: 'NO_MODEL', message: `no model bundle at ${config.model.dir}: fields were found by rules alone` });
  }
  if (text.pages.length > 0 && text.pages.every((p) => p.words.length === 0)) {
    record.warnings.push({ code: 'NO_TEXT', message: 'no words were found on any page' });
  }
  return record;
};

export const stages: Stages = { ocr, ner, extract };
