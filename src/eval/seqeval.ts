/**
 * seqeval-compatible entity-level evaluation of tag sequences.
 *
 * Default mode follows conlleval (seqeval's get_entities): sentences are joined with an "O" between
 * them, an I-X after O or after another type opens an entity, and IOB1, IOB2 and IOBES all decode
 * with the same chunk-start/chunk-end rules. Strict mode (mode 'strict' with a scheme) follows
 * seqeval.scheme: an entity counts only when it starts and ends as the scheme prescribes (an orphan
 * I-X under IOB2, or B-X without E-X under IOBES, is no entity).
 */
import { LedgerlensError } from '../core/errors.js';

export type Scheme = 'IOB1' | 'IOB2' | 'IOBES';
export interface EvalOptions {
  mode?: 'default' | 'strict';
  /** Required in strict mode. */
  scheme?: Scheme;
}

/** [type, start, end]: start and end inclusive in default mode (seqeval get_entities) over the joined sequence. */
export type Chunk = [type: string, start: number, end: number];

function tagOf(chunk: string): { tag: string; type: string } {
  // Python: tag = chunk[0]; type_ = chunk[1:].split('-', maxsplit=1)[-1] or '_'
  const tag = chunk[0] ?? 'O';
  const rest = chunk.slice(1);
  const dash = rest.indexOf('-');
  return { tag, type: (dash < 0 ? rest : rest.slice(dash + 1)) || '_' };
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/** seqeval's get_entities (default, conlleval-compatible). Nested sentences are joined with "O". */
export function getEntities(seq: readonly string[] | readonly (readonly string[])[]): Chunk[] {
  const flat: string[] = seq.length > 0 && Array.isArray(seq[0])
    ? (seq as readonly (readonly string[])[]).flatMap((s) => [...s, 'O'])
    : [...(seq as readonly string[])];
  const chunks: Chunk[] = [];
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  [...flat, 'O'].forEach((chunk, i) => {
    const { tag, type } = tagOf(chunk);
    if (endOfChunk(prevTag, tag, prevType, type)) chunks.push([prevType, begin, i - 1]);
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  });
  return chunks;
}

// ---------------------------------------------------------------- strict mode (seqeval.scheme)
type Prefix = 'I' | 'O' | 'B' | 'E' | 'S';
type TagCond = 'SAME' | 'DIFF' | 'ANY';
type Pattern = [prev: Prefix[] | 'ANY', cur: Prefix[] | 'ANY', cond: TagCond];
interface SchemeRules { allowed: Prefix[]; start: Pattern[]; inside: Pattern[]; end: Pattern[] }

const SCHEMES: Record<Scheme, SchemeRules> = {
  IOB1: {
    allowed: ['I', 'O', 'B'],
    start: [[['O'], ['I'], 'ANY'], [['I'], ['I'], 'DIFF'], [['B'], ['I'], 'ANY'], [['I'], ['B'], 'SAME'], [['B'], ['B'], 'SAME']],
    inside: [[['B'], ['I'], 'SAME'], [['I'], ['I'], 'SAME']],
    end: [[['I'], ['I'], 'DIFF'], [['I'], ['O'], 'ANY'], [['I'], ['B'], 'ANY'], [['B'], ['O'], 'ANY'], [['B'], ['I'], 'DIFF'], [['B'], ['B'], 'SAME']],
  },
  IOB2: {
    allowed: ['I', 'O', 'B'],
    start: [['ANY', ['B'], 'ANY']],
    inside: [[['B'], ['I'], 'SAME'], [['I'], ['I'], 'SAME']],
    end: [[['I'], ['O'], 'ANY'], [['I'], ['I'], 'DIFF'], [['I'], ['B'], 'ANY'], [['B'], ['O'], 'ANY'], [['B'], ['I'], 'DIFF'], [['B'], ['B'], 'ANY']],
  },
  IOBES: {
    allowed: ['I', 'O', 'B', 'E', 'S'],
    start: [['ANY', ['B'], 'ANY'], ['ANY', ['S'], 'ANY']],
    inside: [[['B'], ['I'], 'SAME'], [['B'], ['E'], 'SAME'], [['I'], ['I'], 'SAME'], [['I'], ['E'], 'SAME']],
    end: [[['S'], 'ANY', 'ANY'], [['E'], 'ANY', 'ANY']],
  },
};

interface Tok { prefix: Prefix; tag: string }

function strictToken(token: string, rules: SchemeRules, scheme: Scheme): Tok {
  const prefix = token[0] as Prefix;
  if (!rules.allowed.includes(prefix)) {
    throw new LedgerlensError('INVALID_INPUT', `Invalid token is found: ${token}. Allowed prefixes for ${scheme} are: ${rules.allowed.join(', ')}.`);
  }
  const tag = token.slice(1).replace(/^-+|-+$/g, '') || '_';
  return { prefix, tag };
}

function matches(prev: Tok, cur: Tok, patterns: Pattern[]): boolean {
  return patterns.some(([p, c, cond]) => (p === 'ANY' || p.includes(prev.prefix)) && (c === 'ANY' || c.includes(cur.prefix))
    && (cond === 'ANY' || (cond === 'SAME') === (prev.tag === cur.tag)));
}

/** seqeval.scheme Tokens(...).entities for one sentence: [type, start, end) with end exclusive. */
export function getEntitiesStrict(sentence: readonly string[], scheme: Scheme): Chunk[] {
  const rules = SCHEMES[scheme];
  const outside = strictToken('O', rules, scheme);
  const tokens = [...sentence.map((t) => strictToken(t, rules, scheme)), outside];
  const entities: Chunk[] = [];
  const forward = (start: number, prev: Tok): number => {
    for (let i = start; i < tokens.length; i++) {
      if (matches(prev, tokens[i]!, rules.inside)) prev = tokens[i]!;
      else return i;
    }
    return tokens.length - 1;
  };
  let i = 0;
  let prev = outside;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (matches(prev, token, rules.start)) {
      const end = forward(i + 1, token);
      if (matches(tokens[end - 1]!, tokens[end]!, rules.end)) entities.push([token.tag, i, end]);
      i = end;
    } else {
      i += 1;
    }
    prev = tokens[i - 1]!;
  }
  return entities;
}

