import * as ort from 'onnxruntime-node';
import type { BBox } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import { aggregate, AGGREGATIONS, labelUnits, type AggregationStrategy, type PreEntity } from './aggregation.js';
import type { ModelBundle } from './model-bundle.js';
import { assignWindows, planWindows } from './windows.js';
import { segmentText } from './word-tokenizer.js';

/** A box normalised to the page: 0-1000 on both axes (LayoutLM's convention). */
export type BBox01000 = [number, number, number, number];

export interface NerOptions {
  /** Default 'first' for words and documents, 'none' for classifyText (as the Python pipeline). */
  aggregation?: AggregationStrategy;
  /** Labels (none) or groups (others) left out of the entities. Default ['O']. */
  ignoreLabels?: string[];
  /** Tokens shared by consecutive windows. Default min(32, half a window). */
  stride?: number;
  /** Windows per onnxruntime run. Default 8. */
  batchSize?: number;
  /** Window length in tokens, special tokens included. Default and ceiling: the model's maximum length. */
  maxLength?: number;
  /** BIO-constrained (Viterbi) labels instead of per-unit argmax. Default false. */
  bioConstrained?: boolean;
}

export interface InputWord {
  text: string;
  /** 0-1000 box fed to models with a bbox input. */
  bbox?: BBox01000;
  page?: number;
  /** The word's box in page units, unioned into entity boxes. */
  pageBox?: BBox;
  /** Offsets into the caller's text; default: offsets into the words joined by single spaces. */
  start?: number;
  end?: number;
}

export interface WordPrediction { label: string; score: number }

export interface WordEntity {
  label: string;
  score: number;
  /** The pipeline's `word`: the entity's tokens decoded. */
  word: string;
  start: number;
  end: number;
  /** Input word indices covered, inclusive. */
  firstWord: number;
  lastWord: number;
  page: number | null;
  bbox: BBox | null;
  /** Under aggregation none: the pipeline index of the token. */
  index?: number;
}

export interface WordsResult {
  /** One per input word: its label by the aggregation's word rule (first subword under none/simple). */
  words: WordPrediction[];
  entities: WordEntity[];
}

export type PipelineEntity =
  | { entity: string; score: number; index: number; word: string; start: number; end: number }
  | { entity_group: string; score: number; word: string; start: number; end: number };

interface Resolved { aggregation: AggregationStrategy; ignoreLabels: string[]; stride: number; batchSize: number; capacity: number; bio: boolean }

function resolveOptions(bundle: ModelBundle, options: NerOptions, defaultAggregation: AggregationStrategy): Resolved {
  const aggregation = options.aggregation ?? defaultAggregation;
  if (!AGGREGATIONS.includes(aggregation)) throw new LedgerlensError('INVALID_INPUT', `unknown aggregation '${aggregation}' (${AGGREGATIONS.join(', ')})`);
  const specials = bundle.tokenizer.specials.prefix.length + bundle.tokenizer.specials.suffix.length;
  const maxLength = Math.min(options.maxLength ?? bundle.maxLength, bundle.maxLength);
  const capacity = maxLength - specials;
  if (capacity < 2) throw new LedgerlensError('INVALID_INPUT', `maxLength ${maxLength} leaves no room for tokens`);
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new LedgerlensError('INVALID_INPUT', `batchSize must be a positive integer`);
  return {
    aggregation,
    ignoreLabels: options.ignoreLabels ?? ['O'],
    stride: options.stride ?? Math.min(32, Math.floor(capacity / 2)),
    batchSize,
    capacity,
    bio: options.bioConstrained ?? false,
  };
}

interface Row { ids: number[]; bbox: BBox01000[] }

