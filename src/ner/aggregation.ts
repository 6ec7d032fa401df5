import { bioTransitions, bioViterbi } from './bio-decode.js';
import { constrain, crfDecode, type Crf } from './crf-decode.js';

export const AGGREGATIONS = ['none', 'simple', 'first', 'average', 'max'] as const;
export type AggregationStrategy = (typeof AGGREGATIONS)[number];

/** One token of the document with its class probabilities (the pipeline's "pre-entity"). */
export interface PreEntity {
  id: number;
  /** The token string; for the unknown token, the text it stands for (as the pipeline does). */
  token: string;
  scores: Float32Array;
  start: number;
  end: number;
  /** Pipeline index: position in the model input, [CLS] being 0. */
  index: number;
  /** Not the first token of its word: joins the previous token under first/average/max. */
  isSubword: boolean;
  word: number;
}

/** A labelled unit after aggregation: a token (none, simple) or a word (first, average, max). */
export interface LabelledUnit {
  label: string;
  score: number;
  /** Token strings of the unit, for the pipeline's `word` (convert_tokens_to_string). */
  tokens: string[];
  token: string;
  start: number;
  end: number;
  index: number;
  firstWord: number;
  lastWord: number;
}

/** An entity with the pipeline's fields plus the words it covers. */
export interface AggregatedEntity {
  /** `entity` under none (the raw label), `entity_group` otherwise (the type without B-/I-). */
  label: string;
  score: number;
  tokens: string[];
  /** Set under none only: the token string and its pipeline index. */
  token?: string;
  index?: number;
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

function maxOf(v: Float32Array): number {
  let m = -Infinity;
  for (const x of v) if (x > m) m = x;
  return m;
}

/**
 * Combines a word's token scores per strategy (the pipeline's aggregate_word):
 * first = the first token's scores; average = the mean of its tokens' scores, label its argmax;
 * max = the scores of the token whose top score is highest (the first such token on ties).
 */
function combineWord(tokens: PreEntity[], strategy: 'first' | 'average' | 'max'): Float32Array {
  if (strategy === 'first') return tokens[0]!.scores;
  if (strategy === 'max') {
    let best = tokens[0]!;
    for (const t of tokens) if (maxOf(t.scores) > maxOf(best.scores)) best = t;
    return best.scores;
  }
  const mean = new Float32Array(tokens[0]!.scores.length);
  for (const t of tokens) t.scores.forEach((v, i) => { mean[i]! += v; });
  for (let i = 0; i < mean.length; i++) mean[i]! /= tokens.length;
  return mean;
}

/**
 * Tokens (none, simple) or words (first, average, max) with a label each: argmax, or BIO-constrained
 * Viterbi; with a CRF (the bundle's trained transitions), word units are decoded by the CRF (its
 * Viterbi path, each unit scored by its CRF marginal; `bio` adds the IOB2 rule as hard constraints).
 * Token units (none, simple) never use the CRF: it was trained over words, as the pipeline's
 * per-token argmax semantics are kept there.
 */
export function labelUnits(pre: PreEntity[], labels: readonly string[], strategy: AggregationStrategy, bio: boolean, crf: Crf | null = null): LabelledUnit[] {
  const groups: PreEntity[][] = [];
  if (strategy === 'none' || strategy === 'simple') {
    for (const p of pre) groups.push([p]);
  } else {
    for (const p of pre) {
      const last = groups[groups.length - 1];
      if (last && p.isSubword) last.push(p);
      else groups.push([p]);
    }
  }
  const vectors = groups.map((g) => (g.length === 1 || strategy === 'none' || strategy === 'simple'
    ? g[0]!.scores : combineWord(g, strategy as 'first' | 'average' | 'max')));
  const wordUnits = strategy !== 'none' && strategy !== 'simple';
  let chosen: number[];
  let scores: number[];
  if (crf && wordUnits) {
    const { allowed, canStart } = bioTransitions(labels);
    ({ path: chosen, scores } = crfDecode(vectors, bio ? constrain(crf, allowed, canStart) : crf));
  } else {
    chosen = bio ? bioViterbi(vectors, labels) : vectors.map(argmax);
    scores = chosen.map((label, k) => vectors[k]![label]!);
  }
  return groups.map((g, k) => {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const label = chosen[k]!;
    return {
      label: labels[label]!,
      score: scores[k]!,
      tokens: g.map((t) => t.token),
      token: first.token,
      start: first.start,
      end: last.end,
      index: first.index,
      firstWord: first.word,
      lastWord: last.word,
    };
  });
}

/** The pipeline's get_tag: "B-X" -> (B, X), "I-X" -> (I, X), anything else (O, bare types) -> (I, label). */
export function splitTag(label: string): { bi: 'B' | 'I'; tag: string } {
  if (label.startsWith('B-')) return { bi: 'B', tag: label.slice(2) };
  if (label.startsWith('I-')) return { bi: 'I', tag: label.slice(2) };
  return { bi: 'I', tag: label };
}

/**
 * The pipeline's group_entities: a unit joins the open group when its tag equals the previous unit's
 * tag and it is not a B-; otherwise it opens a new group. So B-ORG O I-ORG gives ORG, O, ORG; B after
 * B splits; an I-X after O opens X. A group's score is the mean of its units' scores.
 */
export function groupUnits(units: LabelledUnit[]): AggregatedEntity[] {
  const out: AggregatedEntity[] = [];
  let open: LabelledUnit[] = [];
  const close = () => {
    if (open.length === 0) return;
    const first = open[0]!;
    const last = open[open.length - 1]!;
    out.push({
      label: splitTag(first.label).tag,
      score: open.reduce((s, u) => s + u.score, 0) / open.length,
      tokens: open.flatMap((u) => u.tokens),
      start: first.start,
      end: last.end,
      firstWord: first.firstWord,
      lastWord: last.lastWord,
    });
    open = [];
  };
  for (const unit of units) {
    const prev = open[open.length - 1];
    if (prev) {
      const cur = splitTag(unit.label);
      if (!(cur.tag === splitTag(prev.label).tag && cur.bi !== 'B')) close();
    }
    open.push(unit);
  }
  close();
  return out;
}

/** Aggregates per strategy and drops entities whose label (none) or group (others) is in ignoreLabels. */
export function aggregate(
  pre: PreEntity[], labels: readonly string[],
  options: { strategy: AggregationStrategy; ignoreLabels: readonly string[]; bio: boolean; crf?: Crf | null },
): AggregatedEntity[] {
  const units = labelUnits(pre, labels, options.strategy, options.bio, options.crf ?? null);
  const ignore = new Set(options.ignoreLabels);
  const entities: AggregatedEntity[] = options.strategy === 'none'
    ? units.map((u) => ({ label: u.label, score: u.score, tokens: u.tokens, token: u.token, index: u.index, start: u.start, end: u.end, firstWord: u.firstWord, lastWord: u.lastWord }))
    : groupUnits(units);
  return entities.filter((e) => !ignore.has(e.label));
}
