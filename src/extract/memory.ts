import type { Candidate } from './candidates.js';
import type { Prepared } from './decide.js';
import { sameValue, squash } from './learn/truth.js';
import type { Sparse } from './scorer/gbdt.js';
import { applyPlatt, type PlattModel } from './scorer/platt.js';
import { sigmoid } from './scorer/gbdt.js';
import { FIELD_KIND, type FieldScorer, type JointParams, type ScoredField } from './scorer/scorer.js';

/**
 * Layout memory: what reviewed documents teach about the next document from the same vendor.
 *
 * A reviewed (or otherwise labelled) document is kept as a MemoryDoc: its vocabulary (the letter
 * words it prints, which documents of one vendor and one layout share) and, per field, where the
 * right value stood: the words left of it on its line, the words above it, its position on the
 * page, and the value itself (a vendor prints its own name, address and tax id on every invoice).
 * A new document recalls the most similar reviewed documents (Jaccard of the vocabularies) and each
 * candidate gets memory features: how similar the recalled documents are, whether they hold the
 * same value for the field, how well its left and upper context and its position match theirs.
 * A small logistic model per field, fitted with the scorer on its training documents (each one
 * recalling the other training documents, never itself), turns the base scorer's probability and
 * those features into the probability with memory; a calibration fitted the same way maps the
 * assignment's marginals to confidences. No document's strings are written into the model: it
 * learns how much "the same left context as last time" is worth, not which context.
 */

/** Where a field's value stood in a labelled document. */
export interface Anchor {
  value: string;
  /** Letter words before the value on its line (up to 4, nearest last), folded. */
  left: string[];
  /** Letter words of the line above that overlap the value horizontally, folded. */
  above: string[];
  /** Centre of the value on its page, as fractions of the page size. */
  x: number;
  y: number;
  /** On the document's last page (totals) or its first (headers). */
  lastPage: boolean;
}

export interface MemoryDoc {
  id: string;
  /** Whose review it is: a document recalls only its own tenant's memory. */
  tenant: string;
  /** Sorted distinct letter words (3+ letters), folded. */
  vocab: string[];
  /** Per labelled field: the anchors of its value (empty: the value was not found among the candidates), or null: the document has no such value. */
  fields: Partial<Record<ScoredField, Anchor[] | null>>;
}

/**
 * `valueLow`: the remembered value on a candidate the base scorer rates low. On a layout it never
 * saw, the base scorer's low probabilities are its least reliable, and a vendor's own name,
 * address and tax id recur on all its invoices: this lets a remembered value outweigh them.
 */
export const MEMORY_FEATURES = ['logit', 'sim', 'value', 'left', 'above', 'pos', 'leftPos', 'absent', 'valueLow', 'bias'] as const;

/** The memory part of scorer.json: per field, weights over MEMORY_FEATURES; calibration of the marginals with memory. */
export interface MemoryModel {
  features: readonly string[];
  weights: Partial<Record<ScoredField, number[]>>;
  calibration: Partial<Record<ScoredField, PlattModel>>;
  /** Recall at most this many documents, each at least this similar. */
  recall: number;
  minSimilarity: number;
}

export const DEFAULT_RECALL = 5;
/**
 * Documents of one vendor share their letterhead, labels and footer; documents of different
 * vendors share the language's function words and the invoice vocabulary. Below this Jaccard
 * similarity a reviewed document is not recalled at all (about the 90th percentile between
 * synthetic invoices of different vendors and layouts); above it, the similarity is a feature.
 */
export const DEFAULT_MIN_SIMILARITY = 0.15;

const fold = (w: string) => squash(w);

function letterWords(text: string): string[] {
  return (text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).map(fold).filter((w) => w.length >= 2);
}

export function vocabularyOf(prep: Prepared): string[] {
  const set = new Set<string>();
  for (const line of prep.ctx.layout.lines) for (const w of letterWords(line.text)) if (w.length >= 3) set.add(w);
  return [...set].sort();
}

/** Jaccard similarity of two sorted word lists. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  let i = 0; let j = 0; let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { both++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  const union = a.length + b.length - both;
  return union ? both / union : 0;
}

function anchorOf(prep: Prepared, c: Candidate): Anchor {
  const lines = prep.ctx.layout.lines;
  const line = lines[c.line]!;
  const left = letterWords(line.text.slice(0, Math.max(0, c.start - line.start))).slice(-4);
  const prev = lines[c.line - 1];
  const above = prev && prev.page === line.page
    ? prev.words.filter((w) => w.bbox[2] > c.bbox[0] && w.bbox[0] < c.bbox[2]).flatMap((w) => letterWords(w.text))
    : [];
  const pages = prep.ctx.text.pages.length;
  return {
    value: c.value, left, above,
    x: (c.bbox[0] + c.bbox[2]) / 2 / (line.pageWidth || 1), y: (c.bbox[1] + c.bbox[3]) / 2 / (line.pageHeight || 1),
    lastPage: c.page === pages,
  };
}

/**
 * A labelled document as memory: per field in `truth`, the anchors of the candidates holding the
 * true value (null truth: the document prints none). `near` narrows a field's anchors to the
 * candidates that overlap the words a reviewer pointed at, when there are any.
 */
