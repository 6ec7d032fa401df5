import { solve } from './platt.js';

/**
 * L2-regularised logistic regression on a few dense features, fitted by damped Newton steps on the
 * weighted log loss. `x` rows carry their own bias column when one is wanted; `l2` skips none.
 */
export function fitLogistic(x: number[][], y: number[], options: { l2?: number; weights?: number[] } = {}): number[] {
  const n = x.length; const k = x[0]?.length ?? 0;
  const l2 = options.l2 ?? 1; const w = options.weights ?? x.map(() => 1);
  const theta = new Float64Array(k);
  const loss = (t: Float64Array) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      let z = 0; for (let j = 0; j < k; j++) z += t[j]! * x[i]![j]!;
      const m = y[i] === 1 ? -z : z;
      l += w[i]! * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
    }
    for (let j = 0; j < k; j++) l += 0.5 * l2 * t[j]! * t[j]!;
    return l;
  };
  let current = loss(theta);
  for (let iter = 0; iter < 60; iter++) {
    const grad = new Float64Array(k); const hess = Array.from({ length: k }, () => new Float64Array(k));
    for (let i = 0; i < n; i++) {
      const row = x[i]!;
      let z = 0; for (let j = 0; j < k; j++) z += theta[j]! * row[j]!;
      const p = 1 / (1 + Math.exp(-z)); const d = (p - y[i]!) * w[i]!; const h = p * (1 - p) * w[i]! + 1e-9;
      for (let r = 0; r < k; r++) { grad[r]! += d * row[r]!; for (let c = 0; c < k; c++) hess[r]![c]! += h * row[r]! * row[c]!; }
    }
    for (let j = 0; j < k; j++) { grad[j]! += l2 * theta[j]!; hess[j]![j]! += l2 + 1e-9; }
    const step = solve(hess, grad);
    let scale = 1; let next: Float64Array | null = null;
    for (let tries = 0; tries < 30; tries++, scale /= 2) {
      const t = theta.map((v, j) => v - scale * step[j]!);
      const l = loss(t);
      if (l < current) { current = l; next = t; break; }
    }
    if (!next) break;
    const moved = next.reduce((a, t, j) => a + Math.abs(t - theta[j]!), 0);
    theta.set(next);
    if (moved < 1e-9) break;
  }
  return [...theta];
}
