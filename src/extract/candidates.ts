import type { BBox } from '../core/document-text.js';
import { wordClasses } from '../lexicon/index.js';
import type { DocContext } from './context.js';
import { findTaxIds } from './locale.js';
import { unionBox, xOverlap, type Cell, type Line } from './layout.js';
import { findDates } from './normalize-date.js';
import { AMOUNT_RE, parseMoney, type DecimalMark } from './normalize-money.js';

/**
 * Candidates: every value a field could take, with where it stands. Finders propose; they decide no
 * roles (that is the scorer's and the assignment's job), so they err on the side of proposing.
 */
export type CandidateKind = 'amount' | 'date' | 'id' | 'name' | 'address' | 'taxId';

export interface Candidate {
  kind: CandidateKind;
  /** The normalised value (decimal string, ISO date, cleaned name or address, id). */
  value: string;
  /** The source text range (for an address or a two-line name: from its first to its last line). */
  start: number;
  end: number;
  /** Line and cell of the value's first word, and the box of all its words on that page. */
  line: number;
  cell: number;
  page: number;
  bbox: BBox;
  /** Line indices the value spans (addresses and joined names). */
  lines: number[];
  /** Kind-specific facts the features read: 'currency', 'textualMonth', 'owner' (an address's name line)... */
  facts: Record<string, number | string>;
}

/** Amounts printed in a text: decimals with two places or a currency mark, never percentages. */
export interface AmountHit { value: string; start: number; end: number; currency: string | null; symbol: string | null }

