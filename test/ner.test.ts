import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { layoutText, type DocumentText } from '../src/core/document-text.js';
import { EntitySpanSchema } from '../src/core/entity-span.js';
import { LedgerlensError } from '../src/core/errors.js';
import { loadModelBundle } from '../src/ner/model-bundle.js';
import { runNer } from '../src/ner/ner.stage.js';
import { classifyText, classifyWords, rawLogits } from '../src/ner/token-classifier.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = resolve(here, 'fixtures/tiny-model');
const LAYOUT = join(FIXTURE, 'layout');
const PLAIN = join(FIXTURE, 'plain');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  words: string[]; input_ids: number[]; token_bbox: [number, number, number, number][];
  layout_logits: number[][]; plain_logits: number[][]; labels: string[];
};
const quiet = { log: () => {} };
const tmp = mkdtempSync(join(tmpdir(), 'ledgerlens-ner-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('bundle: labels, name, version, graph inputs; loaded once per dir and provider', async () => {
  const a = await loadModelBundle(LAYOUT, quiet);
  assert.deepEqual(a.labels, expected.labels);
  assert.equal(a.name, 'tiny-layout');
  assert.equal(a.version, '1.0.0');
  assert.equal(a.maxLength, 512);
  assert.equal(a.provider, 'cpu');
  assert.deepEqual(a.inputs, { tokenTypeIds: true, bbox: true });
  assert.equal(await loadModelBundle(LAYOUT, quiet), a);
  const plain = await loadModelBundle(PLAIN, quiet);
  assert.deepEqual(plain.inputs, { tokenTypeIds: false, bbox: false });
});

test('bundle: a GPU provider that cannot load falls back to cpu, and says which runs', async () => {
  const lines: string[] = [];
  const b = await loadModelBundle(LAYOUT, { provider: 'cuda', verbose: true, log: (l) => lines.push(l) });
  assert.ok(b.provider === 'cpu' || b.provider === 'cuda');
  assert.ok(lines.some((l) => l.includes(`runs on ${b.provider}`)), lines.join('\n'));
  if (b.provider === 'cpu') assert.ok(lines.some((l) => /provider cuda failed/.test(l)));
});

function copyBundle(name: string): string {
  const dir = join(tmp, name);
  cpSync(LAYOUT, dir, { recursive: true });
  return dir;
}

test('bundle: missing files and label/logit mismatches fail with MODEL_INVALID', async () => {
  const noCard = copyBundle('no-card');
  unlinkSync(join(noCard, 'README.md'));
  await assert.rejects(loadModelBundle(noCard, quiet), (e: unknown) => e instanceof LedgerlensError && e.code === 'MODEL_INVALID' && /README\.md/.test(e.message));

  const fewer = copyBundle('fewer-labels');
  const config = JSON.parse(readFileSync(join(fewer, 'config.json'), 'utf8'));
  config.id2label = { 0: 'O', 1: 'B-ORG', 2: 'I-ORG' };
  config.label2id = { O: 0, 'B-ORG': 1, 'I-ORG': 2 };
  writeFileSync(join(fewer, 'config.json'), JSON.stringify(config));
  await assert.rejects(loadModelBundle(fewer, quiet), /3 labels but the model outputs 7 logits/);

  const noMax = copyBundle('no-max');
  delete config.max_position_embeddings;
  config.id2label = Object.fromEntries(expected.labels.map((l, i) => [i, l]));
  config.label2id = Object.fromEntries(expected.labels.map((l, i) => [l, i]));
  writeFileSync(join(noMax, 'config.json'), JSON.stringify(config));
  await assert.rejects(loadModelBundle(noMax, quiet), /max_position_embeddings or max_length/);

  await assert.rejects(loadModelBundle(join(tmp, 'absent'), quiet), /does not exist/);
});

