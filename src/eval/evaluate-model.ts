import type { ModelBundle } from '../ner/model-bundle.js';
import { classifyWordSequences, type NerOptions } from '../ner/token-classifier.js';
import type { ConllSentence } from './conll.js';
import { evaluate, type EvalOptions, type EvalReport } from './seqeval.js';
import { isChunkLabelSet, tokenReport } from './token-accuracy.js';

export interface ModelEvaluation {
  /** 'entities' (seqeval) for IOB-style label sets, 'tokens' (token accuracy, per-tag scores) otherwise. */
  scoring: 'entities' | 'tokens';
  report: EvalReport;
  predictions: string[][];
  sentences: number;
  words: number;
}

/**
 * Scores a bundle on CoNLL sentences (or corpus records with word boxes, fed to bbox models) at word level: each word takes the label of its first subword
 * (aggregation 'first'; windows and stride as configured), then seqeval metrics over words.
 * Sentences are classified independently (no cross-sentence context), batched together; with
 * context 'document' the sentences of one CoNLL document are classified as one word sequence (stride
 * windows over the document, as the engine does for a long page) and the predictions are split back
 * into sentences, so the scores are per sentence either way.
 * A bundle whose labels are not chunk tags (part-of-speech tags) is scored per token instead.
 */
export async function evaluateModel(
  bundle: ModelBundle, sentences: ConllSentence[],
  options: { ner?: Omit<NerOptions, 'aggregation'>; eval?: EvalOptions; chunk?: number; context?: 'sentence' | 'document' } = {},
): Promise<ModelEvaluation> {
  // units classified as one sequence each: single sentences, or runs of sentences of one document
  const units: ConllSentence[][] = [];
  for (const s of sentences) {
    const last = units[units.length - 1];
    if (options.context === 'document' && last && last[0]!.doc === s.doc) last.push(s);
    else units.push([s]);
  }
  const predictions: string[][] = [];
  const chunk = options.chunk ?? 256;
  for (let i = 0; i < units.length; i += chunk) {
    const part = units.slice(i, i + chunk);
    const results = await classifyWordSequences(bundle, part.map((unit) => unit.flatMap((s) => s.words.map((text, k) => {
      const bbox = s.boxes?.[k];
      return bbox ? { text, bbox } : { text };
    }))), { ...options.ner, aggregation: 'first' });
    results.forEach((r, u) => {
      let at = 0;
      for (const s of part[u]!) {
        predictions.push(r.words.slice(at, at + s.words.length).map((w) => w.label));
        at += s.words.length;
      }
    });
  }
  const gold = sentences.map((s) => s.tags);
  const scoring = isChunkLabelSet(bundle.labels) ? 'entities' : 'tokens';
  return {
    scoring,
    report: scoring === 'entities' ? evaluate(gold, predictions, options.eval) : tokenReport(gold, predictions),
    predictions,
    sentences: sentences.length,
    words: gold.reduce((n, s) => n + s.length, 0),
  };
}