export function amountsIn(text: string, offset: number, mark: DecimalMark | undefined, strict = true): AmountHit[] {
  const out: AmountHit[] = [];
  AMOUNT_RE.lastIndex = 0;
  for (let m = AMOUNT_RE.exec(text); m; m = AMOUNT_RE.exec(text)) {
    const raw = m[0].trim();
    const rawStart = m.index + m[0].indexOf(raw);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    const before = text.slice(Math.max(0, rawStart - 1), rawStart);
    const tail = text.slice(m.index + m[0].length, m.index + m[0].length + 5);
    // not amounts: percentages, parts of dates, times and ids, clock times
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

function boxOf(line: Line, start: number, end: number): BBox {
  const words = line.words.filter((w) => w.end > start && w.start < end);
  return words.length ? unionBox(words.map((w) => w.bbox)) : line.bbox;
}

function cellIndexAt(line: Line, offset: number): number {
  return Math.max(0, line.cells.findIndex((c) => offset >= c.start && offset < c.end));
}

function make(ctx: DocContext, kind: CandidateKind, value: string, line: Line, start: number, end: number, facts: Candidate['facts'] = {}, lines = [line.index]): Candidate {
  return { kind, value, start, end, line: line.index, cell: cellIndexAt(line, start), page: line.page, bbox: boxOf(line, start, end), lines, facts };
}

function amountCandidates(ctx: DocContext): Candidate[] {
  const out: Candidate[] = [];
  // lines that print one tax amount each ("Service Tax 10% 9.85", "Service Tax 6% 0.48"): with
  // several tax rates, the invoice's tax is their sum, proposed as one more candidate
  const taxLines: Candidate[] = [];
  for (const line of ctx.layout.lines) {
    let last: Candidate | null = null;
    for (const cell of line.cells) {
      for (const a of amountsIn(cell.text, cell.start, ctx.mark)) {
        last = make(ctx, 'amount', a.value, line, a.start, a.end, { currency: a.currency ?? a.symbol ?? '' });
        out.push(last);
      }
    }
    const hits = ctx.labelsByLine[line.index]!;
    if (last && hits.some((h) => h.concept === 'tax' && h.end <= last!.start) && !hits.some((h) => h.concept === 'total' || h.concept === 'subtotal')) taxLines.push(last);
  }
  let run: Candidate[] = [];
  const flush = () => {
    if (run.length >= 2) {
      const cents = run.reduce((n, c) => n + Math.round(Number(c.value) * 100), 0);
      const first = run[0]!; const line = ctx.layout.lines[first.line]!;
      out.push({ ...make(ctx, 'amount', (cents / 100).toFixed(2), line, first.start, run[run.length - 1]!.end, { currency: first.facts.currency ?? '', sumOf: run.length }, run.map((c) => c.line)), bbox: first.bbox });
    }
    run = [];
  };
  for (const c of taxLines) {
    const prev = run[run.length - 1];
    if (prev && (c.page !== prev.page || c.line - prev.line > 2)) flush();
    run.push(c);
  }
  flush();
  return out;
}

function dateCandidates(ctx: DocContext): Candidate[] {
  const out: Candidate[] = [];
  for (const line of ctx.layout.lines) {
    for (const d of findDates(line.text, { order: ctx.order })) {
      const year = Number(d.iso.slice(0, 4));
      if (year < 1990 || year > 2100) continue;
      out.push(make(ctx, 'date', d.iso, line, line.start + d.start, line.start + d.end, { textualMonth: /\p{L}{3}/u.test(d.text) ? 1 : 0, ambiguous: d.ambiguous ? 1 : 0 }));
    }
  }
  return out;
}

/** Id-like tokens: a digit, 3 to 30 characters of letters, digits and -/._#; not a date, amount or phone number. */
const ID_TOKEN = /(?<![\p{L}\d])(?:[\p{L}\d][\p{L}\d\-/._#]{1,28}[\p{L}\d]|\d{1,2})(?![\p{L}\d])/gu;

function idCandidates(ctx: DocContext, dates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const line of ctx.layout.lines) {
    for (const m of line.text.matchAll(ID_TOKEN)) {
      const tok = m[0];
      if (!/\d/.test(tok)) continue;
      const start = line.start + m.index!; const end = start + tok.length;
      if (dates.some((d) => d.start < end && start < d.end)) continue;
      if (/^\d{1,3}(?:[.,]\d{3})*[.,]\d{2}$/.test(tok)) continue; // an amount
      if (/^\d+[.,]\d+$/.test(tok) && !/^\d{4,}/.test(tok)) continue;
      out.push(make(ctx, 'id', tok, line, start, end));
    }
  }
  return out;
}

// --- names -------------------------------------------------------------------------------------

/** A name without what trails it: a registration number in brackets, a cut-off bracket, separators. */
export function cleanName(text: string): string {
  let t = text.replace(/[,;:]+$/, '');
  t = t.replace(/\s*\((?:co\.?|company|reg|registration|roc|gst)\b[^)]*\)?\s*$/i, '').replace(/\s*\([^)]*\d{4,}[^)]*\)?\s*$/, '');
  t = t.replace(/\s*\(?\s*(?:co\.?\s*(?:reg\.?|no\.?)\s*:?\s*)?\d{4,}\s?-?\s?[A-Z]?\s*\)?(?:\s*\([^)]*\))?\s*$/i, '');
  t = t.replace(/\s+[({\[][^)}\]]{0,3}$/, '').replace(/[\s{}[\]|~]+$/, '').trim();
  return t || text.trim();
}

const OCR_LEGAL: Array<[RegExp, string]> = [[/\b[5S]\/[8B]\b/g, 'S/B'], [/\b[5S][D0O][NH]\b/g, 'SDN'], [/\b[B8][HN][D0O]\b/g, 'BHD'], [/\bGM[8B]H\b/g, 'GMBH']];

/** OCR digit-for-letter slips inside upper-case legal forms: "5DN BHD" -> "SDN BHD", "5/B" -> "S/B". */
export function repairLegalForm(name: string): string {
  return OCR_LEGAL.reduce((t, [re, to]) => t.replace(re, (m) => (/^[A-Z0-9/]+$/.test(m) ? to : m)), name);
}

const NOT_NAME = /(?:@|www\.|https?:|\.(?:com|de|fr|net|org)\b)/i;

/** Letters of `text` (at `start` in the document) outside the label phrases printed on `lines`. */
function lettersOutsideLabels(ctx: DocContext, text: string, start: number, lines: number[]): number {
  const end = start + text.length;
  let covered = 0;
  for (const i of lines) {
    for (const h of ctx.labelsByLine[i]!) {
      if (h.end <= start || h.start >= end) continue;
      covered += (ctx.layout.text.slice(Math.max(h.start, start), Math.min(h.end, end)).match(/\p{L}/gu) ?? []).length;
    }
  }
  return (text.match(/\p{L}/gu) ?? []).length - covered;
}

