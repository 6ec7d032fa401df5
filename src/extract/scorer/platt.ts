/**
 * Platt scaling: P(right) = sigmoid(a * logit(score) + b), fitted by Newton's method on the log
 * loss. Few parameters: sturdier than isotonic regression on the few hundred out-of-fold fields a
 * leave-one-generator-out fold leaves.
 */
export interface PlattModel { kind: 'platt'; a: number; b: number }

const logit = (p: number) => { const q = Math.min(1 - 1e-6, Math.max(1e-6, p)); return Math.log(q / (1 - q)); };

export function applyPlatt(m: PlattModel, score: number): number {
  return 1 / (1 + Math.exp(-(m.a * logit(score) + m.b)));
}

/**
 * Platt scaling for several groups (fields) at once: one shared slope, an intercept per group
 * shrunk towards the shared one (ridge `l2`), so that a group with few calibration examples borrows
 * the others' curve. Returns one PlattModel per group.
 */
export function fitPlattGroups(scores: number[], labels: number[], groups: string[], l2 = 2, weights?: number[]): Map<string, PlattModel> {
  const names = [...new Set(groups)].sort();
  const index = new Map(names.map((g, i) => [g, i]));
  const k = names.length + 2; // [a, b, d_1..d_G]
  const theta = new Float64Array(k); theta[0] = 1;
  const x = scores.map(logit); const gi = groups.map((g) => index.get(g)!);
  const w = weights ?? scores.map(() => 1);
  const loss = (t: Float64Array) => {
    let l = 0;
    for (let i = 0; i < x.length; i++) {
      const z = t[0]! * x[i]! + t[1]! + t[2 + gi[i]!]!;
      // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, stable
      const m = labels[i] === 1 ? -z : z;
      l += w[i]! * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
    }
    for (let j = 2; j < k; j++) l += 0.5 * l2 * t[j]! * t[j]!;
    return l;
  };
  let current = loss(theta);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Float64Array(k); const hess = Array.from({ length: k }, () => new Float64Array(k));
    for (let i = 0; i < x.length; i++) {
      const j = 2 + gi[i]!;
      const z = theta[0]! * x[i]! + theta[1]! + theta[j]!;
      const p = 1 / (1 + Math.exp(-z)); const d = (p - labels[i]!) * w[i]!; const h = p * (1 - p) * w[i]! + 1e-9;
      const v = [x[i]!, 1, 1]; const idx = [0, 1, j];
      for (let r = 0; r < 3; r++) { grad[idx[r]!]! += d * v[r]!; for (let c = 0; c < 3; c++) hess[idx[r]!]![idx[c]!]! += h * v[r]! * v[c]!; }
    }
    for (let j = 2; j < k; j++) { grad[j]! += l2 * theta[j]!; hess[j]![j]! += l2; }
    hess[0]![0]! += 1e-6; hess[1]![1]! += 1e-6;
    const step = solve(hess, grad);
    // damped Newton: halve the step until the loss goes down (saturated points make full steps overshoot)
    let scale = 1; let next = theta;
    for (let tries = 0; tries < 30; tries++, scale /= 2) {
      next = theta.map((t, j) => t - scale * step[j]!);
      const l = loss(next);
      if (l < current) { current = l; break; }
      next = theta;
    }
    if (next === theta) break;
    const moved = next.reduce((a, t, j) => a + Math.abs(t - theta[j]!), 0);
    theta.set(next);
    if (moved < 1e-9) break;
  }
  return new Map(names.map((g, i) => [g, { kind: 'platt' as const, a: theta[0]!, b: theta[1]! + theta[2 + i]! }]));
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
export function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length; const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c; for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) { const f = m[r]![c]! / piv; for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!; }
  }
  const out = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) { let s = m[r]![n]!; for (let j = r + 1; j < n; j++) s -= m[r]![j]! * out[j]!; out[r] = s / (m[r]![r]! || 1e-12); }
  return out;
}