export function memoryDoc(id: string, tenant: string, prep: Prepared, truth: Partial<Record<ScoredField, string | null>>,
  near: Partial<Record<ScoredField, Array<{ page: number; bbox: [number, number, number, number] }>>> = {}): MemoryDoc {
  const fields: MemoryDoc['fields'] = {};
  for (const [field, want] of Object.entries(truth) as Array<[ScoredField, string | null]>) {
    if (want === null) { fields[field] = null; continue; }
    let hits = prep.candidates[FIELD_KIND[field]].filter((c) => sameValue(field, c.value, want));
    const boxes = near[field] ?? [];
    const overlapping = hits.filter((c) => boxes.some((b) => b.page === c.page && b.bbox[0] < c.bbox[2] && b.bbox[2] > c.bbox[0] && b.bbox[1] < c.bbox[3] && b.bbox[3] > c.bbox[1]));
    if (overlapping.length) hits = overlapping;
    // one anchor per place (a value found by several finders at one spot counts once)
    const seen = new Set<string>();
    fields[field] = hits.flatMap((c) => {
      const key = `${c.page}:${c.line}:${c.start}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [anchorOf(prep, c)];
    });
  }
  return { id, tenant, vocab: vocabularyOf(prep), fields };
}

export interface Recalled { doc: MemoryDoc; sim: number }

/** The most similar memory documents of the tenant (never the document itself), best first. */
export function recall(pool: readonly MemoryDoc[], vocab: readonly string[], options: { tenant?: string; exclude?: string; k?: number; minSimilarity?: number } = {}): Recalled[] {
  const k = options.k ?? DEFAULT_RECALL; const min = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  const out: Recalled[] = [];
  for (const doc of pool) {
    if (doc.id === options.exclude || (options.tenant !== undefined && doc.tenant !== options.tenant)) continue;
    const sim = similarity(vocab, doc.vocab);
    if (sim >= min) out.push({ doc, sim });
  }
  return out.sort((a, b) => b.sim - a.sim || (a.doc.id < b.doc.id ? -1 : 1)).slice(0, k);
}

function overlap(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 0.5;
  if (!a.length || !b.length) return 0;
  const sb = new Set(b); let both = 0;
  for (const w of new Set(a)) if (sb.has(w)) both++;
  return both / new Set([...a, ...b]).size;
}

const logit = (p: number) => { const q = Math.min(1 - 1e-6, Math.max(1e-6, p)); return Math.log(q / (1 - q)); };

/** A candidate's memory features for a field (MEMORY_FEATURES order), given its base probability. */
export function memoryFeatures(prep: Prepared, field: ScoredField, c: Candidate, p: number, recalled: readonly Recalled[]): number[] {
  const a = anchorOf(prep, c);
  let value = 0; let left = 0; let above = 0; let pos = 0; let leftPos = 0; let absent = 0; let labelled = 0;
  for (const { doc } of recalled) {
    if (!(field in doc.fields)) continue;
    labelled++;
    const anchors = doc.fields[field];
    if (anchors === null) { absent++; continue; }
    if (anchors!.some((m) => sameValue(field, m.value, c.value))) value++;
    for (const m of anchors!) {
      const l = overlap(a.left, m.left); const u = overlap(a.above, m.above);
      const d = Math.hypot(a.x - m.x, a.y - m.y) + (a.lastPage === m.lastPage ? 0 : 0.5);
      const near = Math.max(0, 1 - d / 0.1);
      left = Math.max(left, l); above = Math.max(above, u); pos = Math.max(pos, near); leftPos = Math.max(leftPos, l * near);
    }
  }
  const sim = recalled.length ? recalled[0]!.sim : 0;
  const n = Math.max(1, labelled);
  const lg = logit(p);
  return [lg, sim, value / n, left, above, pos, leftPos, absent / n, (value / n) * Math.min(1, Math.max(0, -lg) / 6), 1];
}

/** The probability with memory for a candidate. */
export function memoryProbability(weights: readonly number[], features: readonly number[]): number {
  let z = 0;
  for (let j = 0; j < features.length; j++) z += (weights[j] ?? 0) * features[j]!;
  return sigmoid(z);
}

/**
 * The scorer for one document with recalled memory: the base scorer's probability, adjusted by the
 * memory model for fields it has weights for; the memory calibration for those fields.
 */
export class MemoryScorer implements FieldScorer {
  readonly name: string;
  private readonly candidateOf = new Map<Sparse, Candidate>();
  private readonly cache = new Map<string, number>();

  constructor(private readonly base: FieldScorer, private readonly model: MemoryModel, private readonly prep: Prepared, readonly recalled: readonly Recalled[]) {
    this.name = `${base.name}+memory`;
    for (const [c, row] of prep.rows) this.candidateOf.set(row, c);
  }

  probability(field: ScoredField, row: Sparse): number {
    const p = this.base.probability(field, row);
    const w = this.model.weights[field]; const c = this.candidateOf.get(row);
    if (!w || !c) return p;
    const key = `${field}:${c.start}:${c.end}:${c.value}`;
    let q = this.cache.get(key);
    if (q === undefined) { q = memoryProbability(w, memoryFeatures(this.prep, field, c, p, this.recalled)); this.cache.set(key, q); }
    return q;
  }
  noneLogit(field: ScoredField): number { return this.base.noneLogit(field); }
  calibrate(field: ScoredField, marginal: number): number {
    const m = this.model.calibration[field];
    return m && this.model.weights[field] ? applyPlatt(m, marginal) : this.base.calibrate(field, marginal);
  }
  get joint(): JointParams { return this.base.joint; }
  get reviewThreshold(): number | null { return this.base.reviewThreshold; }
  get usesNer(): boolean { return this.base.usesNer; }
}

/** The scorer to use for a prepared document: with memory when the base has a memory model and the pool recalls documents. */
export function withMemory(base: FieldScorer, prep: Prepared, pool: readonly MemoryDoc[] | undefined, tenant?: string): FieldScorer {
  const model = base.memory;
  if (!model || !pool?.length) return base;
  const recalled = recall(pool, vocabularyOf(prep), { tenant, k: model.recall, minSimilarity: model.minSimilarity });
  return recalled.length ? new MemoryScorer(base, model, prep, recalled) : base;
}