test('tokenisation word by word matches the Python tokenizer; offsets map back into words', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  const ids = [...b.tokenizer.specials.prefix, ...expected.words.flatMap((w) => b.tokenizer.tokenizeWord(w).ids), ...b.tokenizer.specials.suffix];
  assert.deepEqual(ids, expected.input_ids);
  const money = b.tokenizer.tokenizeWord('1,234.50');
  assert.deepEqual(money.tokens, ['1', ',', '2', '##3', '##4', '.', '5', '##0']);
  for (let i = 0; i < money.tokens.length; i++) {
    const [s, e] = money.offsets[i]!;
    assert.equal('1,234.50'.slice(s, e), money.tokens[i]!.replace(/^##/, ''));
  }
  // An unknown word is one [UNK] covering the whole word.
  assert.deepEqual(b.tokenizer.tokenizeWord('Zürich'), { ids: [1], tokens: ['[UNK]'], offsets: [[0, 6]] });
});

test('numerics: onnxruntime logits equal the PyTorch logits within 1e-4 (with and without bbox)', async () => {
  for (const [dir, want] of [[LAYOUT, expected.layout_logits], [PLAIN, expected.plain_logits]] as const) {
    const b = await loadModelBundle(dir, quiet);
    const got = await rawLogits(b, expected.input_ids, expected.token_bbox);
    const flat = want.flat();
    assert.equal(got.length, flat.length);
    let maxDiff = 0;
    flat.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - got[i]!)); });
    assert.ok(maxDiff < 1e-4, `${dir}: max |diff| ${maxDiff}`);
  }
});

const SENTENCE = 'Invoice from Acme GmbH dated 12.03.2024 total 1,234.50 EUR';

test('classifyText: pipeline keys per aggregation, offsets into the text, meaningful entities', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  const none = await classifyText(b, SENTENCE);
  assert.ok(none.length > 0);
  for (const e of none) assert.deepEqual(Object.keys(e), ['entity', 'score', 'index', 'word', 'start', 'end']);
  const acme = none.find((e) => 'entity' in e && e.word === 'Acme')!;
  assert.deepEqual([('entity' in acme) && acme.entity, acme.start, acme.end, 'index' in acme && acme.index], ['B-ORG', 13, 17, 3]);
  for (const aggregation of ['simple', 'first', 'average', 'max'] as const) {
    const entities = await classifyText(b, SENTENCE, { aggregation });
    for (const e of entities) {
      assert.deepEqual(Object.keys(e), ['entity_group', 'score', 'word', 'start', 'end']);
      assert.ok(e.score > 0 && e.score <= 1);
    }
    const org = entities.find((e) => 'entity_group' in e && e.entity_group === 'ORG')!;
    assert.equal(SENTENCE.slice(org.start, org.end), 'Acme GmbH');
    assert.equal(org.word, 'Acme GmbH');
  }
});

test('classifyWords: one prediction per word; money and dates found as whole OCR words', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  const words = SENTENCE.split(' ').map((text, i) => ({ text, bbox: [40 + 90 * i, 100, 120 + 90 * i, 118] as [number, number, number, number] }));
  const r = await classifyWords(b, words);
  assert.equal(r.words.length, words.length);
  const byType = Object.fromEntries(r.entities.map((e) => [e.label, SENTENCE.slice(e.start, e.end)]));
  assert.equal(byType.ORG, 'Acme GmbH');
  assert.equal(byType.DATE, '12.03.2024');
  assert.equal(byType.MONEY, '1,234.50 EUR');
});