/**
 * Could this text be a party's name? Letters, not mostly digits, no date, no mail or web address;
 * not a label alone ("Verkäufer", "Invoice date:") and not a legal form alone ("GmbH").
 */
export function nameShaped(ctx: DocContext, text: string, start: number, lines: number[]): boolean {
  if (text.length < 2 || text.length > 90) return false;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters < 3 || (text.match(/\d/g) ?? []).length > text.length / 3 || NOT_NAME.test(text)) return false;
  if (findDates(text).length || /^\d{4,5}\s+\p{L}/u.test(text)) return false;
  if (lettersOutsideLabels(ctx, text, start, lines) < 3) return false;
  const legal = wordClasses().find(text).filter((h) => h.key === 'legalForm').reduce((n, h) => n + (text.slice(h.start, h.end).match(/\p{L}/gu) ?? []).length, 0);
  return letters - legal >= 2;
}

/** Parts of a cell split at sender-line separators ("Acme GmbH · Street 1 · 12345 City"). */
function cellParts(cell: Cell): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  for (const m of cell.text.matchAll(/[^|•●·]+/g)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t) out.push({ text: t, start: cell.start + m.index! + lead });
  }
  return out;
}

/**
 * The cell under `cell` in its column (same left edge, or overlapping), if it starts within
 * `maxGap` line heights below it. Lines of other columns in between are skipped: two blocks side by
 * side interleave their lines in reading order.
 */
export function cellBelow(ctx: DocContext, line: Line, cell: Cell, maxGap = 1.6): { line: Line; cell: Cell } | null {
  const h = Math.max(1, cell.bbox[3] - cell.bbox[1]);
  for (let i = line.index + 1; i < ctx.layout.lines.length; i++) {
    const next = ctx.layout.lines[i]!;
    if (next.page !== line.page || next.bbox[1] - cell.bbox[3] > maxGap * h) return null;
    // same left edge; or overlapping and nearly so; or centred on the same axis (receipts)
    const centre = (b: BBox) => (b[0] + b[2]) / 2;
    const c = next.cells.find((x) => Math.abs(x.bbox[0] - cell.bbox[0]) < 0.8 * h || (xOverlap(x.bbox, cell.bbox) > 0.6 && Math.abs(x.bbox[0] - cell.bbox[0]) < 6 * h)
      || (xOverlap(x.bbox, cell.bbox) > 0.5 && Math.abs(centre(x.bbox) - centre(cell.bbox)) < 0.1 * Math.max(x.bbox[2] - x.bbox[0], cell.bbox[2] - cell.bbox[0])));
    if (c) return { line: next, cell: c };
    // a line with a cell straddling the column ends the block
    if (next.cells.some((x) => x.bbox[0] < cell.bbox[2] && x.bbox[2] > cell.bbox[0])) return null;
  }
  return null;
}

function hasClass(text: string, cls: string): boolean {
  return wordClasses().find(text).some((h) => h.key === cls);
}

