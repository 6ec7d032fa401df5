import type { EntitySpan } from '../core/entity-span.js';
import type { DocumentText } from '../core/document-text.js';
import { assign, type Choice, type FieldOptions } from './assign.js';
import { findCandidates, type Candidate, type CandidateKind } from './candidates.js';
import { docContext, type DocContext } from './context.js';
import { featurize } from './features.js';
import type { Sparse } from './scorer/gbdt.js';
import { FIELD_KIND, SCORED_FIELDS, type FieldScorer, type ScoredField } from './scorer/scorer.js';

/** How many distinct values per field enter the joint assignment. */
export const TOP_K = 4;

/** A document read up to its feature rows: independent of the scorer, so training reuses it. */
export interface Prepared {
  ctx: DocContext;
  candidates: Record<CandidateKind, Candidate[]>;
  rows: Map<Candidate, Sparse>;
}

export function prepare(text: DocumentText, spans: EntitySpan[] | null): Prepared {
  const ctx = docContext(text, spans);
  const candidates = findCandidates(ctx);
  return { ctx, candidates, rows: featurize(ctx, candidates) };
}

/** Each field's candidates with the scorer's probability, best first, one per distinct value. */
export function scoreAll(prep: Prepared, scorer: FieldScorer, fields: readonly ScoredField[] = SCORED_FIELDS): FieldOptions[] {
  return fields.map((field) => {
    const best = new Map<string, { c: Candidate; p: number }>();
    for (const c of prep.candidates[FIELD_KIND[field]]) {
      const p = scorer.probability(field, prep.rows.get(c)!);
      const prev = best.get(c.value);
      if (!prev || p > prev.p) best.set(c.value, { c, p });
    }
    const options = [...best.values()].sort((a, b) => b.p - a.p).slice(0, TOP_K);
    return { field, options, noneLogit: scorer.noneLogit(field) };
  });
}

/** The chosen value per field with its calibrated confidence. */
export interface Decision { c: Candidate | null; marginal: number; confidence: number }

export function decide(prep: Prepared, scorer: FieldScorer, fields: readonly ScoredField[] = SCORED_FIELDS): Map<ScoredField, Decision> {
  const choices: Map<ScoredField, Choice> = assign(scoreAll(prep, scorer, fields), scorer.joint);
  const out = new Map<ScoredField, Decision>();
  for (const [field, ch] of choices) out.set(field, { ...ch, confidence: scorer.calibrate(field, ch.marginal) });
  return out;
}