// ---------------------------------------------------------------- metrics
export interface TypeScore { precision: number; recall: number; f1: number; support: number }
export interface EvalReport {
  /** Per entity type, sorted by name. */
  types: Record<string, TypeScore>;
  micro: TypeScore;
  macro: TypeScore;
  weighted: TypeScore;
  accuracy: number;
  /** Counts behind the micro average. */
  truePositives: number;
  predicted: number;
  gold: number;
}

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
const f1Of = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

function entitySets(y: readonly (readonly string[])[], options: EvalOptions): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (type: string, key: string) => {
    let set = out.get(type);
    if (!set) out.set(type, (set = new Set()));
    set.add(key);
  };
  if (options.mode === 'strict') {
    if (!options.scheme) throw new LedgerlensError('INVALID_INPUT', 'strict mode needs a scheme (IOB1, IOB2, IOBES)');
    y.forEach((sentence, s) => { for (const [type, a, b] of getEntitiesStrict(sentence, options.scheme!)) add(type, `${s}:${a}:${b}`); });
  } else {
    for (const [type, a, b] of getEntities(y)) add(type, `${a}:${b}`);
  }
  return out;
}

/** Token accuracy over all sentences (seqeval accuracy_score). */
export function accuracyScore(yTrue: readonly (readonly string[])[], yPred: readonly (readonly string[])[]): number {
  let correct = 0;
  let total = 0;
  yTrue.forEach((sentence, s) => sentence.forEach((tag, i) => { total++; if (yPred[s]?.[i] === tag) correct++; }));
  return div(correct, total);
}

