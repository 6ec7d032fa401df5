import { assign } from '../assign.js';
import type { Candidate } from '../candidates.js';
import { prepare, scoreAll, type Prepared } from '../decide.js';
import { trainGbdt, type GbdtModel, type GbdtOptions, type Sparse } from '../scorer/gbdt.js';
import { fitIsotonic } from '../scorer/isotonic.js';
import { fitPlattGroups } from '../scorer/platt.js';
import { applyCalibration, DEFAULT_JOINT, FIELD_KIND, LearnedScorer, SCORED_FIELDS, type CalibrationModel, type FieldScorer, type ScorerFile, type ScoredField } from '../scorer/scorer.js';
import type { LabelledDoc } from './dataset.js';
import { fitMemory, type OutOfFold } from './fit-memory.js';
import { sameValue } from './truth.js';

/** A labelled document read up to its feature rows. */
export interface PreparedDoc { doc: LabelledDoc; prep: Prepared }

/**
 * Features with the token classifier's spans (when the document has unseen spans) or without.
 * `nerOnSynth` false keeps them off synthetic training documents: the classifier was trained on the
 * same generator's output, so its spans there are far more reliable than on real invoices, and a
 * scorer that learns their weight from them trusts the classifier too much on real layouts.
 */
export function prepareDoc(doc: LabelledDoc, useNer: boolean, nerOnSynth = true): PreparedDoc {
  const spans = useNer && (nerOnSynth || doc.source !== 'synth') ? doc.spans : null;
  return { doc, prep: prepare(doc.text, spans) };
}

export interface FitOptions {
  gbdt?: GbdtOptions;
  /** Negatives kept per document and field (all positives are kept). */
  maxNegatives?: number;
  innerFolds?: number;
  /** Row weight per training source (real invoices count more than synthetic ones); default 1. */
  sourceWeights?: Partial<Record<LabelledDoc['source'], number>>;
  usesNer: boolean;
  /** How marginals become confidences, fitted out of fold: Platt scaling (default) or isotonic regression. */
  calibration?: 'platt' | 'isotonic';
  /**
   * The documents whose out-of-fold fields fit the calibration and the review threshold: those the
   * scorer is for (default: real e-invoices; the OCR scorer: documents read by our OCR).
   */
  calibrateOn?: (doc: LabelledDoc) => boolean;
  /** Fit the layout-memory model too (default true). */
  memory?: boolean;
  /** Documents that only the memory model learns from (vendor histories): scored by a scorer that never saw them. */
  memoryOnly?: PreparedDoc[];
  log?: (s: string) => void;
}

/** A deterministic hash in [0, 1) for subsampling negatives. */
function unit(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/** One gradient-boosted model per field, on the candidates of documents that label the field. */
export function fitFieldModels(train: PreparedDoc[], options: FitOptions): Partial<Record<ScoredField, GbdtModel>> {
  const maxNeg = options.maxNegatives ?? 60;
  const models: Partial<Record<ScoredField, GbdtModel>> = {};
  for (const field of SCORED_FIELDS) {
    const rows: Sparse[] = []; const labels: number[] = []; const weights: number[] = [];
    for (const { doc, prep } of train) {
      if (!(field in doc.truth)) continue;
      const w = options.sourceWeights?.[doc.source] ?? 1;
      const before = rows.length;
      const want = doc.truth[field] ?? null;
      const negs: Candidate[] = [];
      for (const c of prep.candidates[FIELD_KIND[field]]) {
        if (want !== null && sameValue(field, c.value, want)) { rows.push(prep.rows.get(c)!); labels.push(1); } else negs.push(c);
      }
      const keep = negs.length <= maxNeg ? negs : negs.filter((c) => unit(`${doc.id}:${field}:${c.start}:${c.value}`) < maxNeg / negs.length);
      for (const c of keep) { rows.push(prep.rows.get(c)!); labels.push(0); }
      for (let i = before; i < rows.length; i++) weights.push(w);
    }
    if (labels.some((y) => y === 1)) models[field] = trainGbdt(rows, labels, { ...options.gbdt, weights });
  }
  return models;
}

/** What the scorer chose for a field of a document, and whether it was right. */
export interface Outcome {
  doc: string; field: ScoredField; value: string | null; right: boolean; marginal: number; confidence: number; scored: boolean;
  /** The field's top options with their probabilities, for reading misses. */
  top?: string;
}

const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));

