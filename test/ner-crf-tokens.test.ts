import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LedgerlensError } from '../src/core/errors.js';
import { parseConll, parseCorpusJsonl } from '../src/eval/conll.js';
import { evaluateModel } from '../src/eval/evaluate-model.js';
import { isChunkLabelSet, tokenReport } from '../src/eval/token-accuracy.js';
import { crfDecode, type Crf } from '../src/ner/crf-decode.js';
import { loadModelBundle } from '../src/ner/model-bundle.js';
import { classifyWords } from '../src/ner/token-classifier.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(root, 'test/fixtures/tiny-model/layout');
const quiet = { log: () => {} };
const tmp = mkdtempSync(join(tmpdir(), 'ledgerlens-crf-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test('crfDecode: Viterbi path and marginals equal brute-force enumeration over all paths', () => {
  const r = rng(7);
  const k = 3;
  const n = 4;
  const crf: Crf = {
    transitions: Float64Array.from({ length: k * k }, () => 3 * (r() - 0.5)),
    start: Float64Array.from({ length: k }, () => r() - 0.5),
    end: Float64Array.from({ length: k }, () => r() - 0.5),
  };
  const probs = Array.from({ length: n }, () => {
    const v = Array.from({ length: k }, () => r() + 0.05);
    const sum = v.reduce((a, b) => a + b, 0);
    return Float32Array.from(v.map((x) => x / sum));
  });
  const paths: { path: number[]; score: number }[] = [];
  for (let code = 0; code < k ** n; code++) {
    const path = Array.from({ length: n }, (_, t) => Math.floor(code / k ** t) % k);
    let score = crf.start[path[0]!]! + crf.end[path[n - 1]!]!;
    path.forEach((c, t) => { score += Math.log(probs[t]![c]!) + (t > 0 ? crf.transitions[path[t - 1]! * k + c]! : 0); });
    paths.push({ path, score });
  }
  const best = paths.reduce((a, b) => (b.score > a.score ? b : a));
  const z = paths.reduce((a, p) => a + Math.exp(p.score), 0);
  const got = crfDecode(probs, crf);
  assert.deepEqual(got.path, best.path);
  got.path.forEach((c, t) => {
    const marginal = paths.filter((p) => p.path[t] === c).reduce((a, p) => a + Math.exp(p.score), 0) / z;
    assert.ok(Math.abs(got.scores[t]! - marginal) < 1e-9, `t=${t}: ${got.scores[t]} vs ${marginal}`);
  });
});

