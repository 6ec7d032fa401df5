/**
 * Linear-chain CRF decoding over word units, with the transition scores a bundle ships in
 * config.json (`ledgerlens.crf`, written by training/export.py from the trained CRF layer).
 *
 * A path's score is start[y0] + sum_t e_t[y_t] + sum_t trans[y_{t-1}][y_t] + end[y_n-1], with the
 * emissions e_t the log-softmax of the model's logits. The best path under log-softmax emissions is
 * the best path under raw logits (each position shifts every label by the same constant), so the
 * engine's probabilities suffice. Scores reported per unit are CRF marginals: the probability of the
 * chosen label at that unit over all paths (forward-backward), not the unit's own softmax.
 */
export interface Crf {
  /** Row-major [from * k + to]. */
  transitions: Float64Array;
  start: Float64Array;
  end: Float64Array;
}

const NEG = -Infinity;

function logOf(p: number): number {
  return Math.log(Math.max(p, 1e-30));
}

function logSumExp(values: Float64Array): number {
  let max = NEG;
  for (const v of values) if (v > max) max = v;
  if (max === NEG) return NEG;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** The CRF's transitions with disallowed moves (allowed[prev * k + cur] === 0, canStart 0) at -Infinity. */
export function constrain(crf: Crf, allowed: Uint8Array, canStart: Uint8Array): Crf {
  return {
    transitions: crf.transitions.map((v, i) => (allowed[i] ? v : NEG)),
    start: crf.start.map((v, i) => (canStart[i] ? v : NEG)),
    end: crf.end,
  };
}

/** Best path (label ids) and each unit's marginal probability of its label on that path. */
export function crfDecode(probs: readonly Float32Array[], crf: Crf): { path: number[]; scores: number[] } {
  const n = probs.length;
  if (n === 0) return { path: [], scores: [] };
  const k = crf.start.length;
  const em = probs.map((p) => Float64Array.from(p, logOf));
  const tr = crf.transitions;

  // Viterbi
  let score = new Float64Array(k);
  for (let c = 0; c < k; c++) score[c] = crf.start[c]! + em[0]![c]!;
  const back = new Int32Array(n * k);
  for (let t = 1; t < n; t++) {
    const next = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let best = NEG;
      let arg = 0;
      for (let p = 0; p < k; p++) {
        const v = score[p]! + tr[p * k + c]!;
        if (v > best) { best = v; arg = p; }
      }
      next[c] = best + em[t]![c]!;
      back[t * k + c] = arg;
    }
    score = next;
  }
  let last = 0;
  for (let c = 0; c < k; c++) if (score[c]! + crf.end[c]! > score[last]! + crf.end[last]!) last = c;
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]!]!;

  // forward-backward marginals
  const alpha = em.map(() => new Float64Array(k));
  const beta = em.map(() => new Float64Array(k));
  const tmp = new Float64Array(k);
  for (let c = 0; c < k; c++) alpha[0]![c] = crf.start[c]! + em[0]![c]!;
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < k; c++) {
      for (let p = 0; p < k; p++) tmp[p] = alpha[t - 1]![p]! + tr[p * k + c]!;
      alpha[t]![c] = logSumExp(tmp) + em[t]![c]!;
    }
  }
  for (let c = 0; c < k; c++) beta[n - 1]![c] = crf.end[c]!;
  for (let t = n - 2; t >= 0; t--) {
    for (let p = 0; p < k; p++) {
      for (let c = 0; c < k; c++) tmp[c] = tr[p * k + c]! + em[t + 1]![c]! + beta[t + 1]![c]!;
      beta[t]![p] = logSumExp(tmp);
    }
  }
  for (let c = 0; c < k; c++) tmp[c] = alpha[n - 1]![c]! + crf.end[c]!;
  const z = logSumExp(tmp);
  const scores = path.map((c, t) => Math.exp(alpha[t]![c]! + beta[t]![c]! - z));
  return { path, scores };
}
