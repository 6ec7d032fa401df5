/**
 * Gradient-boosted decision trees for binary classification (logistic loss), dependency-free and
 * deterministic: the same rows, labels and options always give the same model, byte for byte.
 *
 * Training bins every feature into at most `bins` quantile buckets (a missing feature is 0) and
 * grows each tree depth-wise from gradient/hessian histograms, XGBoost style. The model stores
 * raw-value thresholds, so prediction reads Sparse rows directly and the model is plain JSON.
 */

/** Feature name -> value. A missing feature, NaN or ±Infinity reads as 0. */
export type Sparse = Record<string, number>;

export interface GbdtOptions {
  /** Boosting rounds (default 100). Training stops early once a tree finds no split. */
  trees?: number;
  /** Maximum tree depth, 1..16 (default 4). */
  depth?: number;
  /** Shrinkage folded into leaf values (default 0.2). */
  learningRate?: number;
  /** Minimum child size in units of row weight (default 5); checked on hessian as minLeaf * 0.25, the hessian of one unit of weight at p = 0.5. */
  minLeaf?: number;
  /** L2 penalty on leaf values (default 1). */
  l2?: number;
  /** Maximum bins per feature, 2..256 (default 32). */
  bins?: number;
  /** Per-row weights, non-negative (default 1). */
  weights?: number[];
}

/** Node i is a split when feature[i] >= 0 (go left when x <= threshold[i]), else a leaf with value[i]. */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  /** Split gain per node (0 at leaves), for the model card. */
  gain?: number[];
}

export interface GbdtModel { kind: 'gbdt'; features: string[]; base: number; trees: GbdtTree[] }

const DEFAULTS = { trees: 100, depth: 4, learningRate: 0.2, minLeaf: 5, l2: 1, bins: 32 };
/** Label means are clamped to [EPS, 1 - EPS] before taking log-odds, so base stays finite (|base| <= ~13.8). */
const EPS = 1e-6;
/** Gains below this are float noise, not splits. */
const MIN_GAIN = 1e-12;

const clean = (v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? 0 : v);

export function sigmoid(m: number): number {
  if (m >= 0) return 1 / (1 + Math.exp(-m));
  const e = Math.exp(m);
  return e / (1 + e);
}

/** base + sum of tree outputs; learning rate is already folded into leaf values. Allocation-free. */
export function gbdtMargin(model: GbdtModel, row: Sparse): number {
  const x = Float64Array.from(model.features, (name) => clean(row[name]));
  return gbdtMarginDense(model, x, Int32Array.from(model.features, (_, i) => i));
}

/**
 * The margin on a dense row: x[columns[f]] is the value of model.features[f] (columns maps the
 * model's features into a vector shared by several models, built once per candidate).
 */
export function gbdtMarginDense(model: GbdtModel, x: Float64Array, columns: Int32Array): number {
  let m = model.base;
  for (const t of model.trees) {
    const feature = t.feature, threshold = t.threshold, left = t.left, right = t.right;
    let i = 0;
    let f = feature[0]!;
    while (f >= 0) {
      i = x[columns[f]!]! <= threshold[i]! ? left[i]! : right[i]!;
      f = feature[i]!;
    }
    m += t.value[i]!;
  }
  return m;
}

export function gbdtProbability(model: GbdtModel, row: Sparse): number {
  return sigmoid(gbdtMargin(model, row));
}

