import { SCORED_FIELDS, type ScoredField } from '../scorer/scorer.js';
import type { Outcome } from './fit.js';

/** An outcome with the review flag of the threshold its scorer was shipped with. */
export interface Judged extends Outcome { accepted: boolean }

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}% (${n}/${d})` : 'n/a');

/** Accuracy per field over the scored (printed) fields of each variant: a markdown table. */
export function fieldTable(variants: Array<[string, Outcome[]]>, fields: readonly ScoredField[] = SCORED_FIELDS): string {
  const rows = [`| field | ${variants.map(([n]) => n).join(' | ')} |`, `|---|${variants.map(() => '---|').join('')}`];
  const cell = (list: Outcome[], f: ScoredField | null) => {
    const s = list.filter((o) => o.scored && (f === null || o.field === f));
    return pct(s.filter((o) => o.right).length, s.length);
  };
  for (const f of fields) {
    if (!variants.some(([, l]) => l.some((o) => o.scored && o.field === f))) continue;
    rows.push(`| ${f} | ${variants.map(([, l]) => cell(l, f)).join(' | ')} |`);
  }
  rows.push(`| **all fields** | ${variants.map(([, l]) => `**${cell(l, null)}**`).join(' | ')} |`);
  return rows.join('\n');
}

/** Straight-through: precision of the auto-accepted fields, and their share of all scored fields. */
export function straightThrough(list: Judged[]): { precision: number; coverage: number; accepted: number; right: number; all: number } {
  const s = list.filter((o) => o.scored);
  const acc = s.filter((o) => o.accepted && o.value !== null);
  const right = acc.filter((o) => o.right).length;
  return { precision: acc.length ? right / acc.length : 1, coverage: s.length ? acc.length / s.length : 0, accepted: acc.length, right, all: s.length };
}

export const BUCKETS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001];

/** Confidence bucket -> observed accuracy, over fields with a value. */
export function calibrationBuckets(list: Outcome[]): Array<{ lo: number; hi: number; n: number; meanConf: number; accuracy: number }> {
  const withValue = list.filter((o) => o.scored && o.value !== null);
  return BUCKETS.slice(0, -1).map((lo, i) => {
    const hi = BUCKETS[i + 1]!;
    const b = withValue.filter((o) => o.confidence >= lo && o.confidence < hi);
    return { lo, hi: Math.min(1, hi), n: b.length, meanConf: b.reduce((a, o) => a + o.confidence, 0) / Math.max(1, b.length), accuracy: b.filter((o) => o.right).length / Math.max(1, b.length) };
  });
}

/** Expected calibration error over ten equal-width bins. */
export function ece(list: Outcome[]): number {
  const withValue = list.filter((o) => o.scored && o.value !== null);
  let e = 0;
  for (let i = 0; i < 10; i++) {
    const b = withValue.filter((o) => o.confidence >= i / 10 && (o.confidence < (i + 1) / 10 || (i === 9 && o.confidence <= 1)));
    if (!b.length) continue;
    const conf = b.reduce((a, o) => a + o.confidence, 0) / b.length;
    const acc = b.filter((o) => o.right).length / b.length;
    e += (b.length / withValue.length) * Math.abs(conf - acc);
  }
  return e;
}

/** A reliability diagram (confidence against observed accuracy, ten bins, with counts) as SVG. */
export function reliabilitySvg(list: Outcome[], title: string): string {
  const withValue = list.filter((o) => o.scored && o.value !== null);
  const W = 480; const H = 480; const m = 50; const s = (v: number) => m + v * (W - 2 * m); const t = (v: number) => H - m - v * (H - 2 * m);
  const bars: string[] = [];
  for (let i = 0; i < 10; i++) {
    const b = withValue.filter((o) => o.confidence >= i / 10 && (o.confidence < (i + 1) / 10 || (i === 9 && o.confidence <= 1)));
    if (!b.length) continue;
    const acc = b.filter((o) => o.right).length / b.length;
    bars.push(`<rect x="${s(i / 10) + 2}" y="${t(acc)}" width="${s(0.1) - m - 4}" height="${t(0) - t(acc)}" fill="#4a7bd0" opacity="0.8"/>`,
      `<text x="${s(i / 10 + 0.05)}" y="${t(acc) - 4}" font-size="10" text-anchor="middle">${b.length}</text>`);
  }
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => `<text x="${s(v)}" y="${H - m + 16}" font-size="11" text-anchor="middle">${v}</text><text x="${m - 8}" y="${t(v) + 4}" font-size="11" text-anchor="end">${v}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>`
    + `<text x="${W / 2}" y="24" font-size="14" text-anchor="middle" font-family="sans-serif">${title}</text>`
    + `<g font-family="sans-serif">${bars.join('')}${ticks}</g>`
    + `<line x1="${s(0)}" y1="${t(0)}" x2="${s(1)}" y2="${t(1)}" stroke="#c33" stroke-dasharray="4 3"/>`
    + `<rect x="${m}" y="${m}" width="${W - 2 * m}" height="${H - 2 * m}" fill="none" stroke="#333"/>`
    + `<text x="${W / 2}" y="${H - 12}" font-size="12" text-anchor="middle" font-family="sans-serif">confidence (bin; count above each bar)</text>`
    + `<text x="14" y="${H / 2}" font-size="12" text-anchor="middle" font-family="sans-serif" transform="rotate(-90 14 ${H / 2})">observed accuracy</text></svg>`;
}
