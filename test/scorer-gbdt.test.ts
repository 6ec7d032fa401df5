import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureGains, gbdtMargin, gbdtProbability, trainGbdt, type GbdtModel, type Sparse } from '../src/extract/scorer/gbdt.js';
import { applyIsotonic, auc, fitIsotonic, logLoss } from '../src/extract/scorer/isotonic.js';
import { Rng } from '../src/synth/prng.js';

/** The project's seeded PRNG, so every run sees the same synthetic data. */
function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** XOR of signs of a and b, with a noise feature; no linear model beats chance on it. */
function xorData(n: number, seed: number): { rows: Sparse[]; labels: number[] } {
  const rnd = prng(seed);
  const rows: Sparse[] = [], labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rnd() * 2 - 1, b = rnd() * 2 - 1;
    rows.push({ a, b, noise: rnd() });
    labels.push(a > 0 !== b > 0 ? 1 : 0);
  }
  return { rows, labels };
}

const accuracy = (model: GbdtModel, rows: Sparse[], labels: number[]) =>
  rows.filter((r, i) => (gbdtProbability(model, r) > 0.5 ? 1 : 0) === labels[i]).length / rows.length;

test('gbdt learns an XOR interaction on held-out points', () => {
  const train = xorData(3000, 1), held = xorData(1000, 2);
  const model = trainGbdt(train.rows, train.labels);
  assert.ok(accuracy(model, held.rows, held.labels) > 0.95, `accuracy ${accuracy(model, held.rows, held.labels)}`);
  const p = held.rows.map((r) => gbdtProbability(model, r));
  assert.ok(auc(p, held.labels) > 0.98);
  assert.ok(logLoss(p, held.labels) < 0.25);
});

test('featureGains ranks the informative features above noise', () => {
  const { rows, labels } = xorData(2000, 3);
  const model = trainGbdt(rows, labels, { trees: 30 });
  const gains = featureGains(model);
  assert.deepEqual(gains.slice(0, 2).map(([f]) => f).sort(), ['a', 'b']);
  for (let i = 1; i < gains.length; i++) assert.ok(gains[i - 1]![1] >= gains[i]![1]);
  // A single informative feature ranks first.
  const rnd = prng(4);
  const r2: Sparse[] = [], y2: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = rnd();
    r2.push({ junk: rnd(), signal: s, other: rnd() });
    y2.push(s > 0.6 ? 1 : 0);
  }
  assert.equal(featureGains(trainGbdt(r2, y2, { trees: 20 }))[0]![0], 'signal');
});

test('missing features read as 0, sparse rows and empty rows are fine', () => {
  // Label is 1 exactly when flag is present (1); most rows omit flag entirely.
  const rnd = prng(5);
  const rows: Sparse[] = [], labels: number[] = [];
  for (let i = 0; i < 800; i++) {
    const on = rnd() < 0.3;
    const row: Sparse = on ? { flag: 1 } : {};
    if (rnd() < 0.5) row.x = rnd();
    if (i % 7 === 0) row.zero = 0; // present but never nonzero
    rows.push(row); labels.push(on ? 1 : 0);
  }
  const model = trainGbdt(rows, labels);
  assert.ok(model.features.includes('zero'));
  assert.equal(gbdtMargin(model, {}), gbdtMargin(model, { flag: 0, x: 0, zero: 0 }));
  assert.equal(gbdtMargin(model, { flag: 1 }), gbdtMargin(model, { flag: 1, x: 0, unknown: 5 }));
  assert.equal(gbdtMargin(model, { flag: Number.NaN }), gbdtMargin(model, {}));
  assert.ok(gbdtProbability(model, {}) < 0.05);
  assert.ok(gbdtProbability(model, { flag: 1 }) > 0.95);
  assert.ok(!featureGains(model).some(([f]) => f === 'zero'));
});

test('all-equal labels give a constant model near the label, without trees', () => {
  const rows: Sparse[] = Array.from({ length: 50 }, (_, i) => ({ a: i }));
  const ones = trainGbdt(rows, rows.map(() => 1));
  assert.equal(ones.trees.length, 0);
  assert.ok(gbdtProbability(ones, { a: 3 }) > 0.999);
  assert.ok(Number.isFinite(ones.base));
  assert.ok(gbdtProbability(trainGbdt(rows, rows.map(() => 0)), {}) < 0.001);
  const empty = trainGbdt([], []);
  assert.deepEqual(empty.trees, []);
  assert.equal(gbdtProbability(empty, { a: 1 }), 0.5);
  assert.throws(() => trainGbdt(rows, [1]), RangeError);
  assert.throws(() => trainGbdt(rows, rows.map(() => 2)), RangeError);
  assert.throws(() => trainGbdt(rows, rows.map(() => 1), { bins: 1000 }), RangeError);
});