/** Total split gain per feature over all trees, sorted by gain descending, then name; features never split on are left out. */
export function featureGains(model: GbdtModel): Array<[string, number]> {
  const total = new Map<string, number>();
  for (const t of model.trees) {
    t.feature.forEach((f, i) => {
      if (f < 0) return;
      const name = model.features[f]!;
      total.set(name, (total.get(name) ?? 0) + (t.gain?.[i] ?? 0));
    });
  }
  return [...total].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Binned training matrix: column-major bin codes plus, per feature, the raw thresholds between bins. */
interface Binned { n: number; bins: Uint8Array; cuts: Float64Array[]; stride: number; nonzero: Uint32Array[]; zeroBin: Uint8Array }

/**
 * Bin feature values at weight-free quantiles of the training values (zeros included).
 * Bin b holds values <= cuts[b] and > cuts[b-1]; cuts are midpoints between adjacent distinct values.
 */
function binFeatures(rows: Sparse[], features: string[], maxBins: number): Binned {
  const n = rows.length;
  const index = new Map(features.map((f, i) => [f, i]));
  // Nonzero entries per feature, gathered in one pass over the rows.
  const at: number[][] = features.map(() => []);
  const val: number[][] = features.map(() => []);
  rows.forEach((row, r) => {
    for (const key in row) {
      const v = clean(row[key]);
      if (v === 0) continue;
      const f = index.get(key)!;
      at[f]!.push(r);
      val[f]!.push(v);
    }
  });
  const bins = new Uint8Array(n * features.length);
  const cuts: Float64Array[] = [];
  const zeroBin = new Uint8Array(features.length);
  let stride = 1;
  features.forEach((_, f) => {
    const vs = Float64Array.from(val[f]!).sort();
    // Distinct values with counts, zeros merged in at their sorted place.
    const distinct: number[] = [], counts: number[] = [];
    const zeros = n - vs.length;
    let zeroDone = zeros === 0;
    const push = (v: number, c: number) => {
      if (distinct.length && distinct[distinct.length - 1] === v) counts[counts.length - 1]! += c;
      else { distinct.push(v); counts.push(c); }
    };
    for (const v of vs) {
      if (!zeroDone && v > 0) { push(0, zeros); zeroDone = true; }
      push(v, 1);
    }
    if (!zeroDone) push(0, zeros);
    // Greedy quantile cuts: close a bin once it holds its share of the rows not yet binned, so a
    // heavy value (usually 0) takes one bin and the rest are spread over the remaining values.
    const c: number[] = [];
    let seen = 0, closed = 0;
    for (let d = 0; d + 1 < distinct.length && c.length < maxBins - 1; d++) {
      seen += counts[d]!;
      if (distinct.length <= maxBins || seen - closed >= (n - closed) / (maxBins - c.length)) {
        const a = distinct[d]!, b = distinct[d + 1]!;
        c.push(a + (b - a) / 2);
        closed = seen;
      }
    }
    const fc = Float64Array.from(c);
    cuts.push(fc);
    stride = Math.max(stride, fc.length + 1);
    const col = bins.subarray(f * n, (f + 1) * n);
    zeroBin[f] = binOf(fc, 0);
    col.fill(zeroBin[f]!);
    const rs = at[f]!, xs = val[f]!;
    for (let k = 0; k < rs.length; k++) col[rs[k]!] = binOf(fc, xs[k]!);
  });
  return { n, bins, cuts, stride, nonzero: at.map((rs) => Uint32Array.from(rs)), zeroBin };
}

/** First bin b with x <= cuts[b], else cuts.length. */
function binOf(cuts: Float64Array, x: number): number {
  let lo = 0, hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]!) hi = mid; else lo = mid + 1;
  }
  return lo;
}

function checkOptions(rows: Sparse[], labels: number[], o: Required<Omit<GbdtOptions, 'weights'>>, weights?: number[]): void {
  if (labels.length !== rows.length) throw new RangeError(`gbdt: ${rows.length} rows but ${labels.length} labels`);
  if (weights && weights.length !== rows.length) throw new RangeError(`gbdt: ${rows.length} rows but ${weights.length} weights`);
  if (labels.some((y) => y !== 0 && y !== 1)) throw new RangeError('gbdt: labels must be 0 or 1');
  if (weights?.some((w) => !(w >= 0 && Number.isFinite(w)))) throw new RangeError('gbdt: weights must be finite and >= 0');
  const bad: string[] = [];
  if (!Number.isInteger(o.trees) || o.trees < 0) bad.push(`trees=${o.trees}`);
  if (!Number.isInteger(o.depth) || o.depth < 1 || o.depth > 16) bad.push(`depth=${o.depth}`);
  if (!(o.learningRate > 0)) bad.push(`learningRate=${o.learningRate}`);
  if (!(o.minLeaf >= 0)) bad.push(`minLeaf=${o.minLeaf}`);
  if (!(o.l2 >= 0)) bad.push(`l2=${o.l2}`);
  if (!Number.isInteger(o.bins) || o.bins < 2 || o.bins > 256) bad.push(`bins=${o.bins}`);
  if (bad.length) throw new RangeError(`gbdt: invalid options ${bad.join(', ')}`);
}

