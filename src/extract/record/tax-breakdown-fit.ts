import type { InvoiceRecord, TaxBreakdown } from '../../core/invoice-record.js';
import { abs, add, approxEqual, sub } from '../decimal.js';

/**
 * Which candidate rows are the document's tax breakdown, by the invoice's own arithmetic: the
 * breakdown's tax amounts sum to the document's tax total, and its bases sum to the net amount
 * (the subtotal, or the total less the tax). A line can prove base x rate = tax and still be no
 * breakdown row (a 2% early-payment discount of 280.00 is 5.60; a 10% allowance of 147.30 is
 * 14.73): only a set of rows that the totals confirm is reported, and none where no set fits or two
 * different sets fit equally (a wrong row costs an accounts-payable system more than a missing one).
 * Without a tax total, rows whose bases sum to the net amount count if each line names the tax
 * (a known total that differs refutes them: "CGST 9%" and "SGST 9%" on one base are two halves). A
 * zero-rate row proves nothing by its own arithmetic (0% of anything is 0): it needs the bases to fit.
 */

export interface RowCandidate {
  row: TaxBreakdown;
  line: number;
  /** The line itself carries a tax label ("USt", "VAT"), not only a column heading above it. */
  labelled: boolean;
  /** The base is the record's net amount, not a number printed on the row. */
  derived: boolean;
}

export interface BreakdownFit { rows: RowCandidate[]; confidence: number }

/** How many candidates the subset search considers (2^n subsets). */
const MAX_CANDIDATES = 14;
/** Rounding: a cent per row on top of a half cent (each row's tax is rounded on its own). */
const TOLERANCE_BASE = 0.005;
const TOLERANCE_PER_ROW = 0.01;
/** Confidence by what the totals confirm. */
const CONFIDENCE = { taxAndBases: 0.95, tax: 0.85, bases: 0.7 } as const;

const tolerance = (n: number) => (TOLERANCE_BASE + TOLERANCE_PER_ROW * n).toFixed(3);

/** The amounts a breakdown's bases can sum to: the subtotal, the total less the tax. */
export function netAmounts(record: Pick<InvoiceRecord, 'subtotal' | 'total' | 'tax'>): string[] {
  const out: string[] = [];
  if (record.subtotal) out.push(abs(record.subtotal));
  if (record.total && record.tax) out.push(abs(sub(abs(record.total), abs(record.tax))));
  return [...new Set(out)];
}

interface Scored { set: RowCandidate[]; rank: number[]; taxFit: boolean; baseFit: boolean }

export function fitBreakdown(candidates: RowCandidate[], record: Pick<InvoiceRecord, 'subtotal' | 'total' | 'tax'>): BreakdownFit {
  const none = { rows: [], confidence: 0 };
  if (candidates.length === 0) return none;
  // labelled rows first, then the later lines (a summary table stands at the end)
  const pool = [...candidates].sort((a, b) => Number(b.labelled) - Number(a.labelled) || b.line - a.line).slice(0, MAX_CANDIDATES);
  const tax = record.tax === null ? null : abs(record.tax);
  const nets = netAmounts(record);
  let best: Scored | null = null; let tied = false;
  for (let mask = 1; mask < 1 << pool.length; mask++) {
    const set = pool.filter((_, i) => mask & (1 << i));
    // one row per rate and category
    if (new Set(set.map((c) => `${c.row.rate}|${c.row.category}`)).size < set.length) continue;
    const tol = tolerance(set.length);
    const taxFit = tax !== null && approxEqual(add(...set.map((c) => c.row.amount!)), tax, tol);
    const bases = add(...set.map((c) => c.row.base!));
    const baseFit = nets.some((n) => approxEqual(bases, n, tol));
    const zero = set.some((c) => Number(c.row.rate) === 0);
    if (zero && !baseFit) continue;
    // bases alone confirm a set only where no tax total is known (one that is known and differs refutes it)
    if (!taxFit && !(tax === null && baseFit && set.every((c) => c.labelled && !c.derived))) continue;
    const rank = [Number(taxFit && baseFit), Number(taxFit), set.filter((c) => c.labelled).length, -set.filter((c) => c.derived).length];
    const order = best ? lexicographic(rank, best.rank) : 1;
    if (order > 0) { best = { set, rank, taxFit, baseFit }; tied = false; } else if (order === 0) tied = true;
  }
  if (!best || tied) return none;
  const confidence = best.taxFit && best.baseFit ? CONFIDENCE.taxAndBases : best.taxFit ? CONFIDENCE.tax : CONFIDENCE.bases;
  return { rows: [...best.set].sort((a, b) => a.line - b.line), confidence };
}

/** Compares two keys element by element: -1, 0 or 1. */
export function lexicographic(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]! ? 1 : -1;
  return 0;
}
