import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { IOB2_LABELS } from '../src/core/labels.js';
import { loadModelBundle } from '../src/ner/model-bundle.js';
import { classifyWordSequences } from '../src/ner/token-classifier.js';
import { loadBundle, parityMaxAbsDiff, predictWords } from '../training/bundle-check.js';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
const skip = hasTorch ? false : `${PYTHON} cannot import torch and onnx (apt-get install python3-torch python3-onnx)`;

const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-training-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny invoice-like corpus with boxes and IOB2 tags, generated here so the test needs no data. */
function tinyCorpus(n: number): { words: string[]; boxes: number[][]; tags: string[] }[] {
  const vendors = [['Acme', 'GmbH'], ['Nordwind', 'AG'], ['Blue', 'Harbor', 'Ltd'], ['Café', 'Müller']];
  return Array.from({ length: n }, (_, i) => {
    const words: string[] = [];
    const tags: string[] = [];
    const add = (ws: string[], type?: string) => ws.forEach((w, k) => {
      words.push(w);
      tags.push(type ? `${k === 0 ? 'B' : 'I'}-${type}` : 'O');
    });
    add(vendors[i % vendors.length] ?? [], 'ORG');
    add(['Invoice', 'no.']);
    add([`INV-${1000 + i}`], 'INVOICE_NO');
    add(['Date:']);
    add([`${(i % 28) + 1}.03.2024`], 'DATE');
    add(['Total']);
    add([`${(i * 37) % 900}.${String(i % 100).padStart(2, '0')}`, 'EUR'], 'MONEY');
    const boxes = words.map((_, k) => [40 + (k % 4) * 200, 50 + Math.floor(k / 4) * 30, 200 + (k % 4) * 200, 70 + Math.floor(k / 4) * 30]);
    return { words, boxes, tags };
  });
}

test('training smoke: train a few steps, export, load in TypeScript, parity and predictions', { skip, timeout: 120_000 }, async () => {
  const docs = tinyCorpus(24);
  const corpus = join(dir, 'tiny.jsonl');
  writeFileSync(corpus, docs.map((d, i) => JSON.stringify({ id: `t${i}`, source: 'test', ...d })).join('\n'));
  const bundleDir = join(dir, 'bundle');
  const run = join(dir, 'run');
  // The recipe's parts: char-CNN, conv block, BiLSTM block, transformer layer, word dropout, CRF.
  execFileSync(PYTHON, ['training/train.py', '--train', corpus, '--dev', corpus, '--out', run, '--fresh',
    '--d', '32', '--layers', '1', '--heads', '2', '--ff', '64', '--char-filters', '16', '--vocab-size', '300',
    '--conv-layers', '1', '--lstm-layers', '1', '--crf', '--word-dropout', '0.1',
    '--max-len', '64', '--max-steps', '3', '--eval-every', '100', '--threads', '1', '--bundle', bundleDir], { stdio: 'pipe' });

  const config = JSON.parse(readFileSync(join(bundleDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.values(config['id2label'] as Record<string, string>), IOB2_LABELS);
  assert.equal(config['max_position_embeddings'], 64);
  assert.ok(statSync(join(bundleDir, 'model.onnx')).size > 1000);

  const bundle = await loadBundle(bundleDir, 1);
  assert.deepEqual([...bundle.session.inputNames].sort(), ['attention_mask', 'bbox', 'input_ids']);
  const diff = await parityMaxAbsDiff(bundle, join(run, 'parity.json'));
  assert.ok(diff <= 1e-4, `ONNX vs PyTorch max abs logit difference ${diff}`);

  // the JS tokenizer and the Python trainer must split every word into the same pieces
  const words = docs.flatMap((d) => d.words).concat(['Straße', 'x'.repeat(120), '']);
  const py = JSON.parse(execFileSync(PYTHON, ['-c', [
    'import json, sys; sys.path.insert(0, "training")',
    'from wordpiece import WordPiece',
    `t = WordPiece.load(${JSON.stringify(join(bundleDir, 'tokenizer.json'))})`,
    'print(json.dumps([t.encode_word(w) for w in json.load(sys.stdin)]))',
  ].join('\n')], { input: JSON.stringify(words) }).toString()) as number[][];
  assert.deepEqual(words.map((w) => bundle.tokenizer.encode(w, { add_special_tokens: false }).ids), py);

  const pred = await predictWords(bundle, docs.slice(0, 3));
  pred.forEach((labels, i) => {
    assert.equal(labels.length, docs[i]?.words.length);
    for (const l of labels) assert.ok(IOB2_LABELS.includes(l), l);
  });

  // The engine decodes with the exported CRF exactly as PyTorch's Viterbi does.
  assert.equal((config['ledgerlens'] as { word_split?: string }).word_split, 'whitespace');
  const engine = await loadModelBundle(bundleDir, { log: () => {} });
  assert.ok(engine.crf, 'config.json carries the CRF');
  const dump = join(dir, 'pred.jsonl');
  execFileSync(PYTHON, ['training/score.py', '--run', run, '--data', corpus, '--dump', dump], { stdio: 'pipe' });
  const torchTags = readFileSync(dump, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  const results = await classifyWordSequences(engine, docs.map((d) => d.words.map((text, k) => ({ text, bbox: d.boxes[k] as [number, number, number, number] }))));
  assert.deepEqual(results.map((r) => r.words.map((w) => w.label)), torchTags);
});

test('--fragment-rare: a word that is one piece is fed as the pieces an unseen word gets', { skip }, () => {
  // A vocabulary where "lamb" is a whole piece and also splits as l + ##amb; "ewes" has no whole piece.
  const out = execFileSync(PYTHON, ['-c', [
    'import sys, json; sys.path.insert(0, "training")',
    'from wordpiece import WordPiece',
    'v = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "lamb", "l", "##amb", "##a", "##m", "##b", "e", "##w", "##e", "##s", "ewe", "a"])}',
    'tok = WordPiece(v, "whitespace")',
    'f = lambda w: tok.tokens(tok.fragment_word(w))',
    'print(json.dumps({"whole": tok.tokens(tok.encode_word("lamb")), "lamb": f("lamb"), "ewes": f("ewes"), "ewe_s": tok.tokens(tok.encode_word("ewes")), "a": f("a")}))',
  ].join('\n')], { encoding: 'utf8' });
  const r = JSON.parse(out) as Record<string, string[]>;
  assert.deepEqual(r.whole, ['lamb']);
  assert.deepEqual(r.lamb, ['l', '##amb']); // the whole-word piece barred, greedy longest match for the rest
  assert.deepEqual(r.ewes, r.ewe_s); // already several pieces: unchanged
  assert.deepEqual(r.a, ['a']); // one character cannot be split
});