/** A node waiting to be split: its rows are order[start, end), its histogram is hist (gradients then hessians). */
interface Pending { id: number; start: number; end: number; depth: number; g: number; h: number; hist: Float64Array }

export function trainGbdt(rows: Sparse[], labels: number[], options: GbdtOptions = {}): GbdtModel {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS;
  checkOptions(rows, labels, o, options.weights);
  const n = rows.length;
  const w = Float64Array.from(options.weights ?? labels.map(() => 1));
  let sw = 0, swy = 0;
  for (let r = 0; r < n; r++) { sw += w[r]!; swy += w[r]! * labels[r]!; }
  const mean = Math.min(1 - EPS, Math.max(EPS, sw > 0 ? swy / sw : 0.5));
  const base = Math.log(mean / (1 - mean));
  const names = new Set<string>();
  for (const row of rows) for (const key in row) names.add(key);
  const features = [...names].sort();
  // All labels equal (by weight): nothing to learn beyond the clamped base.
  if (sw === 0 || swy === 0 || swy === sw || o.trees === 0) return { kind: 'gbdt', features, base, trees: [] };

  const { bins, cuts, stride, nonzero, zeroBin } = binFeatures(rows, features, o.bins);
  const nf = features.length, histSize = 2 * nf * stride, hOff = nf * stride;
  const y = Float64Array.from(labels);
  const margin = new Float64Array(n).fill(base);
  const grad = new Float64Array(n), hess = new Float64Array(n);
  const order = new Uint32Array(n), scratch = new Uint32Array(n), nodeOf = new Int32Array(n);
  const gg = new Float64Array(n), hh = new Float64Array(n);
  const minHess = Math.max(o.minLeaf * 0.25, 1e-9); // a floor so float residue never counts as a child
  const pool: Float64Array[] = [];
  const takeHist = () => { const a = pool.pop(); return a ? a.fill(0) : new Float64Array(histSize); };

  const ctx: HistContext = { n, nf, stride, hOff, bins, nonzero, zeroBin, grad, hess, order, nodeOf, gg, hh };
  const buildHist = (id: number, start: number, end: number, hist: Float64Array) => histogram(ctx, id, start, end, hist);

  const trees: GbdtTree[] = [];
  for (let round = 0; round < o.trees; round++) {
    let G = 0, H = 0;
    for (let r = 0; r < n; r++) {
      const p = sigmoid(margin[r]!);
      grad[r] = w[r]! * (p - y[r]!);
      hess[r] = w[r]! * Math.max(p * (1 - p), 1e-16);
      G += grad[r]!; H += hess[r]!;
      order[r] = r;
    }
    nodeOf.fill(0);
    const t: Required<GbdtTree> = { feature: [], threshold: [], left: [], right: [], value: [], gain: [] };
    const addNode = () => { t.feature.push(-1); t.threshold.push(0); t.left.push(-1); t.right.push(-1); t.value.push(0); t.gain.push(0); return t.feature.length - 1; };
    const rootHist = takeHist();
    buildHist(0, 0, n, rootHist);
    const queue: Pending[] = [{ id: addNode(), start: 0, end: n, depth: 0, g: G, h: H, hist: rootHist }];
    // Depth-wise growth: FIFO order visits nodes level by level, so node ids are deterministic.
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      const best = node.depth < o.depth ? bestSplit(node, nf, stride, hOff, cuts, o.l2, minHess) : undefined;
      if (!best) {
        const v = (-node.g / (node.h + o.l2)) * o.learningRate;
        t.value[node.id] = v;
        for (let k = node.start; k < node.end; k++) margin[order[k]!]! += v;
        pool.push(node.hist);
        continue;
      }
      // Stable partition of the node's rows: left (bin <= best.bin) first.
      const col = best.feature * n;
      const li = addNode(), ri = addNode();
      let l = node.start, s = 0;
      for (let k = node.start; k < node.end; k++) {
        const r = order[k]!;
        if (bins[col + r]! <= best.bin) { order[l++] = r; nodeOf[r] = li; } else { scratch[s++] = r; nodeOf[r] = ri; }
      }
      order.set(scratch.subarray(0, s), l);
      // Histogram the smaller child; the sibling is parent minus it, computed in the parent's buffer.
      const leftSmall = l - node.start <= node.end - l;
      const small = takeHist();
      if (leftSmall) buildHist(li, node.start, l, small); else buildHist(ri, l, node.end, small);
      const big = node.hist;
      for (let i = 0; i < histSize; i++) big[i]! -= small[i]!;
      t.feature[node.id] = best.feature; t.threshold[node.id] = cuts[best.feature]![best.bin]!;
      t.left[node.id] = li; t.right[node.id] = ri; t.gain[node.id] = best.gain;
      const d = node.depth + 1;
      queue.push({ id: li, start: node.start, end: l, depth: d, g: best.gl, h: best.hl, hist: leftSmall ? small : big });
      queue.push({ id: ri, start: l, end: node.end, depth: d, g: node.g - best.gl, h: node.h - best.hl, hist: leftSmall ? big : small });
    }
    trees.push(t);
    if (t.feature[0]! < 0) break; // the root found no split: later rounds would only shift the constant
  }
  return { kind: 'gbdt', features, base, trees };
}