/** Runs windows in batches (padded to the longest row of each batch); returns softmax probabilities per row. */
async function runRows(bundle: ModelBundle, rows: Row[], batchSize: number): Promise<Float32Array[]> {
  const k = bundle.labels.length;
  const order = rows.map((_, i) => i).sort((a, b) => rows[b]!.ids.length - rows[a]!.ids.length);
  const out = new Array<Float32Array>(rows.length);
  for (let b = 0; b < order.length; b += batchSize) {
    const batch = order.slice(b, b + batchSize);
    const len = rows[batch[0]!]!.ids.length;
    const n = batch.length;
    const ids = new BigInt64Array(n * len).fill(BigInt(bundle.tokenizer.padId));
    const mask = new BigInt64Array(n * len);
    const bbox = bundle.inputs.bbox ? new BigInt64Array(n * len * 4) : null;
    batch.forEach((r, i) => {
      const row = rows[r]!;
      row.ids.forEach((id, t) => { ids[i * len + t] = BigInt(id); mask[i * len + t] = 1n; });
      if (bbox) row.bbox.forEach((box, t) => { for (let c = 0; c < 4; c++) bbox[(i * len + t) * 4 + c] = BigInt(box[c]!); });
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [n, len]),
      attention_mask: new ort.Tensor('int64', mask, [n, len]),
    };
    if (bundle.inputs.tokenTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * len), [n, len]);
    if (bbox) feeds.bbox = new ort.Tensor('int64', bbox, [n, len, 4]);
    const result = await bundle.session.run(feeds);
    const logits = result[bundle.outputName]!.data as Float32Array;
    batch.forEach((r, i) => {
      const rowLen = rows[r]!.ids.length;
      const probs = new Float32Array(rowLen * k);
      for (let t = 0; t < rowLen; t++) {
        const base = (i * len + t) * k;
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, logits[base + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(logits[base + c]! - max);
        for (let c = 0; c < k; c++) probs[t * k + c] = Math.exp(logits[base + c]! - max) / sum;
      }
      out[r] = probs;
    });
  }
  return out;
}

/** The raw logits of one encoded row, for numeric checks against the training framework. */
export async function rawLogits(bundle: ModelBundle, ids: number[], bbox?: BBox01000[]): Promise<Float32Array> {
  const n = ids.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  };
  if (bundle.inputs.tokenTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n), [1, n]);
  if (bundle.inputs.bbox) feeds.bbox = new ort.Tensor('int64', BigInt64Array.from((bbox ?? ids.map(() => [0, 0, 0, 0])).flat().map(BigInt)), [1, n, 4]);
  const out = await bundle.session.run(feeds);
  return out[bundle.outputName]!.data as Float32Array;
}

interface Sequence { words: InputWord[]; starts: number[] }

/**
 * Tokenises each sequence word by word, runs its windows (all sequences' windows batched together),
 * and returns one pre-entity per token with the probabilities of the window that owns its word.
 */
async function predictSequences(bundle: ModelBundle, seqs: Sequence[], opts: Resolved): Promise<PreEntity[][]> {
  const { prefix, suffix } = bundle.tokenizer.specials;
  const k = bundle.labels.length;
  const rows: Row[] = [];
  const plans = seqs.map((seq) => {
    // A word longer than a window keeps its first `capacity` tokens.
    const toks = seq.words.map((w) => {
      const t = bundle.tokenizer.tokenizeWord(w.text);
      return t.ids.length <= opts.capacity ? t : { ids: t.ids.slice(0, opts.capacity), tokens: t.tokens.slice(0, opts.capacity), offsets: t.offsets.slice(0, opts.capacity) };
    });
    const counts = toks.map((t) => t.ids.length);
    const windows = planWindows(counts, opts.capacity, opts.stride);
    const owner = assignWindows(counts, windows);
    const firstRow = rows.length;
    for (const w of windows) {
      const ids = [...prefix];
      const bbox: BBox01000[] = prefix.map(() => [0, 0, 0, 0]);
      for (let i = w.start; i < w.end; i++) {
        const box = seq.words[i]!.bbox ?? [0, 0, 0, 0];
        for (const id of toks[i]!.ids) { ids.push(id); bbox.push(box); }
      }
      for (const id of suffix) { ids.push(id); bbox.push([1000, 1000, 1000, 1000]); }
      rows.push({ ids, bbox });
    }
    return { toks, windows, owner, firstRow };
  });
  const probs = await runRows(bundle, rows, opts.batchSize);

  return plans.map((plan, s) => {
    const seq = seqs[s]!;
    // Each word reads its tokens' probabilities from its owning window, at its offset in that window.
    const pre: PreEntity[] = [];
    let global = 0;
    plan.toks.forEach((t, wi) => {
      const win = plan.owner[wi]!;
      if (win < 0 || t.ids.length === 0) return;
      const w = plan.windows[win]!;
      let pos = prefix.length;
      for (let i = w.start; i < wi; i++) pos += plan.toks[i]!.ids.length;
      const p = probs[plan.firstRow + win]!;
      t.ids.forEach((id, j) => {
        const token = t.tokens[j]!;
        pre.push({
          id,
          token: bundle.tokenizer.isUnknown(token) ? seq.words[wi]!.text.slice(t.offsets[j]![0], t.offsets[j]![1]) : token,
          scores: p.subarray((pos + j) * k, (pos + j + 1) * k),
          start: seq.starts[wi]! + t.offsets[j]![0],
          end: seq.starts[wi]! + t.offsets[j]![1],
          index: prefix.length + global + j,
          isSubword: j > 0,
          word: wi,
        });
      });
      global += t.ids.length;
    });
    return pre;
  });
}

