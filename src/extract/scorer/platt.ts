/**
 * Platt scaling: P(right) = sigmoid(a * logit(score) + b), fitted by Newton's method on the log
 * loss, with the labels smoothed as Platt (1999) proposes so that a small, separable calibration
 * set does not push the curve to 0 and 1. Two parameters: sturdier than isotonic regression on the
 * few hundred out-of-fold fields a leave-one-generator-out fold leaves.
 */
export interface PlattModel { kind: 'platt'; a: number; b: number }

const logit = (p: number) => { const q = Math.min(1 - 1e-6, Math.max(1e-6, p)); return Math.log(q / (1 - q)); };

export function fitPlatt(scores: number[], labels: number[]): PlattModel {
  const n1 = labels.filter((y) => y === 1).length; const n0 = labels.length - n1;
  const hi = (n1 + 1) / (n1 + 2); const lo = 1 / (n0 + 2);
  const x = scores.map(logit); const t = labels.map((y) => (y === 1 ? hi : lo));
  let a = 1; let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0; let gb = 0; let haa = 1e-9; let hab = 0; let hbb = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i]! + b)));
      const d = p - t[i]!; const w = p * (1 - p);
      ga += d * x[i]!; gb += d; haa += w * x[i]! * x[i]!; hab += w * x[i]!; hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det; const db = (haa * gb - hab * ga) / det;
    a -= da; b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { kind: 'platt', a, b };
}

export function applyPlatt(m: PlattModel, score: number): number {
  return 1 / (1 + Math.exp(-(m.a * logit(score) + m.b)));
}