function withConfig(name: string, edit: (config: Record<string, any>) => void): string {
  const dir = join(tmp, name);
  cpSync(TINY, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  edit(config);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

test('bundle crf: transitions decide word labels; a forbidden move never appears; bad shapes are MODEL_INVALID', async () => {
  const words = 'Invoice from Acme GmbH dated 12.03.2024 total 1,234.50 EUR'.split(' ').map((text) => ({ text }));
  const plain = await classifyWords(await loadModelBundle(TINY, quiet), words);
  assert.ok(plain.words.some((w) => w.label === 'I-ORG'), 'the tiny model predicts I-ORG here');
  // A CRF that forbids every move into I-ORG: the decoder must route around it.
  const k = 7;
  const noInsideOrg = withConfig('crf', (c) => {
    c.ledgerlens = { ...c.ledgerlens, crf: {
      transitions: Array.from({ length: k }, () => Array.from({ length: k }, (_, to) => (to === 2 ? -1e4 : 0))),
      start: Array.from({ length: k }, (_, to) => (to === 2 ? -1e4 : 0)), end: new Array(k).fill(0) } };
  });
  const b = await loadModelBundle(noInsideOrg, quiet);
  assert.ok(b.crf);
  const r = await classifyWords(b, words);
  assert.ok(!r.words.some((w) => w.label === 'I-ORG'), r.words.map((w) => w.label).join(' '));
  for (const w of r.words) assert.ok(w.score >= 0 && w.score <= 1 + 1e-9);
  // Zero transitions: the CRF path is the argmax path.
  const zero = withConfig('crf-zero', (c) => {
    c.ledgerlens = { ...c.ledgerlens, crf: { transitions: Array.from({ length: k }, () => new Array(k).fill(0)), start: new Array(k).fill(0), end: new Array(k).fill(0) } };
  });
  assert.deepEqual((await classifyWords(await loadModelBundle(zero, quiet), words)).words.map((w) => w.label), plain.words.map((w) => w.label));
  const bad = withConfig('crf-bad', (c) => { c.ledgerlens = { ...c.ledgerlens, crf: { transitions: [[0]], start: [0], end: [0] } }; });
  await assert.rejects(loadModelBundle(bad, quiet), (e: unknown) => e instanceof LedgerlensError && e.code === 'MODEL_INVALID' && /crf\.transitions must be 7 x 7/.test(e.message));
});

test('token scoring: chunk label sets vs tag sets; accuracy and per-tag scores; CoNLL tag column', () => {
  assert.equal(isChunkLabelSet(['O', 'B-ORG', 'I-ORG']), true);
  assert.equal(isChunkLabelSet(['NN', 'VB', 'DT', '.']), false);
  assert.equal(isChunkLabelSet(['O']), false);
  const r = tokenReport([['DT', 'NN', 'VBZ'], ['NNP']], [['DT', 'NN', 'NN'], ['NNP']]);
  assert.equal(r.accuracy, 0.75);
  assert.equal(r.micro.f1, 0.75);
  assert.deepEqual(r.types.NN, { precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
  assert.deepEqual(r.types.VBZ, { precision: 0, recall: 0, f1: 0, support: 1 });
  const text = '-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n';
  assert.deepEqual(parseConll(text, { column: 2 }), [{ words: ['EU', 'rejects'], tags: ['NNP', 'VBZ'], doc: 0 }]);
  assert.deepEqual(parseConll(text), [{ words: ['EU', 'rejects'], tags: ['B-ORG', 'O'], doc: 0 }]);
  assert.throws(() => parseConll(text, { column: 7 }), /no column 7/);
});

test('ledgerlens eval on a tag-set bundle reports token accuracy, not entities', () => {
  const tags = ['DT', 'NN', 'NNP', 'VBZ', 'IN', 'CD', '.'];
  const dir = withConfig('pos', (c) => {
    c.id2label = Object.fromEntries(tags.map((t, i) => [String(i), t]));
    c.label2id = Object.fromEntries(tags.map((t, i) => [t, i]));
  });
  const conll = join(tmp, 'pos.conll');
  writeFileSync(conll, '-DOCSTART- -X- -X- O\n\nAcme NNP B-NP B-ORG\nGmbH NNP I-NP I-ORG\nbills VBZ B-VP O\n12.03.2024 CD B-NP B-DATE\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'eval', '--model', dir, '--data', conll, '--column', '2', '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { scoring: string; accuracy: number; words: number; types: Record<string, { support: number }> };
  assert.equal(out.scoring, 'tokens');
  assert.equal(out.words, 4);
  assert.equal(out.types.NNP?.support, 2);
  assert.ok(out.accuracy >= 0 && out.accuracy <= 1);
  const t = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'eval', '--model', dir, '--data', conll, '--column', '2'], { cwd: root, encoding: 'utf8' });
  assert.match(t.stdout, /scored per token; token accuracy \d\.\d{4}/);
  assert.match(t.stdout, /\n +NNP +\d\.\d\d /);
});

test('ledgerlens eval on corpus JSON Lines: boxes reach a bbox model; bad records are INVALID_INPUT', () => {
  const words = ['Invoice', 'from', 'Acme', 'GmbH', 'dated', '12.03.2024', 'total', '1,234.50', 'EUR'];
  const tags = ['O', 'O', 'B-ORG', 'I-ORG', 'O', 'B-DATE', 'O', 'B-MONEY', 'I-MONEY'];
  const boxes = words.map((_, i) => [40 + 90 * i, 100, 120 + 90 * i, 118]);
  const parsed = parseCorpusJsonl(`${JSON.stringify({ words, tags, boxes })}\n${JSON.stringify({ words, tags })}\n`);
  assert.deepEqual(parsed[0]!.boxes?.[1], [130, 100, 210, 118]);
  assert.equal(parsed[1]!.boxes, undefined);
  assert.throws(() => parseCorpusJsonl(JSON.stringify({ words, tags: tags.slice(1) })), /needs "words" and "tags"/);
  assert.throws(() => parseCorpusJsonl(JSON.stringify({ words, tags, boxes: [[1, 2, 3]] })), /one \[x0, y0, x1, y1\] per word/);
  const file = join(tmp, 'corpus.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 'a', words, tags, boxes })}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'eval', '--model', TINY, '--data', file, '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { scoring: string; words: number; gold: number; micro: { f1: number } };
  assert.deepEqual([out.scoring, out.words, out.gold], ['entities', 9, 3]);
  assert.equal(out.micro.f1, 1);
});

test('evaluateModel context document: the sentences of a document run as one sequence, scores stay per sentence', async () => {
  const b = await loadModelBundle(TINY, quiet);
  const text = ['-DOCSTART- O', '', 'Invoice O', 'from O', 'Acme B-ORG', 'GmbH I-ORG', '', 'dated O', '12.03.2024 B-DATE', '',
    '-DOCSTART- O', '', 'total O', '1,234.50 B-MONEY', 'EUR I-MONEY', ''].join('\n');
  const sentences = parseConll(text);
  assert.deepEqual(sentences.map((s) => s.doc), [0, 0, 1]);
  const bySentence = await evaluateModel(b, sentences);
  const byDocument = await evaluateModel(b, sentences, { context: 'document' });
  assert.deepEqual(byDocument.predictions.map((p) => p.length), [4, 2, 3]);
  assert.equal(byDocument.sentences, 3);
  // the last document has one sentence: same input, same prediction
  assert.deepEqual(byDocument.predictions[2], bySentence.predictions[2]);
});
