import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConll } from '../src/eval/conll.js';
import {
  accuracyScore, classificationReport, evaluate, f1Score, getEntities, getEntitiesStrict, precisionScore, pyFixed, recallScore,
} from '../src/eval/seqeval.js';

// seqeval README / docstring example.
const Y_TRUE = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
const Y_PRED = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];

const README_REPORT = [
  '              precision    recall  f1-score   support',
  '',
  '        MISC       0.00      0.00      0.00         1',
  '         PER       1.00      1.00      1.00         1',
  '',
  '   micro avg       0.50      0.50      0.50         2',
  '   macro avg       0.50      0.50      0.50         2',
  'weighted avg       0.50      0.50      0.50         2',
  '',
].join('\n');

test('seqeval README: f1 0.50, precision 0.50, recall 0.50, accuracy 0.80', () => {
  assert.equal(f1Score(Y_TRUE, Y_PRED), 0.5);
  assert.equal(precisionScore(Y_TRUE, Y_PRED), 0.5);
  assert.equal(recallScore(Y_TRUE, Y_PRED), 0.5);
  assert.equal(accuracyScore(Y_TRUE, Y_PRED), 0.8);
});

test('seqeval README: classification_report text, default and strict IOB2', () => {
  assert.equal(classificationReport(evaluate(Y_TRUE, Y_PRED)), README_REPORT);
  assert.equal(classificationReport(evaluate(Y_TRUE, Y_PRED, { mode: 'strict', scheme: 'IOB2' })), README_REPORT);
});

test('seqeval docs: orphan I-NP is an entity by default, none in strict IOB2', () => {
  const yTrue = [['B-NP', 'I-NP', 'O']];
  const yPred = [['I-NP', 'I-NP', 'O']];
  const row = (v: string) => `          NP       ${v}      ${v}      ${v}         1`;
  const avg = (name: string, v: string) => `${name.padStart(12)}       ${v}      ${v}      ${v}         1`;
  const report = (v: string) => ['              precision    recall  f1-score   support', '', row(v), '',
    avg('micro avg', v), avg('macro avg', v), avg('weighted avg', v), ''].join('\n');
  assert.equal(classificationReport(evaluate(yTrue, yPred)), report('1.00'));
  assert.equal(classificationReport(evaluate(yTrue, yPred, { mode: 'strict', scheme: 'IOB2' })), report('0.00'));
});

test('get_entities docstring examples (default and strict)', () => {
  assert.deepEqual(getEntities(['B-PER', 'I-PER', 'O', 'B-LOC']), [['PER', 0, 1], ['LOC', 3, 3]]);
  assert.deepEqual(getEntitiesStrict(['B-PER', 'I-PER', 'O', 'B-LOC'], 'IOB2'), [['PER', 0, 2], ['LOC', 3, 4]]);
  // Nested sentences are joined with an O between them.
  assert.deepEqual(getEntities(Y_TRUE), [['MISC', 3, 5], ['PER', 8, 9]]);
});

test('default mode: conlleval chunk rules across IOB1, IOB2 and IOBES', () => {
  // IOB1: B only separates adjacent same-type chunks.
  assert.deepEqual(getEntities(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC']), [['PER', 0, 1], ['PER', 2, 2], ['LOC', 4, 4]]);
  // IOBES
  assert.deepEqual(getEntities(['S-PER', 'B-LOC', 'I-LOC', 'E-LOC', 'S-LOC']), [['PER', 0, 0], ['LOC', 1, 3], ['LOC', 4, 4]]);
  // a type change inside I- splits
  assert.deepEqual(getEntities(['B-PER', 'I-LOC']), [['PER', 0, 0], ['LOC', 1, 1]]);
});

test('strict mode per scheme', () => {
  // IOB2: I after O is no entity; B-X I-Y splits and the I-Y is dropped.
  assert.deepEqual(getEntitiesStrict(['O', 'I-PER', 'B-LOC', 'I-PER'], 'IOB2'), [['LOC', 2, 3]]);
  // IOB1: I after O opens; B-X after I-X of the same type opens a new entity.
  assert.deepEqual(getEntitiesStrict(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC'], 'IOB1'), [['PER', 0, 2], ['PER', 2, 3], ['LOC', 4, 5]]);
  // IOBES: an entity must close with E or be S; B without E is none.
  assert.deepEqual(getEntitiesStrict(['B-PER', 'E-PER', 'S-LOC', 'B-ORG', 'I-ORG', 'O'], 'IOBES'), [['PER', 0, 2], ['LOC', 2, 3]]);
  assert.throws(() => getEntitiesStrict(['E-PER'], 'IOB2'), /Invalid token/);
  assert.throws(() => evaluate([['B-X']], [['B-X']], { mode: 'strict' }), /scheme/);
});

test('averages: micro from counts, macro mean of per-type, weighted by support; predicted-only types reported', () => {
  const yTrue = [['B-A', 'O', 'B-A', 'O', 'B-B', 'I-B', 'O']];
  const yPred = [['B-A', 'O', 'O', 'O', 'B-B', 'O', 'B-C']];
  const r = evaluate(yTrue, yPred);
  assert.deepEqual(Object.keys(r.types), ['A', 'B', 'C']);
  assert.deepEqual(r.types.A, { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
  assert.deepEqual(r.types.B, { precision: 0, recall: 0, f1: 0, support: 1 });
  assert.deepEqual(r.types.C, { precision: 0, recall: 0, f1: 0, support: 0 });
  assert.equal(r.micro.precision, 1 / 3);
  assert.equal(r.micro.recall, 1 / 3);
  assert.ok(Math.abs(r.macro.f1 - (2 / 3) / 3) < 1e-12);
  assert.ok(Math.abs(r.weighted.recall - (0.5 * 2) / 3) < 1e-12);
  assert.equal(r.micro.support, 3);
  assert.equal(r.accuracy, 4 / 7);
});

test("report numbers round like Python's format (half to even on exact ties)", () => {
  assert.equal(pyFixed(0.125, 2), '0.12');
  assert.equal(pyFixed(0.375, 2), '0.38');
  assert.equal(pyFixed(2 / 3, 2), '0.67');
  assert.equal(pyFixed(0.5, 2), '0.50');
});

test('CoNLL reader: word first, tag last, -DOCSTART- and blank lines', () => {
  const text = '-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n\nPeter B-PER\nBlackburn I-PER\n-DOCSTART- -X- O O\nBonn B-LOC\n';
  assert.deepEqual(parseConll(text), [
    { words: ['EU', 'rejects'], tags: ['B-ORG', 'O'], doc: 0 },
    { words: ['Peter', 'Blackburn'], tags: ['B-PER', 'I-PER'], doc: 0 },
    { words: ['Bonn'], tags: ['B-LOC'], doc: 1 },
  ]);
  assert.throws(() => parseConll('lonely\n'), /line 1/);
});
