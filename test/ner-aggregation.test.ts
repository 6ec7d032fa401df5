import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate, labelUnits, type AggregationStrategy, type PreEntity } from '../src/ner/aggregation.js';
import { bioViterbi } from '../src/ner/bio-decode.js';
import { assignWindows, planWindows } from '../src/ner/windows.js';
import { splitWords, WordTokenizer } from '../src/ner/word-tokenizer.js';
import { evaluate } from '../src/eval/seqeval.js';

const LABELS = ['O', 'B-ORG', 'I-ORG', 'B-DATE', 'I-DATE'];

/** Tokens as [token, word index, probabilities]; offsets: each token 1 char, words separated by 1 char. */
function pre(tokens: [string, number, number[]][]): PreEntity[] {
  let pos = 0;
  let prevWord = -1;
  return tokens.map(([token, word, probs], i) => {
    if (prevWord >= 0 && word !== prevWord) pos += 1;
    const start = pos;
    pos += 1;
    const isSubword = word === prevWord;
    prevWord = word;
    return { id: i + 10, token, scores: Float32Array.from(probs), start, end: start + 1, index: i + 1, isSubword, word };
  });
}

/** A probability row that puts p on `label` and spreads the rest evenly. */
function row(label: string, p = 0.9): number[] {
  const k = LABELS.indexOf(label);
  return LABELS.map((_, i) => (i === k ? p : (1 - p) / (LABELS.length - 1)));
}

const run = (p: PreEntity[], strategy: AggregationStrategy, bio = false, ignoreLabels = ['O']) =>
  aggregate(p, LABELS, { strategy, ignoreLabels, bio }).map((e) => [e.label, e.start, e.end]);

test('simple: B-ORG O I-ORG gives two ORG entities', () => {
  const p = pre([['Acme', 0, row('B-ORG')], ['and', 1, row('O')], ['Co', 2, row('I-ORG')]]);
  assert.deepEqual(run(p, 'simple'), [['ORG', 0, 1], ['ORG', 4, 5]]);
});

test('simple: B after B splits; I-X after O opens X; I of another type splits', () => {
  const p = pre([['A', 0, row('B-ORG')], ['B', 1, row('B-ORG')], ['C', 2, row('I-ORG')], ['x', 3, row('O')],
    ['D', 4, row('I-DATE')], ['E', 5, row('I-ORG')]]);
  assert.deepEqual(run(p, 'simple'), [['ORG', 0, 1], ['ORG', 2, 5], ['DATE', 8, 9], ['ORG', 10, 11]]);
});

test('none: one entity per token with the raw label; ignore_labels filters', () => {
  const p = pre([['A', 0, row('B-ORG')], ['x', 1, row('O')]]);
  assert.deepEqual(run(p, 'none'), [['B-ORG', 0, 1]]);
  assert.deepEqual(run(p, 'none', false, []), [['B-ORG', 0, 1], ['O', 2, 3]]);
  assert.deepEqual(run(p, 'none', false, ['O', 'B-ORG']), []);
});

test('first / average / max on a multi-subword word: label and score per strategy', () => {
  // One word of three subwords: the first says B-ORG weakly, the others say B-DATE / I-DATE strongly.
  const t1 = [0.1, 0.5, 0.1, 0.2, 0.1];
  const t2 = [0.0, 0.1, 0.0, 0.8, 0.1];
  const t3 = [0.1, 0.2, 0.0, 0.3, 0.4];
  const p = pre([['Ac', 0, t1], ['##me', 0, t2], ['##x', 0, t3]]);
  const word = (s: AggregationStrategy) => labelUnits(p, LABELS, s, false)[0]!;
  // first: the first subword decides.
  assert.equal(word('first').label, 'B-ORG');
  assert.ok(Math.abs(word('first').score - 0.5) < 1e-6);
  // average: mean vector [0.0667, 0.2667, 0.0333, 0.4333, 0.2] -> B-DATE with its mean.
  assert.equal(word('average').label, 'B-DATE');
  assert.ok(Math.abs(word('average').score - (0.2 + 0.8 + 0.3) / 3) < 1e-6);
  // max: the subword with the highest top score (0.8) decides.
  assert.equal(word('max').label, 'B-DATE');
  assert.ok(Math.abs(word('max').score - 0.8) < 1e-6);
  // The word-level entity spans all its subwords.
  assert.deepEqual(run(p, 'average'), [['DATE', 0, 3]]);
  // simple works on tokens: three fragments.
  assert.deepEqual(run(p, 'simple'), [['ORG', 0, 1], ['DATE', 1, 3]]);
});

test('group score is the mean of its units', () => {
  const p = pre([['A', 0, row('B-ORG', 0.9)], ['B', 1, row('I-ORG', 0.5)]]);
  const [e] = aggregate(p, LABELS, { strategy: 'first', ignoreLabels: ['O'], bio: false });
  assert.ok(Math.abs(e!.score - 0.7) < 1e-6);
  assert.deepEqual([e!.firstWord, e!.lastWord], [0, 1]);
});