/**
 * seqeval's precision_recall_fscore_support for average None/micro/macro/weighted, plus accuracy.
 * Zero divisions count as 0 (seqeval's zero_division='warn' behaviour, without the warning).
 */
export function evaluate(yTrue: readonly (readonly string[])[], yPred: readonly (readonly string[])[], options: EvalOptions = {}): EvalReport {
  if (yTrue.length !== yPred.length || yTrue.some((s, i) => s.length !== yPred[i]!.length)) {
    throw new LedgerlensError('INVALID_INPUT', 'y_true and y_pred must have the same sentences and lengths');
  }
  const truth = entitySets(yTrue, options);
  const pred = entitySets(yPred, options);
  const names = [...new Set([...truth.keys(), ...pred.keys()])].sort();
  const types: Record<string, TypeScore> = {};
  let tp = 0;
  let nPred = 0;
  let nTrue = 0;
  for (const name of names) {
    const t = truth.get(name) ?? new Set<string>();
    const p = pred.get(name) ?? new Set<string>();
    let hit = 0;
    for (const key of p) if (t.has(key)) hit++;
    const precision = div(hit, p.size);
    const recall = div(hit, t.size);
    types[name] = { precision, recall, f1: f1Of(precision, recall), support: t.size };
    tp += hit; nPred += p.size; nTrue += t.size;
  }
  const rows = Object.values(types);
  const mean = (f: (s: TypeScore) => number, w?: (s: TypeScore) => number) => {
    if (rows.length === 0) return 0;
    if (!w) return rows.reduce((a, s) => a + f(s), 0) / rows.length;
    const total = rows.reduce((a, s) => a + w(s), 0);
    return div(rows.reduce((a, s) => a + f(s) * w(s), 0), total);
  };
  const microP = div(tp, nPred);
  const microR = div(tp, nTrue);
  const support = (s: TypeScore) => s.support;
  return {
    types,
    micro: { precision: microP, recall: microR, f1: f1Of(microP, microR), support: nTrue },
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), support: nTrue },
    weighted: { precision: mean((s) => s.precision, support), recall: mean((s) => s.recall, support), f1: mean((s) => s.f1, support), support: nTrue },
    accuracy: accuracyScore(yTrue, yPred),
    truePositives: tp,
    predicted: nPred,
    gold: nTrue,
  };
}

export const f1Score = (yTrue: string[][], yPred: string[][], options?: EvalOptions) => evaluate(yTrue, yPred, options).micro.f1;
export const precisionScore = (yTrue: string[][], yPred: string[][], options?: EvalOptions) => evaluate(yTrue, yPred, options).micro.precision;
export const recallScore = (yTrue: string[][], yPred: string[][], options?: EvalOptions) => evaluate(yTrue, yPred, options).micro.recall;

const right = (s: string, width: number) => s.padStart(width);

/** Python's '{:.Nf}': like toFixed, but an exact tie (0.125 at 2 digits) rounds half to even. */
export function pyFixed(x: number, digits: number): string {
  const scale = 10 ** digits;
  const scaled = x * scale;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && (floor + 0.5) / scale === x) return ((floor % 2 === 0 ? floor : floor + 1) / scale).toFixed(digits);
  return x.toFixed(digits);
}

/** seqeval's classification_report text (digits=2 by default), byte for byte. */
export function classificationReport(report: EvalReport, digits = 2): string {
  const names = Object.keys(report.types);
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const row = (name: string, s: TypeScore) => `${right(name, width)} ${[s.precision, s.recall, s.f1].map((v) => ` ${right(pyFixed(v, digits), 9)}`).join('')} ${right(String(s.support), 9)}`;
  const lines = [
    `${right('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${right(h, 9)}`).join('')}`,
    '',
    ...names.map((n) => row(n, report.types[n]!)),
    '',
    row('micro avg', report.micro),
    row('macro avg', report.macro),
    row('weighted avg', report.weighted),
    '',
  ];
  return lines.join('\n');
}