/** Groups into k folds, round-robin over the sorted group names. */
export function foldsOf(docs: PreparedDoc[], k: number): PreparedDoc[][] {
  const groups = [...new Set(docs.map((d) => d.doc.group))].sort();
  const index = new Map(groups.map((g, i) => [g, i % k]));
  const folds: PreparedDoc[][] = Array.from({ length: k }, () => []);
  for (const d of docs) folds[index.get(d.doc.group)!]!.push(d);
  return folds.filter((f) => f.length);
}

function scorerFile(models: ScorerFile['models'], none: ScorerFile['none'], calibration: ScorerFile['calibration'], threshold: number, usesNer: boolean, trainedOn: Record<string, number>): ScorerFile {
  return { format: 'ledgerlens-scorer', version: 1, models, calibration, none, joint: DEFAULT_JOINT, reviewThreshold: threshold, usesNer, trainedOn };
}

/** Runs a scorer over documents: per field the chosen value, its marginal and calibrated confidence, and whether it is right. */
export function outcomes(docs: PreparedDoc[], scorer: FieldScorer): Outcome[] {
  const out: Outcome[] = [];
  for (const { doc, prep } of docs) {
    const fields = SCORED_FIELDS.filter((f) => f in doc.truth);
    const options = scoreAll(prep, scorer, fields);
    const choices = assign(options, scorer.joint);
    for (const [field, ch] of choices) {
      const value = ch.c?.value ?? null;
      const top = options.find((o) => o.field === field)!.options.slice(0, 3).map((o) => `${JSON.stringify(o.c.value)} ${o.p.toFixed(2)}`).join('; ');
      out.push({ top,
        doc: doc.id, field, value, right: sameValue(field, value, doc.truth[field] ?? null),
        marginal: ch.marginal, confidence: scorer.calibrate(field, ch.marginal), scored: doc.scored.has(field),
      });
    }
  }
  return out;
}

/** The lowest threshold whose auto-accepted fields are right at least `precision` of the time. */
export function chooseThreshold(results: Outcome[], precision = 0.99): number {
  const chosen = results.filter((r) => r.value !== null).sort((a, b) => b.confidence - a.confidence);
  let best = 1; let right = 0;
  chosen.forEach((r, i) => {
    if (r.right) right++;
    const next = chosen[i + 1];
    if (right / (i + 1) >= precision && (!next || next.confidence < r.confidence)) best = r.confidence;
  });
  return Math.min(0.999, best);
}

/**
 * The whole scorer from training documents: field models; out of fold (grouped inner folds) the
 * per-field log-odds of "no value", the isotonic calibration of the assignment's marginals and the
 * review threshold; then the field models refitted on all of them.
 */
