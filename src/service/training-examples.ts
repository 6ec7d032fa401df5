import type { BBox, DocumentText } from '../core/document-text.js';
import type { InvoiceRecord } from '../core/invoice-record.js';
import type { DocumentInfo } from './document-state.js';
import type { VersionEntry } from './record-versions.js';
import { printedIn } from '../extract/learn/truth.js';
import { SCORED_FIELDS } from '../extract/scorer/scorer.js';

/**
 * A labelled example from a review, format `ledgerlens.example/1`, one file per version at
 * `<store>/examples/<document id>/v<version>.json` (what `ledgerlens learn` is to read):
 *   { format, documentId, tenant, version, kind: 'correction' | 'confirmation', createdAt, author,
 *     labels: [{ path, value, previous, source: 'words' | 'typed' | 'confirmed', words: [{ page, index, text, bbox }] }],
 *     text: DocumentText | null,   // the document's words (null: the document had no text stage, e.g. e-invoice XML)
 *     record }                     // the record at this version
 * A hybrid e-invoice (embedded XML) is one too, version 1, kind `einvoice`: its XML labels every
 * scored field whose value the page prints (source `xml`, no words).
 * `words` index `text.pages[page - 1].words`. A correction labels the fields it changed: with the
 * words the reviewer clicked (`words`), or typed (`typed`: no words; a learner may look the value
 * up in the text). A confirmation (reviewed: true) also labels every other non-null field by the
 * words inside its provenance box (`confirmed`).
 */
export const EXAMPLE_FORMAT = 'ledgerlens.example/1';

export interface ExampleLabel {
  path: string;
  value: string | null;
  previous: string | null;
  source: 'words' | 'typed' | 'confirmed' | 'xml';
  words: { page: number; index: number; text: string; bbox: BBox }[];
}

/** Words of a page whose centre lies inside the box. */
function wordsInBox(text: DocumentText, page: number, box: BBox): ExampleLabel['words'] {
  const words = text.pages.find((p) => p.number === page)?.words ?? [];
  return words.flatMap((w, index) => {
    const cx = (w.bbox[0] + w.bbox[2]) / 2;
    const cy = (w.bbox[1] + w.bbox[3]) / 2;
    return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3] ? [{ page, index, text: w.text, bbox: w.bbox }] : [];
  });
}

function valueAt(record: InvoiceRecord, path: string): string | null {
  const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), record);
  return v === null || v === undefined ? null : String(v);
}

export function trainingExample(doc: DocumentInfo, entry: VersionEntry, record: InvoiceRecord, text: DocumentText | null, confirmed: boolean) {
  const labels: ExampleLabel[] = entry.changes.map((c) => ({
    path: c.path, value: c.to, previous: c.from, source: c.words.length > 0 ? 'words' : 'typed',
    words: c.words.map(({ page, index, text: t, bbox }) => ({ page, index, text: t, bbox })),
  }));
  if (confirmed) {
    const changed = new Set(labels.map((l) => l.path));
    for (const [path, info] of Object.entries(record.fields)) {
      const value = valueAt(record, path);
      if (changed.has(path) || value === null) continue;
      const box = info.provenance?.bbox;
      const words = text && box && info.provenance ? wordsInBox(text, info.provenance.page, box) : [];
      labels.push({ path, value, previous: value, source: 'confirmed', words });
    }
  }
  return {
    format: EXAMPLE_FORMAT,
    documentId: doc.id,
    tenant: doc.tenant,
    version: entry.version,
    kind: entry.kind,
    createdAt: entry.createdAt,
    author: entry.author,
    labels,
    text,
    record,
  };
}

/** A hybrid e-invoice as a labelled example: the page text, labelled by the XML's values the page prints. */
export function einvoiceExample(doc: Pick<DocumentInfo, 'id' | 'tenant'>, record: InvoiceRecord, text: DocumentText) {
  const labels: ExampleLabel[] = [];
  for (const field of SCORED_FIELDS) {
    const value = valueAt(record, field);
    if (value !== null && printedIn(field, value, text.text)) labels.push({ path: field, value, previous: null, source: 'xml', words: [] });
  }
  return { format: EXAMPLE_FORMAT, documentId: doc.id, tenant: doc.tenant, version: 1, kind: 'einvoice' as const, createdAt: new Date().toISOString(), author: null, labels, text, record };
}