test('BIO-constrained decoding: no I-X without B-X/I-X before it', () => {
  const probs = [row('O'), row('I-ORG', 0.6), row('I-ORG', 0.9)].map((r) => Float32Array.from(r));
  // Unconstrained argmax: O I-ORG I-ORG; constrained: the I-ORG run must open with B-ORG.
  assert.deepEqual(bioViterbi(probs, LABELS).map((i) => LABELS[i]), ['O', 'B-ORG', 'I-ORG']);
  const mixed = [row('B-ORG', 0.9), row('I-DATE', 0.4), row('I-ORG', 0.9)].map((r) => Float32Array.from(r));
  mixed[1]![LABELS.indexOf('I-ORG')] = 0.35;
  assert.deepEqual(bioViterbi(mixed, LABELS).map((i) => LABELS[i]), ['B-ORG', 'I-ORG', 'I-ORG']);
});

test('BIO-constrained decoding improves span F1 on noisy predictions', () => {
  // Seeded noise: gold IOB2 sequences, predictions that put a competing I-/B- label near the gold one.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const gold: string[][] = [];
  const argmaxTags: string[][] = [];
  const bioTags: string[][] = [];
  for (let s = 0; s < 200; s++) {
    const tags: string[] = [];
    while (tags.length < 12) {
      if (rand() < 0.5) { tags.push('O'); continue; }
      const type = rand() < 0.5 ? 'ORG' : 'DATE';
      const len = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < len; i++) tags.push(`${i === 0 ? 'B' : 'I'}-${type}`);
    }
    const probs = tags.map((tag) => {
      const r = row(tag, 0.55);
      // Confusions a tagger makes: B<->I of the same type, or I of the other type.
      const [bi, type] = tag === 'O' ? ['O', ''] : tag.split('-') as [string, string];
      const rival = tag === 'O' ? 'O' : rand() < 0.5 ? `${bi === 'B' ? 'I' : 'B'}-${type}` : `I-${type === 'ORG' ? 'DATE' : 'ORG'}`;
      if (rival !== tag && rand() < 0.35) {
        const k = LABELS.indexOf(rival);
        r[k] = 0.6;
        r[LABELS.indexOf(tag)] = 0.3;
      }
      return Float32Array.from(r);
    });
    gold.push(tags);
    argmaxTags.push(probs.map((p) => LABELS[p.indexOf(Math.max(...p))]!));
    bioTags.push(bioViterbi(probs, LABELS).map((i) => LABELS[i]!));
  }
  const plain = evaluate(gold, argmaxTags, { mode: 'strict', scheme: 'IOB2' }).micro.f1;
  const constrained = evaluate(gold, bioTags, { mode: 'strict', scheme: 'IOB2' }).micro.f1;
  assert.ok(constrained > plain, `constrained ${constrained} should beat argmax ${plain}`);
  // Constrained output is always well-formed IOB2: default and strict decoding agree.
  assert.equal(evaluate(gold, bioTags).micro.f1, constrained);
});

test('splitWords: whitespace and punctuation like BertPreTokenizer, with offsets', () => {
  const text = 'Total: 1,234.50  EUR\nZürich';
  const words = splitWords(text);
  assert.deepEqual(words.map((w) => w.text), ['Total', ':', '1', ',', '234', '.', '50', 'EUR', 'Zürich']);
  for (const w of words) assert.equal(text.slice(w.start, w.end), w.text);
});

test('windows: whole words, overlap within stride, every word predicted by its most central window', () => {
  const counts = [3, 1, 2, 4, 1, 1, 2, 3, 1, 2, 2, 1, 3];
  const windows = planWindows(counts, 8, 3);
  assert.equal(windows[0]!.start, 0);
  assert.equal(windows[windows.length - 1]!.end, counts.length);
  for (let k = 0; k < windows.length; k++) {
    const w = windows[k]!;
    const size = counts.slice(w.start, w.end).reduce((a, b) => a + b, 0);
    assert.ok(size <= 8);
    if (k > 0) {
      const prev = windows[k - 1]!;
      assert.ok(w.start > prev.start && w.start <= prev.end);
      const overlap = counts.slice(w.start, prev.end).reduce((a, b) => a + b, 0);
      assert.ok(overlap <= 3);
    }
  }
  const owner = assignWindows(counts, windows);
  owner.forEach((k, i) => {
    assert.ok(k >= 0 && windows[k]!.start <= i && i < windows[k]!.end);
  });
  // Stride must leave room to advance.
  assert.throws(() => planWindows(counts, 8, 8), /stride/);
  // One window when everything fits.
  assert.deepEqual(planWindows([1, 2, 3], 8, 3), [{ start: 0, end: 3 }]);
});

test('WordTokenizer: byte-level BPE (RoBERTa-style) words take their leading-space form; <s> ... </s> found', () => {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizerJson = {
    version: '1.0', truncation: null, padding: null, normalizer: null,
    added_tokens: [special(0, '<s>'), special(1, '</s>'), special(2, '<pad>')],
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 1], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false,
      vocab: { '<s>': 0, '</s>': 1, '<pad>': 2, '\u0120': 3, h: 4, e: 5, l: 6, o: 7, '\u0120h': 8, el: 9, '\u0120hel': 10 },
      merges: ['\u0120 h', 'e l', '\u0120h el'],
    },
  };
  const t = new WordTokenizer(tokenizerJson, {});
  assert.deepEqual(t.specials, { prefix: [0], suffix: [1] });
  assert.equal(t.padId, 2);
  assert.deepEqual(t.tokenizeWord('hello'), { ids: [10, 6, 7], tokens: ['\u0120hel', 'l', 'o'], offsets: [[0, 3], [3, 4], [4, 5]] });
});