test('weights count as repeated rows', () => {
  // Values on a coarse grid, so both trainings see the same distinct values and hence the same bins.
  const data = xorData(400, 6);
  const rows = data.rows.map((r) => ({ a: Math.round(r.a! * 10) / 10, b: Math.round(r.b! * 10) / 10 }));
  const labels = rows.map((r) => (r.a > 0 !== r.b > 0 ? 1 : 0));
  const weighted = trainGbdt(rows, labels, { weights: rows.map((_, i) => (i % 2 ? 2 : 1)), trees: 10 });
  const repeated = trainGbdt([...rows, ...rows.filter((_, i) => i % 2)], [...labels, ...labels.filter((_, i) => i % 2)], { trees: 10 });
  const probe = xorData(200, 7).rows;
  for (const r of probe) assert.ok(Math.abs(gbdtMargin(weighted, r) - gbdtMargin(repeated, r)) < 1e-6);
});

test('JSON round trip and retraining give identical predictions', () => {
  const { rows, labels } = xorData(1500, 8);
  const model = trainGbdt(rows, labels, { trees: 40 });
  const copy = JSON.parse(JSON.stringify(model)) as GbdtModel;
  assert.deepEqual(copy, model);
  assert.deepEqual(trainGbdt(rows, labels, { trees: 40 }), model);
  for (const r of xorData(300, 9).rows) assert.equal(gbdtMargin(copy, r), gbdtMargin(model, r));
});

test('isotonic output is monotone, in [0, 1], and reproduces a step', () => {
  const rnd = prng(10);
  const scores: number[] = [], labels: number[] = [];
  for (let i = 0; i < 500; i++) { const s = rnd(); scores.push(s); labels.push(rnd() < s * s ? 1 : 0); }
  const model = fitIsotonic(scores, labels);
  let prev = -Infinity;
  for (let s = -0.5; s <= 1.5; s += 0.001) {
    const v = applyIsotonic(model, s);
    assert.ok(v >= prev && v >= 0 && v <= 1);
    prev = v;
  }
  for (let i = 1; i < model.x.length; i++) { assert.ok(model.x[i]! > model.x[i - 1]!); assert.ok(model.y[i]! >= model.y[i - 1]!); }
  // A step at 0.5 (with tied scores) is reproduced at every training point.
  const xs = Array.from({ length: 100 }, (_, i) => Math.floor(i / 2) / 50);
  const step = fitIsotonic(xs, xs.map((s) => (s >= 0.5 ? 1 : 0)));
  for (const s of xs) assert.equal(applyIsotonic(step, s), s >= 0.5 ? 1 : 0);
  assert.deepEqual(step.y, [0, 0, 1, 1]);
  // Violators are pooled to their weighted mean.
  assert.deepEqual(fitIsotonic([1, 2, 3], [1, 0, 0], [1, 1, 2]), { kind: 'isotonic', x: [1, 3], y: [0.25, 0.25] });
});

test('applyIsotonic interpolates between knots and clamps outside', () => {
  const m = { kind: 'isotonic' as const, x: [0.2, 0.6, 1], y: [0.1, 0.5, 0.9] };
  assert.ok(Math.abs(applyIsotonic(m, 0.4) - 0.3) < 1e-12);
  assert.ok(Math.abs(applyIsotonic(m, 0.8) - 0.7) < 1e-12);
  assert.equal(applyIsotonic(m, 0.6), 0.5);
  assert.equal(applyIsotonic(m, -3), 0.1);
  assert.equal(applyIsotonic(m, 7), 0.9);
  assert.equal(applyIsotonic({ kind: 'isotonic', x: [], y: [] }, 0.37), 0.37);
});

test('auc handles perfect, reversed and tied rankings; logLoss is finite', () => {
  assert.equal(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  assert.equal(auc([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1]), 0.875);
  assert.ok(Number.isNaN(auc([0.1, 0.2], [1, 1])));
  assert.ok(Number.isFinite(logLoss([0, 1], [1, 0])));
  assert.ok(Math.abs(logLoss([0.5, 0.5], [0, 1]) - Math.LN2) < 1e-12);
});

// Size check, printed not asserted (timings belong to benchmarks): 60k rows x 200 features, defaults.
test('training time at 60k x 200 (printed)', () => {
  const rnd = prng(11);
  const rows: Sparse[] = [], labels: number[] = [];
  for (let i = 0; i < 60_000; i++) {
    const row: Sparse = {};
    // 50 dense numeric features, 150 sparse indicators (about 10% present).
    for (let f = 0; f < 50; f++) row[`n${f}`] = rnd();
    for (let f = 0; f < 150; f++) if (rnd() < 0.1) row[`s${f}`] = 1;
    rows.push(row);
    labels.push((row.n0! > 0.5) !== (row.n1! > 0.5) || row.s0 === 1 ? 1 : 0);
  }
  const t0 = performance.now();
  const model = trainGbdt(rows, labels);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  let sum = 0;
  for (const r of rows) sum += gbdtMargin(model, r);
  const predMs = performance.now() - t1;
  console.log(`gbdt 60000x200, ${model.trees.length} trees depth 4: train ${(ms / 1000).toFixed(2)} s, predict ${(predMs / 60).toFixed(2)} µs/row (sum ${sum.toFixed(1)})`);
  assert.equal(model.features.length, 200);
});