test('long input: stride windows give every word one prediction; batch size does not change results', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  const text = Array.from({ length: 30 }, () => SENTENCE).join(' . ');
  const small = { maxLength: 32, stride: 8 };
  const one = await classifyText(b, text, { aggregation: 'first', ...small, batchSize: 1 });
  const many = await classifyText(b, text, { aggregation: 'first', ...small, batchSize: 16 });
  assert.equal(one.length, many.length);
  one.forEach((e, i) => {
    assert.deepEqual({ ...e, score: 0 }, { ...many[i]!, score: 0 });
    assert.ok(Math.abs(e.score - many[i]!.score) < 1e-5);
  });
  // Entities come in order and never overlap (each word has exactly one prediction).
  for (let i = 1; i < one.length; i++) assert.ok(one[i]!.start >= one[i - 1]!.end);
  // The organisation is found in (nearly) every repetition even though windows hold ~30 tokens.
  const orgs = one.filter((e) => 'entity_group' in e && e.entity_group === 'ORG' && text.slice(e.start, e.end) === 'Acme GmbH');
  assert.ok(orgs.length >= 27, `ORG found ${orgs.length}/30 times`);
  // none works with windows too, indices increasing through the document.
  const tokens = await classifyText(b, text, { ...small });
  for (let i = 1; i < tokens.length; i++) assert.ok((tokens[i] as { index: number }).index > (tokens[i - 1] as { index: number }).index);
  await assert.rejects(classifyText(b, text, { maxLength: 32, stride: 30 }), /stride/);
});

test('runNer: spans index DocumentText.text, carry page and word-box union, never cross pages', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  const page = (n: number, lines: string[]) => ({
    number: n, width: 600, height: 800, unit: 'pt' as const, method: 'text-layer' as const, rotation: 0,
    words: lines.flatMap((line, li) => line.split(' ').map((text, wi) => ({
      text, line: li, confidence: 1, bbox: [50 + 70 * wi, 100 + 20 * li, 110 + 70 * wi, 114 + 20 * li] as [number, number, number, number],
    }))),
  });
  // The organisation name is split across the page break: it must not become one entity.
  const { pages, text } = layoutText([page(1, ['Invoice from Acme GmbH', 'dated 12.03.2024 total 1,234.50 EUR', 'Bill to Globex']),
    page(2, ['Corporation', 'Amount due : 99.00 USD'])]);
  const doc: DocumentText = { source: { file: null, sha256: '0'.repeat(64), mediaType: 'application/pdf', bytes: 1, pages: 2 }, pages, text };
  const spans = await runNer(b, doc);
  for (const s of spans) {
    EntitySpanSchema.parse(s);
    assert.equal(text.slice(s.start, s.end), s.text);
    assert.ok(!s.text.includes('\f'), `span crosses a page: ${JSON.stringify(s.text)}`);
  }
  const acme = spans.find((s) => s.text === 'Acme GmbH')!;
  assert.equal(acme.label, 'ORG');
  assert.equal(acme.page, 1);
  assert.deepEqual(acme.bbox, [190, 100, 320, 114]);
  const usd = spans.find((s) => s.label === 'MONEY' && s.page === 2)!;
  assert.equal(usd.text, '99.00 USD');
  // Plain bundles (no bbox input) run the same stage.
  const plainSpans = await runNer(await loadModelBundle(PLAIN, quiet), doc);
  assert.ok(plainSpans.some((s) => s.text === 'Acme GmbH' && s.page === 1));
});

test('edge inputs: empty text, ignoreLabels [] keeps O groups, words on two pages never merge', async () => {
  const b = await loadModelBundle(LAYOUT, quiet);
  assert.deepEqual(await classifyText(b, ''), []);
  assert.deepEqual(await classifyText(b, '   \n '), []);
  const all = await classifyText(b, 'Bill to Globex Corporation', { aggregation: 'first', ignoreLabels: [] });
  assert.deepEqual(all.map((e) => 'entity_group' in e && e.entity_group), ['O', 'ORG']);
  const words = [{ text: 'Bill', page: 1 }, { text: 'to', page: 1 }, { text: 'Globex', page: 1 }, { text: 'Corporation', page: 2 }];
  const r = await classifyWords(b, words);
  assert.equal(r.words.length, 4);
  for (const e of r.entities) assert.equal(words[e.firstWord]!.page, words[e.lastWord]!.page);
  assert.deepEqual(r.entities.map((e) => [e.label, e.firstWord, e.lastWord, e.page]), [['ORG', 2, 2, 1], ['ORG', 3, 3, 2]]);
});
