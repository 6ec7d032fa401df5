import type { InvoiceRecord, TaxBreakdown } from '../../core/invoice-record.js';
import { abs, approxEqual, mul } from '../decimal.js';
import { amountsIn } from '../candidates.js';
import type { DecimalMark } from '../normalize-money.js';
import { ZERO_RATE_CATEGORIES } from './field-lexicon.js';
import { lineHits } from './labelled.js';
import { normalisePercent } from './payment-terms.js';
import type { PageLines } from './page-lines.js';

/**
 * The tax breakdown from the page: a row is a line that states a rate and two amounts whose
 * arithmetic proves them base and tax (base x rate / 100 = tax, to the cent or two), or, on a
 * document with one rate, a rate and the tax on a line with a tax label where the record's
 * subtotal is the base. On a tax line with two amounts, the rate may stand without "%" when the
 * arithmetic proves it. A zero rate needs a tax label on its line and takes its category from
 * a phrase (reverse charge, intra-community, export, exempt) or none; a positive rate is
 * category S. Rows repeated in a summary are kept once.
 */

export interface BreakdownFound { rows: TaxBreakdown[]; confidence: number; lines: number[] }

const RATE = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%/gu;
const BARE_RATE = /(?<![\p{L}\d.,])(\d{1,2}(?:[.,]\d{1,2})?)(?![\p{L}\d%]|[.,]\d)/gu;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CATEGORY_RES = ZERO_RATE_CATEGORIES.map(({ category, phrases }) => ({ category, re: new RegExp(`(?<![\\p{L}])(?:${phrases.map(escape).join('|')})`, 'iu') }));

function zeroCategory(text: string): string | null {
  for (const { category, re } of CATEGORY_RES) if (re.test(text)) return category;
  return null;
}

export function findTaxBreakdown(view: PageLines, record: InvoiceRecord, mark: DecimalMark | undefined): BreakdownFound {
  const rows: TaxBreakdown[] = []; const lines: number[] = [];
  const hits = lineHits(view);
  const single: Array<{ rate: string; tax: string; line: number }> = [];
  const seen = new Set<string>();
  const push = (row: TaxBreakdown, line: number) => {
    const key = `${row.rate}|${row.base}|${row.amount}`;
    if (seen.has(key)) return;
    seen.add(key); rows.push(row); lines.push(line);
  };
  view.lines.forEach((line, i) => {
    const hitsOfLine = amountsIn(line.text, 0, mark);
    const amounts = hitsOfLine.map((a) => abs(a.value));
    const taxLabel = hits[i]!.some((h) => h.key === 'tax');
    let rates = [...line.text.matchAll(RATE)].map((m) => normalisePercent(m[1]!)).filter((r): r is string => r !== null);
    // a rate column without "%" ("Umsatzsteuer (S)  275,00  7  19,25"): a bare number on a tax line, if the arithmetic proves it
    if (rates.length === 0 && taxLabel && amounts.length === 2) {
      rates = [...line.text.matchAll(BARE_RATE)].filter((m) => !hitsOfLine.some((a) => a.start <= m.index! && a.end > m.index!))
        .map((m) => normalisePercent(m[1]!)).filter((r): r is string => r !== null && Number(r) > 0)
        .filter((r) => approxEqual(mul(amounts[0]!, (Number(r) / 100).toFixed(6)), amounts[1]!, '0.02'));
    }
    if (rates.length !== 1) return;
    const rate = rates[0]!;
    if (Number(rate) > 30) return;
    if (Number(rate) === 0) {
      if (!taxLabel || amounts.length < 2 || Number(amounts[amounts.length - 1]) !== 0) return;
      const base = amounts.slice(0, -1).reverse().find((a) => Number(a) !== 0);
      if (base) push({ rate, base, amount: amounts[amounts.length - 1]!, category: zeroCategory(view.text.slice(Math.max(0, line.start - 200), line.end)) }, i);
      return;
    }
    const factor = (Number(rate) / 100).toFixed(6);
    let found = false;
    for (let b = 0; b < amounts.length && !found; b++) {
      for (let t = 0; t < amounts.length && !found; t++) {
        if (b === t || Number(amounts[t]) === 0 || Number(amounts[t]) >= Number(amounts[b])) continue;
        if (approxEqual(mul(amounts[b]!, factor), amounts[t]!, '0.02')) { push({ rate, base: amounts[b]!, amount: amounts[t]!, category: 'S' }, i); found = true; }
      }
    }
    if (!found && taxLabel && amounts.length === 1) single.push({ rate, tax: amounts[0]!, line: i });
  });
  if (rows.length === 0 && single.length > 0 && record.subtotal) {
    const s = single.find((x) => approxEqual(mul(abs(record.subtotal!), (Number(x.rate) / 100).toFixed(6)), x.tax, '0.02'));
    if (s) push({ rate: s.rate, base: abs(record.subtotal), amount: s.tax, category: 'S' }, s.line);
  }
  if (rows.length === 0) return { rows, confidence: 0, lines };
  const taxSum = rows.reduce((acc, r) => acc + Number(r.amount), 0);
  const agrees = record.tax !== null && Math.abs(taxSum - Math.abs(Number(record.tax))) < 0.015;
  return { rows, confidence: agrees ? 0.93 : 0.6, lines };
}
