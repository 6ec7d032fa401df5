/**
 * BIO-constrained decoding: the most probable label sequence (sum of log-probabilities, Viterbi)
 * among those where every I-X follows B-X or I-X. Labels without a B-/I- prefix (O, bare types) are
 * unconstrained. A sequence cannot start with I-X. Returns label ids.
 */
export function bioViterbi(probs: readonly Float32Array[], labels: readonly string[]): number[] {
  const n = probs.length;
  const k = labels.length;
  if (n === 0) return [];
  const { allowed, canStart } = bioTransitions(labels);
  const log = (p: number) => Math.log(Math.max(p, 1e-12));
  let score = new Float64Array(k);
  for (let c = 0; c < k; c++) score[c] = canStart[c] ? log(probs[0]![c]!) : -Infinity;
  const back = new Int32Array(n * k);
  for (let t = 1; t < n; t++) {
    const next = new Float64Array(k).fill(-Infinity);
    for (let c = 0; c < k; c++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < k; p++) {
        if (!allowed[p * k + c]) continue;
        if (score[p]! > best) { best = score[p]!; arg = p; }
      }
      next[c] = best + log(probs[t]![c]!);
      back[t * k + c] = arg;
    }
    score = next;
  }
  let last = 0;
  for (let c = 1; c < k; c++) if (score[c]! > score[last]!) last = c;
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]!]!;
  return path;
}

/** The IOB2 transition rule: allowed[prev * k + cur] (I-X only after B-X or I-X) and canStart (no I-X first). */
export function bioTransitions(labels: readonly string[]): { allowed: Uint8Array; canStart: Uint8Array } {
  const k = labels.length;
  const allowed = new Uint8Array(k * k);
  const canStart = new Uint8Array(k);
  for (let cur = 0; cur < k; cur++) {
    const label = labels[cur]!;
    const inside = label.startsWith('I-') ? label.slice(2) : null;
    canStart[cur] = inside === null ? 1 : 0;
    for (let prev = 0; prev < k; prev++) {
      const p = labels[prev]!;
      allowed[prev * k + cur] = inside === null || p === `B-${inside}` || p === `I-${inside}` ? 1 : 0;
    }
  }
  return { allowed, canStart };
}
