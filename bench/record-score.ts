/**
 * Scoring for the record benchmarks: the version-2 header fields against a truth record where the
 * page prints the value, line items as matched items (precision, recall, F1) and per-column
 * accuracy, the tax breakdown as matched rows.
 */
import type { InvoiceRecord, LineItem, TaxBreakdown } from '../src/core/invoice-record.js';
import { sameUnit } from '../src/einvoice/code-lists.js';

/** Letters and digits only, lower case, accents folded. */
export function squash(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss').replace(/[^\p{L}\d]+/gu, '');
}

const num = (s: string | null | undefined): number | null => (s === null || s === undefined || s === '' || Number.isNaN(Number(s)) ? null : Number(s));
export const sameNumber = (a: string | null | undefined, b: string | null | undefined): boolean => {
  const x = num(a); const y = num(b);
  return x === null || y === null ? x === y : Math.abs(x - y) < 0.005;
};
const sameMoney = (a: string | null, b: string | null): boolean => {
  const x = num(a); const y = num(b);
  return x === null || y === null ? x === y : Math.abs(Math.abs(x) - Math.abs(y)) < 0.005;
};

/** Every amount printed with two decimals in the text, as absolute numbers (either decimal mark). */
export function printedAmounts(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![\d.,])\d{1,3}(?:([.,' \u00a0])\d{3})*([.,])\d{2}(?![\d])/g)) {
    const [raw, group, mark] = [m[0], m[1], m[2]!];
    if (group && group === mark) continue;
    const digits = raw.replace(/[^\d.,]/g, '');
    const value = Number(digits.slice(0, -3).replace(/[.,' \u00a0]/g, '') + '.' + digits.slice(-2));
    out.add(value.toFixed(2));
  }
  return out;
}

export type HeaderField =
  | 'documentType' | 'purchaseOrder' | 'customer.taxId' | 'payment.iban' | 'payment.bic' | 'payment.accountHolder' | 'payment.reference'
  | 'paymentTerms.text' | 'paymentTerms.netDays' | 'discount' | 'shipping' | 'prepaid' | 'amountDue';
export const HEADER_FIELDS: HeaderField[] = [
  'documentType', 'purchaseOrder', 'customer.taxId', 'payment.iban', 'payment.bic', 'payment.accountHolder', 'payment.reference',
  'paymentTerms.text', 'paymentTerms.netDays', 'discount', 'shipping', 'prepaid', 'amountDue',
];
const MONEY = new Set<HeaderField>(['discount', 'shipping', 'prepaid', 'amountDue']);

function value(r: InvoiceRecord, f: HeaderField): string | null {
  const [head, tail] = f.split('.') as [keyof InvoiceRecord, string | undefined];
  const v = tail ? (r[head] as unknown as Record<string, unknown>)[tail] : r[head];
  return v === null || v === undefined ? null : String(v);
}

export interface FieldTally {
  printed: number; right: number; reported: number; reportedRight: number;
  /** Reported where the XML states nothing: the page may print what the XML leaves out, so these are listed, not scored. */
  reportedNoTruth: number;
  misses: string[];
}
export const emptyTally = (): FieldTally => ({ printed: 0, right: 0, reported: 0, reportedRight: 0, reportedNoTruth: 0, misses: [] });

/**
 * One document's header fields. A truth value counts (is "printed") when the text shows it: a
 * string whose letters and digits appear in the text, a non-zero amount printed with two decimals,
 * a net-day count next to a day word; the document type always counts. A reported value is right
 * when it equals the truth (strings compared as letters and digits; terms text by containment).
 * Precision is over reported values where the XML states the field; values the XML leaves out are counted apart.
 */
export function scoreHeader(id: string, text: string, got: InvoiceRecord, want: InvoiceRecord, tallies: Map<HeaderField, FieldTally>): void {
  const flat = squash(text);
  const amounts = printedAmounts(text);
  for (const f of HEADER_FIELDS) {
    const t = tallies.get(f) ?? emptyTally();
    tallies.set(f, t);
    const w = value(want, f); const g = value(got, f);
    let printed: boolean;
    if (w === null) printed = false;
    else if (f === 'documentType') printed = true;
    else if (MONEY.has(f)) printed = Number(w) !== 0 && amounts.has(Math.abs(Number(w)).toFixed(2));
    else if (f === 'paymentTerms.netDays') printed = new RegExp(`(?<!\\d)${w}\\s*(?:tage|days|jours|dias|días|giorni|dagen|gg|d)`, 'i').test(text);
    else printed = squash(w).length > 0 && flat.includes(squash(w));
    const right = (() => {
      if (w === null || g === null) return w === g;
      if (MONEY.has(f)) return sameMoney(g, w);
      if (f === 'paymentTerms.text') { const a = squash(g); const b = squash(w); return a.length > 0 && (a.includes(b) || b.includes(a)); }
      return squash(g) === squash(w);
    })();
    if (printed) { t.printed++; if (right) t.right++; else t.misses.push(`${id}: want ${JSON.stringify(w)} got ${JSON.stringify(g)}`); }
    if (g !== null && w === null) { t.reportedNoTruth++; t.misses.push(`${id}: reported ${JSON.stringify(g)}, the XML states none`); }
    else if (g !== null) {
      t.reported++;
      if (right) t.reportedRight++;
      else if (!printed) t.misses.push(`${id}: reported ${JSON.stringify(g)}, truth ${JSON.stringify(w)} not printed`);
    }
  }
}

export interface PRF { tp: number; got: number; want: number }
export const prf = (x: PRF) => {
  const p = x.got ? x.tp / x.got : 0; const r = x.want ? x.tp / x.want : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

export interface BreakdownTally extends PRF { category: number; categoryOf: number; misses: string[] }
export const emptyBreakdownTally = (): BreakdownTally => ({ tp: 0, got: 0, want: 0, category: 0, categoryOf: 0, misses: [] });

/** The tax breakdown: a row is right when its rate, base and amount equal a truth row's; wrong and missed rows are listed. */
export function scoreBreakdown(id: string, got: TaxBreakdown[], want: TaxBreakdown[], acc: BreakdownTally): void {
  const free = [...want];
  acc.got += got.length; acc.want += want.length;
  const row = (r: TaxBreakdown) => JSON.stringify([r.rate, r.base, r.amount]);
  for (const g of got) {
    const i = free.findIndex((w) => sameNumber(g.rate, w.rate) && sameMoney(g.base, w.base) && sameMoney(g.amount, w.amount));
    if (i < 0) { acc.misses.push(`${id}: wrong row ${row(g)}`); continue; }
    acc.tp++; acc.categoryOf++;
    if (g.category === free[i]!.category) acc.category++;
    else acc.misses.push(`${id}: row ${row(g)} category ${JSON.stringify(g.category)}, want ${JSON.stringify(free[i]!.category)}`);
    free.splice(i, 1);
  }
  for (const w of free) acc.misses.push(`${id}: missed row ${row(w)}`);
}

export const ITEM_COLUMNS = ['description', 'quantity', 'unitPrice', 'amount', 'unit', 'taxRate', 'productCode'] as const;
type ItemColumn = (typeof ITEM_COLUMNS)[number];

function columnRight(c: ItemColumn, g: LineItem, w: LineItem): boolean {
  const a = g[c]; const b = w[c];
  // units compare as UN/ECE rec. 20 codes: the XML says C62 where the page prints "Stk"
  if (c === 'unit') return sameUnit(a, b);
  if (c === 'description' || c === 'productCode') return a !== null && b !== null ? squash(a) === squash(b) : a === b;
  return sameNumber(a, b);
}

export interface ItemTally extends PRF { columns: Record<ItemColumn, { right: number; of: number }>; junk: string[]; missed: string[] }
export const emptyItemTally = (): ItemTally => ({
  tp: 0, got: 0, want: 0, junk: [], missed: [],
  columns: Object.fromEntries(ITEM_COLUMNS.map((c) => [c, { right: 0, of: 0 }])) as ItemTally['columns'],
});

/**
 * Line items: an item is right when description, quantity, unit price and amount all equal a truth
 * item's (description as letters and digits). Per-column accuracy over truth items, each paired
 * with the extracted item that agrees with it on most of the four main columns (amount first).
 */
export function scoreItems(id: string, got: LineItem[], want: LineItem[], acc: ItemTally): void {
  acc.got += got.length; acc.want += want.length;
  const main: ItemColumn[] = ['description', 'quantity', 'unitPrice', 'amount'];
  const free = [...got];
  for (const w of want) {
    const i = free.findIndex((g) => main.every((c) => columnRight(c, g, w)));
    if (i >= 0) { acc.tp++; free.splice(i, 1); }
  }
  const unpaired = [...got];
  for (const w of want) {
    let best = -1; let bestScore = 0;
    unpaired.forEach((g, i) => {
      const s = main.reduce((n, c) => n + (columnRight(c, g, w) ? (c === 'amount' ? 1.5 : 1) : 0), 0);
      if (s > bestScore) { best = i; bestScore = s; }
    });
    const g = best >= 0 ? unpaired.splice(best, 1)[0]! : null;
    for (const c of ITEM_COLUMNS) {
      if (c !== 'description' && c !== 'quantity' && c !== 'unitPrice' && c !== 'amount' && w[c] === null) continue;
      acc.columns[c].of++;
      if (g && columnRight(c, g, w)) acc.columns[c].right++;
    }
    if (!g || !main.every((c) => columnRight(c, g, w))) acc.missed.push(`${id}: want ${JSON.stringify([w.description, w.quantity, w.unitPrice, w.amount])}${g ? ` got ${JSON.stringify([g.description, g.quantity, g.unitPrice, g.amount])}` : ''}`);
  }
  for (const g of unpaired) acc.junk.push(`${id}: extra ${JSON.stringify([g.description, g.quantity, g.unitPrice, g.amount])}`);
}
