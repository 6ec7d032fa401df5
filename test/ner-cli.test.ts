import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { layoutText } from '../src/core/document-text.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = join(root, 'test/fixtures/tiny-model/layout');
const tmp = mkdtempSync(join(tmpdir(), 'ledgerlens-ner-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ledgerlens ner "text" prints pipeline-style entities; quiet by default, --verbose says which provider runs', () => {
  const r = cli('ner', '--model', MODEL, 'Invoice from Acme GmbH dated 12.03.2024 total 1,234.50 EUR');
  assert.equal(r.status, 0, r.stderr);
  const entities = JSON.parse(r.stdout) as { entity_group: string; word: string; start: number; end: number }[];
  assert.deepEqual(entities.map((e) => e.entity_group), ['ORG', 'DATE', 'MONEY']);
  assert.equal(entities[0]!.word, 'Acme GmbH');
  assert.equal(r.stderr, '', 'no provider line unless it falls back');
  const v = cli('ner', '--verbose', '--model', MODEL, 'Invoice from Acme GmbH');
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stderr, /runs on cpu/);
});

test('ledgerlens ner --file: DocumentText gives EntitySpans with page and bbox; {text} gives pipeline entities', () => {
  const { pages, text } = layoutText([{
    number: 1, width: 600, height: 800, unit: 'pt', method: 'text-layer', rotation: 0,
    words: 'Bill to Globex Corporation'.split(' ').map((t, i) => ({ text: t, line: 0, confidence: 1, bbox: [10 + 80 * i, 20, 80 + 80 * i, 32] as [number, number, number, number] })),
  }]);
  const docFile = join(tmp, 'doc.json');
  writeFileSync(docFile, JSON.stringify({ source: { file: 'x.pdf', sha256: 'a'.repeat(64), mediaType: 'application/pdf', bytes: 10, pages: 1 }, pages, text }));
  const r = cli('ner', '--model', MODEL, '--file', docFile, '--bio');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ label: 'ORG', text: 'Globex Corporation', start: 8, end: 26, score: JSON.parse(r.stdout)[0].score, page: 1, bbox: [170, 20, 320, 32] }]);

  const textFile = join(tmp, 'text.json');
  writeFileSync(textFile, JSON.stringify({ text: 'Bill to Globex Corporation' }));
  const t = cli('ner', '--model', MODEL, '--file', textFile, '--aggregation', 'none');
  assert.equal(t.status, 0, t.stderr);
  assert.deepEqual((JSON.parse(t.stdout) as { entity: string }[]).map((e) => e.entity), ['B-ORG', 'I-ORG']);

  // JSON Lines, as `ledgerlens text` prints for several files: one JSON array per line.
  const linesFile = join(tmp, 'docs.jsonl');
  writeFileSync(linesFile, `${readFileSync(docFile, 'utf8')}\n${JSON.stringify({ text: 'Invoice from Hooli' })}\n`);
  const l = cli('ner', '--model', MODEL, '--file', linesFile);
  assert.equal(l.status, 0, l.stderr);
  const out = l.stdout.trim().split('\n').map((line) => JSON.parse(line) as { label?: string; entity_group?: string }[]);
  assert.deepEqual(out.map((entities) => entities.map((e) => e.label ?? e.entity_group)), [['ORG'], ['ORG']]);
  writeFileSync(linesFile, '{"text": "a"}\nnot json\n');
  assert.match(cli('ner', '--model', MODEL, '--file', linesFile).stderr, /INVALID_INPUT: .*docs\.jsonl:2 is not JSON/);
});

test('ledgerlens ner: usage errors exit 2, bad bundles exit 1 with MODEL_INVALID', () => {
  assert.equal(cli('ner', '--model', MODEL).status, 2);
  assert.equal(cli('ner', '--model', MODEL, '--aggregation', 'mean', 'x').status, 2);
  const bad = cli('ner', '--model', tmp, 'x');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /MODEL_INVALID: .*missing model\.onnx/);
});

test('ledgerlens eval scores CoNLL at word level and prints the seqeval report', () => {
  const conll = join(tmp, 'dev.conll');
  writeFileSync(conll, [
    '-DOCSTART- -X- O O', '',
    'Invoice O', 'from O', 'Acme B-ORG', 'GmbH I-ORG', 'dated O', '12.03.2024 B-DATE', 'total O', '1,234.50 B-MONEY', 'EUR I-MONEY', '',
    'Bill O', 'to O', 'Globex B-ORG', 'Corporation I-ORG', '',
    'Thank O', 'you O', 'Hooli B-ORG', '',
  ].join('\n'));
  const r = cli('eval', '--model', MODEL, '--data', conll);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 sentences, 16 words/);
  assert.match(r.stdout, /\n {9}ORG {7}\d\.\d\d {6}\d\.\d\d {6}\d\.\d\d {9}3\n/);
  assert.match(r.stdout, /\n {3}micro avg/);
  const j = cli('eval', '--model', MODEL, '--data', conll, '--mode', 'strict', '--scheme', 'IOB2', '--json');
  assert.equal(j.status, 0, j.stderr);
  const scores = JSON.parse(j.stdout) as { gold: number; micro: { f1: number }; accuracy: number };
  assert.equal(scores.gold, 5);
  assert.ok(scores.micro.f1 >= 0 && scores.micro.f1 <= 1 && scores.accuracy > 0.5);
  assert.equal(cli('eval', '--model', MODEL).status, 2);
});