function nameCandidates(ctx: DocContext): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const push = (line: Line, raw: string, start: number, facts: Candidate['facts'], lines = [line.index], end = start + raw.length) => {
    // a form label ends with a colon ("Globale Nummer:"); its value is not a name either way
    if (/:\s*$/.test(raw)) return;
    const value = repairLegalForm(cleanName(raw.replace(/^[\s:.\-–]+/, '')));
    if (!nameShaped(ctx, value, start, lines)) return;
    const key = `${start}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(make(ctx, 'name', value, line, start, end, facts, lines));
  };
  for (const line of ctx.layout.lines) {
    const hits = ctx.labelsByLine[line.index]!;
    line.cells.forEach((cell, k) => {
      // a form label whose value cell starts with a colon ("Nummer | : GE2020211")
      if (/^\s*:/.test(line.cells[k + 1]?.text ?? '')) return;
      const parts = cellParts(cell);
      parts.forEach((p, i) => {
        const facts = { parts: parts.length, partIndex: i };
        push(line, p.text, p.start, facts);
        // the value after a form label in the same cell ("Firma: Acme GmbH", "Seller Acme Ltd")
        const label = hits.find((h) => h.start >= p.start && h.start <= p.start + 2 && h.end < p.start + p.text.length - 1);
        if (label) push(line, ctx.layout.text.slice(label.end, p.start + p.text.length), label.end, { ...facts, afterLabel: 1 });
      });
      // a name on two lines of its column: the scorer weighs the joined form against the single line
      const below = cellBelow(ctx, line, cell, 0.8);
      // (a continuation carries no digits, street words or labels: those start the address)
      if (below && parts.length === 1 && cell.text.length < 50 && !/\d{3}/.test(cell.text) && below.cell.text.length < 50 && !/\d/.test(below.cell.text)
        && !hasClass(below.cell.text, 'streetWord') && !ctx.labelsByLine[below.line.index]!.length) {
        push(line, `${cell.text.trim()} ${below.cell.text.trim()}`, cell.start, { parts: 1, partIndex: 0, joined: 1 }, [line.index, below.line.index], below.cell.end);
      }
    });
  }
  return out;
}

/** Address blocks: the lines under a name line in its column (1 to 4), or the rest of a sender line. */
function addressCandidates(ctx: DocContext, names: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    if (n.facts.joined || n.facts.afterLabel) continue;
    const line = ctx.layout.lines[n.lines[n.lines.length - 1]!]!;
    const cell = line.cells[n.cell] ?? line.cells[0]!;
    const parts = cellParts(cell);
    if (parts.length > 2 && n.facts.partIndex === 0) {
      const rest = parts.slice(1);
      const value = rest.map((p) => p.text).join(', ');
      const key = `${rest[0]!.start}:${value}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(make(ctx, 'address', value, line, rest[0]!.start, cell.end, { owner: n.line, ownerStart: n.start, ownerCell: n.cell, senderLine: 1, blockLines: rest.length }));
      }
    }
    let cur = { line, cell };
    const below: Array<{ line: Line; cell: Cell }> = [];
    for (let k = 0; k < 6; k++) {
      const next = cellBelow(ctx, cur.line, cur.cell);
      if (!next || next.cell.text.length > 80) break;
      below.push(next);
      cur = next;
    }
    // runs of 1 to 5 lines, from the line under the name or up to two lines further (registration
    // numbers and contact lines often sit between a name and its address)
    for (let from = 0; from <= 2; from++) {
      for (let to = from + 1; to <= Math.min(below.length, from + 5); to++) {
        const lines = below.slice(from, to);
        const value = lines.map((l) => l.cell.text.trim()).join(', ');
        const key = `${lines[0]!.cell.start}:${value}`;
        if (seen.has(key) || !/\d/.test(value)) continue;
        seen.add(key);
        const first = lines[0]!; const last = lines[lines.length - 1]!;
        out.push(make(ctx, 'address', value, first.line, first.cell.start, last.cell.end, { owner: n.line, ownerStart: n.start, ownerCell: n.cell, blockLines: lines.length, skipped: from }, lines.map((l) => l.line.index)));
      }
    }
  }
  return out;
}

function taxIdCandidates(ctx: DocContext): Candidate[] {
  return findTaxIds(ctx.layout).map((t) => {
    const line = ctx.layout.lines.find((l) => t.start >= l.start && t.start <= l.end)!;
    return make(ctx, 'taxId', t.value, line, t.start, t.end, { vatFormat: t.vatFormat ? 1 : 0, labelled: t.labelled ? 1 : 0, country: t.country ?? '' });
  });
}

/** Every candidate of the document, by kind. */
export function findCandidates(ctx: DocContext): Record<CandidateKind, Candidate[]> {
  const dates = dateCandidates(ctx);
  const names = nameCandidates(ctx);
  return {
    amount: amountCandidates(ctx), date: dates, id: idCandidates(ctx, dates), name: names,
    address: addressCandidates(ctx, names), taxId: taxIdCandidates(ctx),
  };
}
