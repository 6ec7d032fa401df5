/**
 * Token-level scores for label sets that are not IOB chunk tags (part-of-speech tags, bare classes),
 * where entity-level seqeval has no meaning: accuracy, and per tag the precision, recall and F1 of
 * the tokens predicted / labelled with it (sklearn's classification_report over flattened tokens).
 * Returned in seqeval's report shape, so the same report printer serves both.
 */
import { LedgerlensError } from '../core/errors.js';
import type { EvalReport, TypeScore } from './seqeval.js';

const CHUNK_TAG = /^[BIESLU]-./u;

/** True when every label is O or a chunk tag (B-X, I-X, E-X, S-X, L-X, U-X): score entities. */
export function isChunkLabelSet(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((l) => l === 'O' || CHUNK_TAG.test(l)) && labels.some((l) => l !== 'O');
}

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
const f1Of = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

export function tokenReport(yTrue: readonly (readonly string[])[], yPred: readonly (readonly string[])[]): EvalReport {
  if (yTrue.length !== yPred.length || yTrue.some((s, i) => s.length !== yPred[i]!.length)) {
    throw new LedgerlensError('INVALID_INPUT', 'y_true and y_pred must have the same sentences and lengths');
  }
  const gold = new Map<string, number>();
  const pred = new Map<string, number>();
  const hit = new Map<string, number>();
  let correct = 0;
  let total = 0;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  yTrue.forEach((sentence, s) => sentence.forEach((t, i) => {
    const p = yPred[s]![i]!;
    total++;
    bump(gold, t);
    bump(pred, p);
    if (p === t) { correct++; bump(hit, t); }
  }));
  const names = [...new Set([...gold.keys(), ...pred.keys()])].sort();
  const types: Record<string, TypeScore> = {};
  for (const name of names) {
    const precision = div(hit.get(name) ?? 0, pred.get(name) ?? 0);
    const recall = div(hit.get(name) ?? 0, gold.get(name) ?? 0);
    types[name] = { precision, recall, f1: f1Of(precision, recall), support: gold.get(name) ?? 0 };
  }
  const rows = Object.values(types);
  const mean = (f: (s: TypeScore) => number) => div(rows.reduce((a, s) => a + f(s), 0), rows.length);
  const weighted = (f: (s: TypeScore) => number) => div(rows.reduce((a, s) => a + f(s) * s.support, 0), total);
  const accuracy = div(correct, total);
  return {
    types,
    // every token has exactly one gold and one predicted tag: micro P = R = F1 = accuracy
    micro: { precision: accuracy, recall: accuracy, f1: accuracy, support: total },
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), support: total },
    weighted: { precision: weighted((s) => s.precision), recall: weighted((s) => s.recall), f1: weighted((s) => s.f1), support: total },
    accuracy,
    truePositives: correct,
    predicted: total,
    gold: total,
  };
}
