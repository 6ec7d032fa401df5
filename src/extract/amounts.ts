import type { EntitySpan } from '../core/entity-span.js';
import { abs, add, approxEqual, cmp, sub } from './decimal.js';
import { candidate, spanSupport, type Candidate } from './evidence.js';
import { NOT_TOTAL_LABELS, SUBTOTAL_LABELS, TAX_LABELS, TOTAL_LABELS } from './keywords.js';
import { wordsIn, type Layout } from './layout.js';
import { AMOUNT_RE, parseMoney, type DecimalMark } from './normalize-money.js';

export interface AmountHit { value: string; start: number; end: number; currency: string | null; symbol: string | null }

/**
 * Amounts printed in a cell: decimals with two places or with a currency mark (bare integers are
 * quantities, years and ids far more often than totals), never percentages.
 */
export function amountsIn(text: string, offset: number, mark: DecimalMark | undefined, strict = true): AmountHit[] {
  const out: AmountHit[] = [];
  AMOUNT_RE.lastIndex = 0;
  for (let m = AMOUNT_RE.exec(text); m; m = AMOUNT_RE.exec(text)) {
    const raw = m[0].trim();
    const rawStart = m.index + m[0].indexOf(raw);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    const before = text.slice(Math.max(0, rawStart - 1), rawStart);
    const tail = text.slice(m.index + m[0].length, m.index + m[0].length + 5);
    // not amounts: percentages, parts of dates/times/ids ("R4 140,00" is "R4" then "140,00"), clock times
    if (/^\s?%/.test(after) || (/^[\d(−-]/.test(raw) && /[\p{L}\d.,/:-]/u.test(before)) || /^[.,/:]\d/.test(after) || /^[A-Za-z]/.test(after)
      || /^\s*(?:uhr|h\b|am\b|pm\b|hrs?\b)/i.test(tail)) {
      AMOUNT_RE.lastIndex = m.index + 1;
      continue;
    }
    const parsed = parseMoney(raw, { decimalMark: mark });
    if (!parsed) { AMOUNT_RE.lastIndex = m.index + 1; continue; }
    const hasDecimals = /[.,]\d{2}\)?-?(?:\s?\D*)$/.test(raw) || /[.,]\d{2}$/.test(raw.replace(/[^\d.,]+$/, ''));
    if (strict && !hasDecimals && !parsed.symbol) continue;
    out.push({ value: parsed.value, start: offset + rawStart, end: offset + rawStart + raw.length, currency: parsed.currency, symbol: parsed.symbol });
  }
  return out;
}

type Role = 'total' | 'subtotal' | 'tax';
const LABELS: Record<Role, RegExp[]> = { total: TOTAL_LABELS, subtotal: SUBTOTAL_LABELS, tax: TAX_LABELS };

/** Label strength: the earlier a pattern stands in its list, the more specific it is. */
function labelStrength(role: Role, text: string): number {
  const list = LABELS[role];
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.test(text)) return 0.95 - 0.25 * (i / list.length);
  }
  return 0;
}

