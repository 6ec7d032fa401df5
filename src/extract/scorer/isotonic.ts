/**
 * Isotonic calibration of scores to probabilities (pool-adjacent-violators), plus the two metrics
 * the scorer reports: log loss and ROC AUC. The model is plain JSON.
 */

/** Knots with strictly increasing x and non-decreasing y in [0, 1]; empty means identity. */
export interface IsotonicModel { kind: 'isotonic'; x: number[]; y: number[] }

/**
 * Fits a non-decreasing step function of score to label by pool-adjacent-violators over scores sorted
 * ascending (equal scores form one block first). Each final block contributes knots at its lowest and
 * highest score (one knot if they are equal), as scikit-learn does, so a step in the data is kept as a
 * step at the training points rather than smeared between block means. Rows with weight 0 or a
 * non-finite score are ignored.
 */
export function fitIsotonic(scores: number[], labels: number[], weights?: number[]): IsotonicModel {
  if (labels.length !== scores.length) throw new RangeError(`isotonic: ${scores.length} scores but ${labels.length} labels`);
  if (weights && weights.length !== scores.length) throw new RangeError(`isotonic: ${scores.length} scores but ${weights.length} weights`);
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]) && (weights?.[i] ?? 1) > 0) idx.push(i);
  idx.sort((a, b) => scores[a]! - scores[b]! || a - b);
  // Blocks as parallel stacks: lowest score, highest score, weight, weighted label sum.
  const lo: number[] = [], hi: number[] = [], sw: number[] = [], swy: number[] = [];
  for (const i of idx) {
    const s = scores[i]!, w = weights?.[i] ?? 1, wy = w * labels[i]!;
    let top = sw.length - 1;
    if (top >= 0 && hi[top] === s) { sw[top]! += w; swy[top]! += wy; }
    else { lo.push(s); hi.push(s); sw.push(w); swy.push(wy); top++; }
    // Pool while the previous block's mean is not below the top block's (cross-multiplied): violators
    // must merge, and merging equal means too keeps one block per flat run, so fewer knots.
    while (top > 0 && swy[top - 1]! * sw[top]! >= swy[top]! * sw[top - 1]!) {
      sw[top - 1]! += sw[top]!; swy[top - 1]! += swy[top]!; hi[top - 1] = hi[top]!;
      lo.pop(); hi.pop(); sw.pop(); swy.pop(); top--;
    }
  }
  const x: number[] = [], y: number[] = [];
  for (let b = 0; b < sw.length; b++) {
    const v = Math.min(1, Math.max(0, swy[b]! / sw[b]!));
    x.push(lo[b]!); y.push(v);
    if (hi[b]! > lo[b]!) { x.push(hi[b]!); y.push(v); }
  }
  return { kind: 'isotonic', x, y };
}

/** Piecewise-linear between knots, clamped to the end knots outside them; an empty model returns score unchanged. */
export function applyIsotonic(model: IsotonicModel, score: number): number {
  const { x, y } = model;
  const n = x.length;
  if (n === 0) return score;
  if (Number.isNaN(score)) return NaN;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[n - 1]!) return y[n - 1]!;
  // Largest i with x[i] <= score; then x[i] <= score < x[i + 1].
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= score) lo = mid; else hi = mid;
  }
  const t = (score - x[lo]!) / (x[hi]! - x[lo]!);
  return Math.min(1, Math.max(0, y[lo]! + t * (y[hi]! - y[lo]!)));
}

/** Mean negative log-likelihood, probabilities clamped to [1e-15, 1 - 1e-15]; NaN when empty. */
export function logLoss(p: number[], y: number[]): number {
  if (p.length !== y.length) throw new RangeError(`logLoss: ${p.length} probabilities but ${y.length} labels`);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
    sum -= y[i]! * Math.log(q) + (1 - y[i]!) * Math.log(1 - q);
  }
  return p.length ? sum / p.length : NaN;
}

/**
 * ROC AUC as the Mann-Whitney statistic: the chance a random positive scores above a random negative,
 * ties counting one half (average ranks). NaN when either class is absent. Labels are 1 (positive) or not.
 */
export function auc(p: number[], y: number[]): number {
  if (p.length !== y.length) throw new RangeError(`auc: ${p.length} scores but ${y.length} labels`);
  const idx = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSum = 0, pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) if (y[idx[k]!] === 1) { rankSum += rank; pos++; }
    i = j + 1;
  }
  const neg = p.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
