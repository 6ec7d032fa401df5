import type { InvoiceRecord, LineItem, TaxBreakdown } from '../../core/invoice-record.js';
import { abs, add, approxEqual, mul, sub } from '../decimal.js';
import { amountsIn, type AmountHit } from '../candidates.js';
import type { DecimalMark } from '../normalize-money.js';
import { ZERO_RATE_CATEGORIES } from './field-lexicon.js';
import { lineHits } from './labelled.js';
import { normalisePercent } from './payment-terms.js';
import type { PageLine, PageLines } from './page-lines.js';
import { fitBreakdown, lexicographic, netAmounts, type RowCandidate } from './tax-breakdown-fit.js';

/**
 * The tax breakdown from the page. A candidate row is a line that states a rate and two amounts
 * whose arithmetic proves them base and tax (base x rate / 100 = tax, to the cent or two), several
 * rates on one line each with their own pair; or a rate and the tax on a line with a tax label,
 * the record's net amount (subtotal, else total less the tax) as the base where the arithmetic
 * proves it, or the sum of the line items at that rate (net or gross prices). Where the line has
 * a tax label or stands under a tax-rate column heading ("MwSt-%", "USt. %"), the rate may stand
 * without "%" when the arithmetic proves it, and a zero rate may be a bare "0" before a zero tax;
 * a zero rate takes its category from a phrase (reverse charge,
 * intra-community, export, exempt) or none, a positive rate is category S. Which candidates are
 * the breakdown is decided by the totals (tax-breakdown-fit.ts).
 */

export interface BreakdownFound { rows: TaxBreakdown[]; confidence: number; lines: number[] }

const RATE = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%/gu;
/** A rate printed without "%": a word of its own ("§4" is a paragraph, "4." an ordinal). */
const BARE_RATE = /(?<!\S)(\d{1,2}(?:[.,]\d{1,2})?)(?!\S)/gu;
/** The highest rate a breakdown row is taken to have (VAT, GST and sales tax rates stay below). */
const MAX_RATE = 30;
/** How far above a row its tax-rate column heading may stand (lines of the same page). */
const HEADING_REACH = 6;
const ROW_TOLERANCE = '0.02';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A phrase this long also ends a compound ("Umsatzsteuerbefreit"); a shorter one starts a word. */
const COMPOUND_TAIL = 10;
const CATEGORY_RES = ZERO_RATE_CATEGORIES.map(({ category, phrases }) => ({
  category,
  re: new RegExp(phrases.map((p) => `${p.length >= COMPOUND_TAIL ? '' : '(?<![\\p{L}])'}${escape(p)}`).join('|'), 'iu'),
}));
/** How far before a zero-rate row its exemption reason may start (characters), and how many lines under it it may run on. */
const REASON_BEFORE = 200;
const REASON_LINES_AFTER = 2;

function zeroCategory(text: string): string | null {
  for (const { category, re } of CATEGORY_RES) if (re.test(text)) return category;
  return null;
}

/**
 * The line's amounts, read cell by cell (a rate column between two amounts, "15387,08 | 19 |
 * 2923,55", is no digit group of one number), then word by word where a cell's reading left a word out.
 */