/** Common OCR letter confusions inside words: "TotaI" -> "Total", "T0TAL" -> "TOTAL", "[otal" -> "Total". */
export function foldOcr(text: string): string {
  return text.replace(/(?<=\p{Ll})I(?=\p{Ll}|\b)/gu, 'l').replace(/(?<=\p{Lu})0(?=\p{Lu})/gu, 'O')
    .replace(/(^|[^\p{L}])[[(|Il1]?otal\b/gu, '$1Total').replace(/(^|[^\p{L}])T[o0]ta[l1I|]\b/gu, '$1Total');
}

function roleOf(rawLabel: string): { role: Role; strength: number } | null {
  const labelText = foldOcr(rawLabel);
  // "Total (Excluding GST)", "Summe ohne USt", "Montant HT": the amount before tax
  if (/(?:\bexcl(?:uding|usive|\.)?|\bexkl|\bohne\b|before\s+tax|hors\s+tax|\bHT\b|sin\s+iva|senza\s+iva)/i.test(labelText)
    && /(?:total|sum|amount|betrag|montant|importe|importo|bedrag|netto|net)/i.test(labelText)) return { role: 'subtotal', strength: 0.85 };
  // "TOTAL INCLUDES 6% GST": the tax contained in the total
  if (/\binclud(?:es|ing)\s+(?:\d+(?:[.,]\d+)?\s*%\s*)?(?:gst|vat|tax|sst)/i.test(labelText)) return { role: 'tax', strength: 0.7 };
  // subtotal and tax wording is checked first: "Total excl. VAT", "Total HT", "Net total", "Total tax"
  const sub = labelStrength('subtotal', labelText);
  const total = labelStrength('total', labelText);
  const tax = labelStrength('tax', labelText);
  if (sub > 0 && !/\b(?:incl|inkl|ttc|brutto|gross)/i.test(labelText)) return { role: 'subtotal', strength: sub };
  if (total > 0 && /\b(?:incl|inkl|ttc|brutto|gross|due|payable|zahl|grand|gesamt\s*betrag|rounded)/i.test(labelText)) return { role: 'total', strength: total };
  if (tax > 0 && !/^\s*(?:total|summe|gesamt)\s*:?\s*$/i.test(labelText)) return { role: 'tax', strength: tax };
  if (total > 0) return { role: 'total', strength: total };
  return null;
}

export interface TotalsResult { subtotal: Candidate | null; tax: Candidate | null; total: Candidate | null; currencies: string[] }

/** Labelled amount candidates per role, from each labelled cell's value: same cell, right, or just below. */
function collect(layout: Layout, mark: DecimalMark | undefined, spans: EntitySpan[]): Record<Role, Candidate[]> {
  const out: Record<Role, Candidate[]> = { total: [], subtotal: [], tax: [] };
  const n = layout.lines.length;
  collectColumns(layout, mark, out);
  for (const line of layout.lines) {
    // the label is the text of the line before its last amount
    const hits = amountsIn(line.text, line.start, mark);
    if (!/\p{L}{2,}/u.test(line.text)) continue;
    let valueHits = hits;
    let below = false;
    if (hits.length === 0) {
      // value below the label (stacked totals blocks)
      const next = layout.lines[line.index + 1];
      // one label over one amount; a table header over a row of figures is read by collectColumns
      if (!next || next.page !== line.page || line.cells.length > 1 || /\p{L}{3,}/u.test(next.text.replace(/\b[A-Z]{3}\b|[€$£]/g, ''))) continue;
      valueHits = amountsIn(next.text, next.start, mark);
      if (valueHits.length !== 1) continue;
      below = true;
    }
    if (valueHits.length === 0) continue;
    const last = valueHits[valueHits.length - 1]!;
    // the label of the last amount: the text since the amount before it, or the whole line before it
    // when nothing but numbers stands between ("Steuerbasisbetrag USt. 19% | 198,00 | 37,62")
    const lastStart = hits.length ? hits[hits.length - 1]!.start : 0;
    const sinceAmount = hits.length > 1 ? layout.text.slice(hits[hits.length - 2]!.end, lastStart) : '';
    const labelText = below ? line.text : /\p{L}{2,}/u.test(sinceAmount) ? sinceAmount : layout.text.slice(line.start, lastStart);
    if (NOT_TOTAL_LABELS.some((p) => p.test(labelText))) continue;
    const role = roleOf(labelText.slice(-60));
    if (!role) continue;
    // a tax amount on a discount or charge line ("Rechnungsrabatt 2 | -5,00 | 19 % USt | 0,05") is that line's tax
    if (role.role === 'tax' && NOT_TOTAL_LABELS.some((p) => p.test(line.text))) continue;
    // later totals (the last lines of a receipt or totals block) are more often the final figure
    const position = 0.05 * (line.index / Math.max(1, n));
    const model = spanSupport(spans, ['MONEY'], last.start, last.end);
    out[role.role].push(candidate(layout, last.value, role.strength + position + 0.05 * model, last.start, last.end));
  }
  return out;
}

function top(cands: Candidate[], k: number): Candidate[] {
  const byValue = new Map<string, Candidate>();
  for (const c of cands) {
    const prev = byValue.get(c.value);
    // the same value printed twice under the same role is stronger evidence
    if (!prev) byValue.set(c.value, { ...c });
    else if (c.score > prev.score) byValue.set(c.value, { ...c, score: Math.min(1, c.score + 0.05) });
    else prev.score = Math.min(1, prev.score + 0.05);
  }
  return [...byValue.values()].sort((a, b) => b.score - a.score).slice(0, k);
}

/**
 * Chooses subtotal, tax and total jointly: label evidence plus arithmetic (subtotal + tax = total,
 * total >= subtotal). Several tax lines (one per rate) are summed when no tax total is printed.
 */
export function findTotals(layout: Layout, mark: DecimalMark | undefined, spans: EntitySpan[], lineItemSum: string | null): TotalsResult & { consistent: boolean } {
  const c = collect(layout, mark, spans);
  const taxes = top(c.tax, 6);
  const taxCands = [...taxes];
  const distinctTax = c.tax.filter((t, i) => c.tax.findIndex((u) => u.start === t.start) === i);
  if (distinctTax.length > 1) {
    const sum = add(...distinctTax.map((t) => t.value));
    const first = distinctTax[0]!; const last = distinctTax[distinctTax.length - 1]!;
    taxCands.push({ ...candidate(layout, sum, Math.min(...distinctTax.map((t) => t.score)) - 0.1, first.start, last.end), method: 'derived' });
  }
  // a "net total" may be the final figure (receipts: "Nett Total" after rounding): subtotal-labelled
  // amounts are weak total candidates, kept only when the arithmetic points at them
  const totals = [...top([...c.total, ...c.subtotal.map((x) => ({ ...x, score: x.score * 0.5 }))], 8), null];
  const subs = [...top(c.subtotal, 6), null];
  const taxOpts = [...taxCands, null];
  const cashRounding = layout.lines.some((l) => /round|rundung|arrondi|redondeo|arrotondamento|afronding/i.test(l.text));
  let best: { s: number; total: Candidate | null; sub: Candidate | null; tax: Candidate | null; ok: boolean } = { s: -Infinity, total: null, sub: null, tax: null, ok: false };
  for (const total of totals) for (const sub of subs) for (const tax of taxOpts) {
    let s = (total?.score ?? 0) * 1.2 + (sub?.score ?? 0) + (tax?.score ?? 0);
    let ok = false;
    if (total && sub && tax) {
      if (approxEqual(add(sub.value, tax.value), total.value, '0.01')) { s += 1.5; ok = true; }
      else if (cashRounding && approxEqual(add(sub.value, tax.value), total.value, '0.05')) s += 0.8; // rounded to 5 sen / 5 cents
      else s -= 0.6;
    }
    if (total && sub && cmp(sub.value, total.value) > 0 && !total.value.startsWith('-')) s -= 1;
    if (total && sub && !tax && approxEqual(sub.value, total.value)) s += 0.2;
    if (total && tax && !sub && cmp(tax.value, total.value) >= 0 && !total.value.startsWith('-')) s -= 1;
    if (sub && lineItemSum && approxEqual(sub.value, lineItemSum, '0.01')) s += 0.5;
    if (total && sub && sub.start === total.start) s -= 2;
    if (total && tax && tax.start === total.start) s -= 2;
    if (s > best.s) best = { s, total, sub, tax, ok };
  }
  if (!best.total && best.sub && best.tax) {
    // subtotal and tax printed, total not (or unreadable): their sum
    best.total = { ...best.sub, value: add(best.sub.value, best.tax.value), score: Math.min(best.sub.score, best.tax.score) * 0.7, method: 'derived' };
  } else if (!best.total) {
    // a receipt: what was tendered minus the change is what was charged
    const paid = tenderedMinusChange(layout, mark);
    if (paid) best.total = paid;
    // a receipt that prints only a subtotal and no tax: that is what was charged
    else if (best.sub && !best.tax) best.total = { ...best.sub, score: best.sub.score * 0.6, method: 'derived' };
  }
  best.total = applyRounding(layout, mark, best.total);
  // A printed total with subtotal and tax that add up is near-certain: raise their evidence.
  const boost = (x: Candidate | null) => (x && best.ok ? { ...x, score: Math.min(1, x.score + 0.2) } : x);
  const currencies = [best.total, best.sub, best.tax].filter(Boolean).map((x) => layout.text.slice(Math.max(0, x!.start - 5), x!.end + 5));
  return { total: boost(best.total), subtotal: boost(best.sub), tax: boost(best.tax), currencies, consistent: best.ok };
}

export function totalsMismatch(subtotal: string | null, tax: string | null, total: string | null): string | null {
  if (!subtotal || !tax || !total) return null;
  const diff = sub(total, add(subtotal, tax));
  return approxEqual(diff, '0', '0.01') ? null : diff;
}

/**
 * Totals printed as a table: a header row of labels ("Nettobetrag | MwSt-Betrag | Endbetrag") over
 * rows of amounts; the last amount row (the summary) is read column by column.
 */
function collectColumns(layout: Layout, mark: DecimalMark | undefined, out: Record<Role, Candidate[]>): void {
  for (const line of layout.lines) {
    if (amountsIn(line.text, 0, mark).length) continue;
    const heads = line.words
      .map((w) => ({ w, role: NOT_TOTAL_LABELS.some((p) => p.test(w.text)) ? null : roleOf(w.text) }))
      .filter((h): h is { w: typeof h.w; role: { role: Role; strength: number } } => h.role !== null);
    if (new Set(heads.map((h) => h.role.role)).size < 2) continue;
    let row: AmountHit[] | null = null;
    for (let i = line.index + 1; i < Math.min(layout.lines.length, line.index + 6); i++) {
      const next = layout.lines[i]!;
      if (next.page !== line.page) break;
      const hits = amountsIn(next.text, next.start, mark);
      if (hits.length < 2) { if (row) break; continue; }
      row = hits;
    }
    if (!row) continue;
    for (const h of heads) {
      const cx = (h.w.bbox[0] + h.w.bbox[2]) / 2;
      let best: AmountHit | null = null; let bestD = Infinity;
      for (const a of row) {
        const ws = wordsIn(layout, a.start, a.end);
        if (!ws.length) continue;
        const x0 = Math.min(...ws.map((w) => w.bbox[0])); const x1 = Math.max(...ws.map((w) => w.bbox[2]));
        const d = cx >= x0 - 2 && cx <= x1 + 2 ? 0 : Math.min(Math.abs(cx - x0), Math.abs(cx - x1));
        if (d < bestD) { bestD = d; best = a; }
      }
      const width = h.w.bbox[2] - h.w.bbox[0];
      if (best && bestD <= width) out[h.role.role].push(candidate(layout, best.value, h.role.strength - 0.05, best.start, best.end));
    }
  }
}

/**
 * Cash rounding (receipts): "Total 7.72 / Rounding -0.02 / Nett Total 7.70". When a rounding line
 * follows the total and total + rounding is printed after it, that amount is what was paid.
 */
function applyRounding(layout: Layout, mark: DecimalMark | undefined, total: Candidate | null): Candidate | null {
  if (!total) return total;
  const from = layout.lines.findIndex((l) => l.start <= total.start && l.end >= total.end);
  for (let i = from + 1; i < Math.min(layout.lines.length, from + 4); i++) {
    const line = layout.lines[i]!;
    if (!/round/i.test(line.text)) continue;
    const adj = amountsIn(line.text, line.start, mark).pop();
    if (!adj) return total;
    // "Rounding 22.90" under "Total 22.91": the line prints the rounded total itself
    if (cmp(adj.value, '1') > 0 && approxEqual(adj.value, total.value, '0.10')) return candidate(layout, adj.value, total.score, adj.start, adj.end);
    if (cmp(abs(adj.value), '0.10') > 0 || cmp(adj.value, '0') === 0) return total;
    for (const sign of ['', '-']) {
      const value = add(total.value, sign ? `-${abs(adj.value)}` : abs(adj.value));
      for (let j = i + 1; j < Math.min(layout.lines.length, i + 4); j++) {
        const hit = amountsIn(layout.lines[j]!.text, layout.lines[j]!.start, mark).find((a) => cmp(a.value, value) === 0);
        if (hit) return candidate(layout, hit.value, total.score, hit.start, hit.end);
      }
    }
    return total;
  }
  return total;
}

const TENDERED = /\b(?:cash|tendered|received|paid|payment|tunai|bayar|bezahlt|gegeben|esp[eè]ces|efectivo|contanti)\b/i;
const CHANGE = /\b(?:change|baki|r(?:ü|ue|u)ckgeld|wechselgeld|rendu|cambio|resto)\b/i;

/** Cash tendered minus change, when a receipt prints both (and no readable total). */
function tenderedMinusChange(layout: Layout, mark: DecimalMark | undefined): Candidate | null {
  let paid: AmountHit | null = null;
  for (const line of layout.lines) {
    const hit = amountsIn(line.text, line.start, mark).pop();
    if (!hit) continue;
    if (CHANGE.test(line.text) && paid) {
      const value = sub(paid.value, hit.value);
      if (cmp(value, '0') <= 0) return null;
      return { ...candidate(layout, value, 0.5, paid.start, hit.end), method: 'derived' };
    }
    if (TENDERED.test(line.text) && !CHANGE.test(line.text)) paid = hit;
  }
  return null;
}