export function fitScorer(train: PreparedDoc[], options: FitOptions): ScorerFile {
  const log = options.log ?? (() => {});
  const folds = foldsOf(train, options.innerFolds ?? 3);
  const oofOptions: Array<{ d: PreparedDoc; opts: ReturnType<typeof scoreAll> }> = [];
  const oofScorers: OutOfFold[] = [];
  for (const [i, fold] of folds.entries()) {
    const rest = folds.filter((_, j) => j !== i).flat();
    const s = new LearnedScorer(scorerFile(fitFieldModels(rest, options), {}, {}, 0.9, options.usesNer, {}));
    for (const d of fold) {
      oofOptions.push({ d, opts: scoreAll(d.prep, s, SCORED_FIELDS.filter((f) => f in d.doc.truth)) });
      oofScorers.push({ d, scorer: s });
    }
    log(`inner fold ${i + 1}/${folds.length}`);
  }
  // "no value" log-odds per field: the grid value that gets most fields right when the top option
  // is taken only above it
  const none: ScorerFile['none'] = {};
  for (const field of SCORED_FIELDS) {
    let best = 0; let bestRight = -1;
    for (let b = -6; b <= 3; b += 0.5) {
      let right = 0;
      for (const { d, opts } of oofOptions) {
        const o = opts.find((x) => x.field === field);
        if (!o) continue;
        const top = o.options[0];
        const value = top && logit(top.p) > b ? top.c.value : null;
        if (sameValue(field, value, d.doc.truth[field] ?? null)) right++;
      }
      if (right > bestRight) { bestRight = right; best = b; }
    }
    none[field] = best;
  }
  for (const { opts } of oofOptions) for (const o of opts) o.noneLogit = none[o.field] ?? 0;
  // the constraints' weights: the grid point that gets most fields right out of fold
  let joint = DEFAULT_JOINT; let jointRight = -1;
  for (const ownerMatch of [0, 0.75, 1.5]) {
    for (const sumFits of [1.5, 3]) {
      const j = { ...DEFAULT_JOINT, ownerMatch, sumFits };
      let right = 0;
      for (const { d, opts } of oofOptions) {
        for (const [field, ch] of assign(opts, j)) if (sameValue(field, ch.c?.value ?? null, d.doc.truth[field] ?? null)) right++;
      }
      if (right > jointRight) { jointRight = right; joint = j; }
    }
  }
  const calibration: Partial<Record<ScoredField, CalibrationModel>> = {};
  const pooled: Outcome[] = [];
  const target: Outcome[] = [];
  const calibrateOn = options.calibrateOn ?? ((doc: LabelledDoc) => doc.source === 'einvoice');
  for (const { d, opts } of oofOptions) {
    for (const [field, ch] of assign(opts, joint)) {
      if (!ch.c) continue;
      const right = sameValue(field, ch.c.value, d.doc.truth[field] ?? null);
      const o = { doc: d.doc.id, field, value: ch.c.value, right, marginal: ch.marginal, confidence: 0, scored: d.doc.scored.has(field) };
      pooled.push(o);
      if (calibrateOn(d.doc)) target.push(o);
    }
  }
  // calibrate on the documents the scorer is for (real invoices by default) when the training set
  // has enough of them: synthetic and receipt fields are easier, and a curve fitted on them is
  // overconfident on real invoices
  const calib = target.length >= 150 ? target : pooled;
  if (options.calibration === 'isotonic') {
    for (const field of new Set(calib.map((r) => r.field))) {
      const list = calib.filter((r) => r.field === field);
      calibration[field] = fitIsotonic(list.map((r) => r.marginal), list.map((r) => (r.right ? 1 : 0)));
    }
  } else {
    const models = fitPlattGroups(calib.map((r) => r.marginal), calib.map((r) => (r.right ? 1 : 0)), calib.map((r) => r.field));
    for (const [field, m] of models) calibration[field as ScoredField] = m;
  }
  for (const r of calib) r.confidence = applyCalibration(calibration[r.field]!, r.marginal);
  if (process.env.LEDGERLENS_DEBUG_CALIBRATION) {
    const hist = [0, 0.5, 0.9, 0.99, 0.999, 1.01].slice(0, -1).map((lo, i, a) => { const hi = [0.5, 0.9, 0.99, 0.999, 1.01][i]!; const b = calib.filter((r) => r.marginal >= lo && r.marginal < hi); return `${lo}:${b.length}/${b.filter((r) => r.right).length}`; });
    process.stderr.write(`calibration on ${calib.length} (${target.length} of the scorer's kind): ${hist.join(' ')}; ${JSON.stringify(calibration["total"])}\n`);
  }
  const threshold = chooseThreshold(calib.filter((r) => r.scored));
  log(`out of fold: threshold ${threshold.toFixed(3)}; refitting on ${train.length} documents`);
  const trainedOn: Record<string, number> = {};
  for (const { doc } of train) trainedOn[doc.source] = (trainedOn[doc.source] ?? 0) + 1;
  const unseen = oofScorers[0]?.scorer;
  const extra = unseen ? (options.memoryOnly ?? []).map((d) => ({ d, scorer: unseen })) : [];
  const memory = options.memory === false ? undefined : fitMemory([...oofScorers, ...extra], none, joint, log);
  return { ...scorerFile(fitFieldModels(train, options), none, calibration, threshold, options.usesNer, trainedOn), joint, ...(memory ? { memory } : {}) };
}
