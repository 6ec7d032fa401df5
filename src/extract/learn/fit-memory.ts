import { assign } from '../assign.js';
import { scoreAll } from '../decide.js';
import { DEFAULT_MIN_SIMILARITY, DEFAULT_RECALL, MEMORY_FEATURES, MemoryScorer, memoryDoc, memoryFeatures, recall, type MemoryDoc, type MemoryModel } from '../memory.js';
import { fitLogistic } from '../scorer/logistic.js';
import { fitPlattGroups } from '../scorer/platt.js';
import { FIELD_KIND, SCORED_FIELDS, type FieldScorer, type JointParams, type ScoredField } from '../scorer/scorer.js';
import type { PreparedDoc } from './fit.js';
import { sameValue } from './truth.js';

/** A training document with the scorer that never saw it (its inner fold's). */
export interface OutOfFold { d: PreparedDoc; scorer: FieldScorer }

/** A deterministic choice in [0, n) from a string. */
function pick(s: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}

/** How many reviewed documents a training document recalls: 1, 3 or 5, so that the model sees every stage of a vendor's history. */
const RECALL_SIZES = [1, 3, 5];
/** Negatives kept per document and field: the base scorer's best ones, and those the memory could mistake for the value. */
const MAX_NEGATIVES = 20;

const LEFT_POS = MEMORY_FEATURES.indexOf('leftPos'); const VALUE = MEMORY_FEATURES.indexOf('value');
/** How strongly the memory points at a candidate: the negatives it could most mislead are kept. */
const memoryPull = (f: number[]) => f[LEFT_POS]! + f[VALUE]!;

/** The training documents as memory, each source its own tenant (a receipt never recalls an invoice). */
export function trainingMemory(oof: readonly OutOfFold[]): MemoryDoc[] {
  return oof.map(({ d }) => memoryDoc(d.doc.id, d.doc.source, d.prep, d.doc.truth));
}

/**
 * Fits the memory model: per field a logistic regression from the out-of-fold probability and the
 * memory features to "this candidate is the value", on training documents that each recall the
 * other training documents of their source (never themselves); then the calibration of the
 * assignment's marginals with memory, on the same documents.
 */
export function fitMemory(oof: readonly OutOfFold[], none: Partial<Record<ScoredField, number>>, joint: JointParams, log: (s: string) => void = () => {}): MemoryModel {
  const pool = trainingMemory(oof);
  const rows = new Map<ScoredField, { x: number[][]; y: number[] }>();
  const withRecall: Array<{ o: OutOfFold; recalled: ReturnType<typeof recall> }> = [];
  for (const [i, o] of oof.entries()) {
    const { doc, prep } = o.d;
    const k = RECALL_SIZES[pick(doc.id, RECALL_SIZES.length)]!;
    const recalled = recall(pool, pool[i]!.vocab, { tenant: doc.source, exclude: doc.id, k, minSimilarity: DEFAULT_MIN_SIMILARITY });
    if (!recalled.length) continue;
    withRecall.push({ o, recalled });
    for (const field of SCORED_FIELDS) {
      if (!(field in doc.truth)) continue;
      const want = doc.truth[field] ?? null;
      const scored = prep.candidates[FIELD_KIND[field]].map((c) => {
        const p = o.scorer.probability(field, prep.rows.get(c)!);
        return { c, p, y: want !== null && sameValue(field, c.value, want) ? 1 : 0, f: memoryFeatures(prep, field, c, p, recalled) };
      });
      const negatives = scored.filter((s) => s.y === 0);
      const keep = new Set([
        ...[...negatives].sort((a, b) => b.p - a.p).slice(0, MAX_NEGATIVES / 2),
        ...[...negatives].sort((a, b) => memoryPull(b.f) - memoryPull(a.f)).slice(0, MAX_NEGATIVES / 2),
      ]);
      const r = rows.get(field) ?? { x: [], y: [] };
      for (const s of scored) if (s.y === 1 || keep.has(s)) { r.x.push(s.f); r.y.push(s.y); }
      rows.set(field, r);
    }
  }
  const weights: MemoryModel['weights'] = {};
  for (const [field, r] of rows) {
    if (r.y.filter((v) => v === 1).length < 10) continue;
    weights[field] = fitLogistic(r.x, r.y, { l2: 1 }).map((w) => Number(w.toPrecision(6)));
  }
  const model: MemoryModel = { features: MEMORY_FEATURES, weights, calibration: {}, recall: DEFAULT_RECALL, minSimilarity: DEFAULT_MIN_SIMILARITY };
  // calibration of the marginals with memory, per field with a shared slope
  const marginals: number[] = []; const right: number[] = []; const fields: string[] = [];
  for (const { o, recalled } of withRecall) {
    const base: FieldScorer = {
      name: 'fold', probability: (f, row) => o.scorer.probability(f, row), noneLogit: (f) => none[f] ?? 0, calibrate: (_f, m) => m,
      joint, reviewThreshold: null, usesNer: o.scorer.usesNer,
    };
    const s = new MemoryScorer(base, model, o.d.prep, recalled);
    const labelled = SCORED_FIELDS.filter((f) => f in o.d.doc.truth);
    for (const [field, ch] of assign(scoreAll(o.d.prep, s, labelled), joint)) {
      if (!ch.c || !weights[field]) continue;
      marginals.push(ch.marginal); right.push(sameValue(field, ch.c.value, o.d.doc.truth[field] ?? null) ? 1 : 0); fields.push(field);
    }
  }
  for (const [field, m] of fitPlattGroups(marginals, right, fields)) model.calibration[field as ScoredField] = m;
  log(`memory: ${withRecall.length}/${oof.length} training documents recall others; ${Object.keys(weights).length} fields weighted`);
  return model;
}