function lineAmounts(line: PageLine, mark: DecimalMark | undefined): AmountHit[] {
  const hits = line.cells.flatMap((c) => amountsIn(c.text, c.start, mark));
  for (const w of line.words) {
    if (hits.some((h) => h.start < w.end && h.end > w.start)) continue;
    hits.push(...amountsIn(w.text, w.start, mark));
  }
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * The base and tax of a rate among a line's amounts: base x rate = tax within ROW_TOLERANCE; of
 * several such pairs, the one whose tax is the product rounded to the cent, then the one whose two
 * amounts stand closest (a breakdown row prints the net base in the column before the tax:
 * "2,85 | 0,03 | 2,82 | 0,20 | 7,0": 7% of 2,85 and of 2,82 both round to 0,20), then the smaller error.
 */
function bestPair(amounts: string[], factor: string, used: Set<number>): [number, number] | null {
  let best: { b: number; t: number; key: number[] } | null = null;
  for (let b = 0; b < amounts.length; b++) {
    for (let t = 0; t < amounts.length; t++) {
      if (b === t || used.has(b) || used.has(t) || Number(amounts[t]) === 0 || Number(amounts[t]) >= Number(amounts[b])) continue;
      const product = mul(amounts[b]!, factor);
      if (!approxEqual(product, amounts[t]!, ROW_TOLERANCE)) continue;
      const key = [approxEqual(product, amounts[t]!, '0.005') ? 0 : 1, Math.abs(b - t), Math.abs(Number(product) - Number(amounts[t]))];
      if (!best || lexicographic(key, best.key) < 0) best = { b, t, key };
    }
  }
  return best ? [best.b, best.t] : null;
}

const hasTax = (hits: ReturnType<typeof lineHits>[number]) => hits.some((h) => h.key === 'tax');

/**
 * The base of a rate whose line prints only the tax: the record's net amount (one rate), else the
 * sum of the line items at that rate, on net prices (sum x rate = tax) or on gross prices (the tax
 * is contained: sum x rate / (100 + rate) = tax, the base the sum less the tax); each to the
 * rounding of a cent per item.
 */
function derivedBase(rate: string, tax: string, nets: string[], items: readonly LineItem[]): string | null {
  const factor = (Number(rate) / 100).toFixed(6);
  const net = nets.find((n) => approxEqual(mul(n, factor), tax, ROW_TOLERANCE));
  if (net) return net;
  const group = items.filter((it) => it.amount !== null && it.taxRate !== null && Number(it.taxRate) === Number(rate)).map((it) => abs(it.amount!));
  if (group.length === 0) return null;
  const sum = add(...group);
  const tol = Math.max(Number(ROW_TOLERANCE), 0.01 * group.length).toFixed(2);
  if (approxEqual(mul(sum, factor), tax, tol)) return sum;
  const contained = (Number(rate) / (100 + Number(rate))).toFixed(8);
  if (approxEqual(mul(sum, contained), tax, tol)) return sub(sum, tax);
  return null;
}

export function findTaxBreakdown(view: PageLines, record: InvoiceRecord, mark: DecimalMark | undefined): BreakdownFound {
  const items = record.lineItems;
  const hits = lineHits(view);
  const candidates: RowCandidate[] = [];
  const seen = new Set<string>();
  const push = (row: TaxBreakdown, line: number, labelled: boolean, derived = false) => {
    const key = `${row.rate}|${row.base}|${row.amount}`;
    if (seen.has(key)) return;
    seen.add(key); candidates.push({ row, line, labelled, derived });
  };
  const amountsOf = view.lines.map((l) => lineAmounts(l, mark));
  // a tax-rate column heading: a tax label and "%" on a line without amounts
  const heading = view.lines.map((l, i) => hasTax(hits[i]!) && l.text.includes('%') && amountsOf[i]!.length === 0);
  const underHeading = (i: number) => {
    for (let k = i - 1; k >= 0 && k >= i - HEADING_REACH && view.lines[k]!.page === view.lines[i]!.page; k--) if (heading[k]) return true;
    return false;
  };
  // an exemption reason wraps around its row: the lines under it count, up to the next line with amounts
  const reasonEnd = (i: number) => {
    let end = view.lines[i]!.end;
    for (let k = i + 1; k <= i + REASON_LINES_AFTER && k < view.lines.length; k++) {
      if (view.lines[k]!.page !== view.lines[i]!.page || amountsOf[k]!.length > 0) break;
      end = view.lines[k]!.end;
    }
    return end;
  };
  const nets = netAmounts(record);
  view.lines.forEach((line, i) => {
    const hitsOfLine = amountsOf[i]!;
    const amounts = hitsOfLine.map((a) => abs(a.value));
    if (amounts.length === 0) return;
    const labelled = hasTax(hits[i]!);
    const context = labelled || underHeading(i);
    const at = (m: RegExpMatchArray) => line.start + m.index!;
    let rates = [...line.text.matchAll(RATE)].map((m) => normalisePercent(m[1]!)).filter((r): r is string => r !== null);
    let bare = false;
    if (rates.length === 0 && context) {
      rates = [...line.text.matchAll(BARE_RATE)].filter((m) => !hitsOfLine.some((a) => a.start <= at(m) && a.end > at(m)))
        .map((m) => normalisePercent(m[1]!)).filter((r): r is string => r !== null);
      bare = true;
    }
    rates = rates.filter((r) => Number(r) <= MAX_RATE);
    if (rates.length === 0) return;
    const used = new Set<number>();
    for (const rate of [...new Set(rates)]) {
      if (Number(rate) === 0) {
        // "0 %" or a bare 0 before a zero tax: the base is the last non-zero amount before it
        if (!context || rates.length > 1) continue;
        const last = amounts.length - 1;
        if (last < 1 || Number(amounts[last]) !== 0) continue;
        const base = amounts.slice(0, last).reverse().find((a) => Number(a) !== 0);
        if (base) push({ rate, base, amount: amounts[last]!, category: zeroCategory(view.text.slice(Math.max(0, line.start - REASON_BEFORE), reasonEnd(i))) }, i, labelled);
        continue;
      }
      const factor = (Number(rate) / 100).toFixed(6);
      const pair = bestPair(amounts, factor, used);
      const found = pair !== null;
      if (pair) {
        push({ rate, base: amounts[pair[0]]!, amount: amounts[pair[1]]!, category: 'S' }, i, labelled);
        used.add(pair[0]); used.add(pair[1]);
      }
      // "VAT 20%  40.00": the tax alone on a tax line; its base is derived where the arithmetic proves it
      if (!found && !bare && labelled && amounts.length === 1) {
        const base = derivedBase(rate, amounts[0]!, nets, items);
        if (base) push({ rate, base, amount: amounts[0]!, category: 'S' }, i, labelled, true);
      }
    }
  });
  const fit = fitBreakdown(candidates, record);
  return { rows: fit.rows.map((c) => c.row), confidence: fit.confidence, lines: fit.rows.map((c) => c.line) };
}