interface HistContext {
  n: number; nf: number; stride: number; hOff: number; bins: Uint8Array; nonzero: Uint32Array[]; zeroBin: Uint8Array;
  grad: Float64Array; hess: Float64Array; order: Uint32Array; nodeOf: Int32Array; gg: Float64Array; hh: Float64Array;
}

/**
 * Histogram of node id's rows order[start, end) into hist. A feature with fewer nonzero rows than
 * half the node is binned from its nonzero list (rows outside the node skipped via nodeOf), and its
 * zero bin gets the node total minus the rest; other features scan the node's rows.
 */
function histogram(c: HistContext, id: number, start: number, end: number, hist: Float64Array): void {
  const { n, nf, stride, hOff, bins, nonzero, zeroBin, grad, hess, order, nodeOf, gg, hh } = c;
  const m = end - start;
  let G = 0, H = 0;
  for (let k = 0; k < m; k++) { const r = order[start + k]!; G += gg[k] = grad[r]!; H += hh[k] = hess[r]!; }
  for (let f = 0; f < nf; f++) {
    const col = f * n, off = f * stride, nz = nonzero[f]!;
    if (nz.length < m / 2) {
      let sg = 0, sh = 0;
      for (let k = 0; k < nz.length; k++) {
        const r = nz[k]!;
        if (nodeOf[r] !== id) continue;
        const b = off + bins[col + r]!;
        sg += grad[r]!; sh += hess[r]!;
        hist[b]! += grad[r]!;
        hist[hOff + b]! += hess[r]!;
      }
      hist[off + zeroBin[f]!]! += G - sg;
      hist[hOff + off + zeroBin[f]!]! += H - sh;
      continue;
    }
    for (let k = 0; k < m; k++) {
      const b = off + bins[col + order[start + k]!]!;
      hist[b]! += gg[k]!;
      hist[hOff + b]! += hh[k]!;
    }
  }
}

/**
 * Best split of a node by XGBoost gain 1/2 [GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)]; both children need
 * hessian >= minHess. Ties keep the first (lowest feature index, then lowest bin), for determinism.
 */
function bestSplit(node: Pending, nf: number, stride: number, hOff: number, cuts: Float64Array[], l2: number, minHess: number) {
  const { g: G, h: H, hist } = node;
  const parent = (G * G) / (H + l2);
  let best: { feature: number; bin: number; gain: number; gl: number; hl: number } | undefined;
  let bestGain = MIN_GAIN;
  for (let f = 0; f < nf; f++) {
    const nCuts = cuts[f]!.length, off = f * stride;
    let gl = 0, hl = 0;
    for (let b = 0; b < nCuts; b++) {
      gl += hist[off + b]!; hl += hist[hOff + off + b]!;
      const hr = H - hl;
      if (hl < minHess || hr < minHess) continue;
      const gr = G - gl;
      const gain = 0.5 * ((gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent);
      if (gain > bestGain) { bestGain = gain; best = { feature: f, bin: b, gain, gl, hl }; }
    }
  }
  return best;
}