function unionBox(words: InputWord[], first: number, last: number): BBox | null {
  let box: BBox | null = null;
  for (let i = first; i <= last; i++) {
    const b = words[i]!.pageBox;
    if (!b) continue;
    box = box ? [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])] : [...b];
  }
  return box;
}

/** Word offsets: the caller's, else offsets into the words joined by single spaces. */
function wordStarts(words: InputWord[]): number[] {
  let pos = 0;
  return words.map((w) => {
    const start = w.start ?? pos;
    pos = start + w.text.length + 1;
    return start;
  });
}

/**
 * Classifies sequences of words (each sequence on its own: entities never span two sequences).
 * Windows of all sequences share batches.
 */
export async function classifyWordSequences(bundle: ModelBundle, sequences: InputWord[][], options: NerOptions = {}): Promise<WordsResult[]> {
  const opts = resolveOptions(bundle, options, 'first');
  const seqs = sequences.map((words) => ({ words, starts: wordStarts(words) }));
  const pres = await predictSequences(bundle, seqs, opts);
  const outside = bundle.labels.includes('O') ? 'O' : bundle.labels[0]!;
  return pres.map((pre, s) => {
    const words = seqs[s]!.words;
    const wordRule = opts.aggregation === 'none' || opts.aggregation === 'simple' ? 'first' : opts.aggregation;
    const predictions: WordPrediction[] = words.map(() => ({ label: outside, score: 0 }));
    for (const u of labelUnits(pre, bundle.labels, wordRule, opts.bio, bundle.crf)) predictions[u.firstWord] = { label: u.label, score: u.score };
    const entities = aggregate(pre, bundle.labels, { strategy: opts.aggregation, ignoreLabels: opts.ignoreLabels, bio: opts.bio, crf: bundle.crf })
      .map((e): WordEntity => ({
        label: e.label,
        score: e.score,
        word: opts.aggregation === 'none' ? e.token! : bundle.tokenizer.decode(e.tokens),
        start: e.start,
        end: e.end,
        firstWord: e.firstWord,
        lastWord: e.lastWord,
        page: words[e.firstWord]!.page ?? null,
        bbox: unionBox(words, e.firstWord, e.lastWord),
        ...(e.index !== undefined ? { index: e.index } : {}),
      }));
    return { words: predictions, entities };
  });
}

/**
 * Word-level classification of one word list (OCR words, CoNLL tokens). Consecutive words on
 * different pages form separate sequences, so no entity crosses a page.
 */
export async function classifyWords(bundle: ModelBundle, words: InputWord[], options: NerOptions = {}): Promise<WordsResult> {
  const starts = wordStarts(words);
  const runs: { from: number; words: InputWord[] }[] = [];
  words.forEach((w, i) => {
    const last = runs[runs.length - 1];
    const word = { ...w, start: starts[i]!, end: w.end ?? starts[i]! + w.text.length };
    if (last && words[last.from]!.page === w.page) last.words.push(word);
    else runs.push({ from: i, words: [word] });
  });
  const results = await classifyWordSequences(bundle, runs.map((r) => r.words), options);
  const out: WordsResult = { words: [], entities: [] };
  results.forEach((r, k) => {
    const from = runs[k]!.from;
    out.words.push(...r.words);
    out.entities.push(...r.entities.map((e) => ({ ...e, firstWord: e.firstWord + from, lastWord: e.lastWord + from })));
  });
  return out;
}

/**
 * Free text, as the Hugging Face pipeline: text is cut into words the way the bundle's training data
 * was (`bundle.wordSplit`: whitespace words as in DocumentText, or BertPreTokenizer pieces), each word
 * is tokenised on its own (the pipeline's is_split_into_words), and entities come back with the
 * pipeline's keys and character offsets. Default aggregation 'none', as the pipeline.
 */
export async function classifyText(bundle: ModelBundle, text: string, options: NerOptions = {}): Promise<PipelineEntity[]> {
  const aggregation = options.aggregation ?? 'none';
  const words = segmentText(text, bundle.wordSplit).map((w) => ({ text: w.text, start: w.start, end: w.end }));
  const [result] = await classifyWordSequences(bundle, [words], { ...options, aggregation });
  return result!.entities.map((e) => (aggregation === 'none'
    ? { entity: e.label, score: e.score, index: e.index!, word: e.word, start: e.start, end: e.end }
    : { entity_group: e.label, score: e.score, word: e.word, start: e.start, end: e.end }));
}
