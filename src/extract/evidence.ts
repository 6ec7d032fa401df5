import type { BBox } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import type { FieldInfo, Provenance } from '../core/invoice-record.js';
import { unionBox, wordsIn, type Layout } from './layout.js';

/** A value the extractor found, with its rule evidence (0..1) and where it stands in the document. */
export interface Candidate {
  value: string;
  /** Rule evidence in 0..1: label strength, layout, arithmetic. */
  score: number;
  method: FieldInfo['method'];
  provenance: Provenance | null;
  /** Character range in the document text, for matching entity spans. */
  start: number;
  end: number;
}

export function provenanceOf(layout: Layout, start: number, end: number): Provenance | null {
  const words = wordsIn(layout, start, end);
  if (words.length === 0) return null;
  const first = layout.lines.find((l) => l.words.includes(words[0]!));
  const page = first?.page ?? 1;
  const onPage = words.filter((w) => layout.lines.some((l) => l.page === page && l.words.includes(w)));
  const bbox: BBox = unionBox(onPage.map((w) => w.bbox));
  return { page, bbox, text: layout.text.slice(start, end) };
}

export function candidate(layout: Layout, value: string, score: number, start: number, end: number, method: FieldInfo['method'] = 'rule'): Candidate {
  return { value, score: Math.max(0, Math.min(1, score)), method, provenance: provenanceOf(layout, start, end), start, end };
}

/** Best score of spans with one of `labels` overlapping [start, end), or 0. */
export function spanSupport(spans: EntitySpan[], labels: string[], start: number, end: number): number {
  let best = 0;
  for (const s of spans) {
    if (!labels.includes(s.label) || s.end <= start || s.start >= end) continue;
    best = Math.max(best, s.score);
  }
  return best;
}

/**
 * Field confidence: rule evidence and model agreement combined as independent evidence
 * (noisy-or), with the model weighted down because the default model is small.
 */
export function combine(rule: number, model: number): number {
  const c = 1 - (1 - rule) * (1 - 0.6 * model);
  return Math.round(Math.min(0.99, c) * 1000) / 1000;
}

export function fieldInfo(c: Candidate, spans: EntitySpan[], labels: string[], threshold: number): FieldInfo {
  const model = labels.length ? spanSupport(spans, labels, c.start, c.end) : 0;
  const confidence = combine(c.score, model);
  const method = c.method === 'rule' && model > c.score ? 'model' : c.method;
  return { confidence, review: confidence < threshold, method, provenance: c.provenance };
}
