import { wordClasses } from '../lexicon/index.js';
import { cellBelow, type Candidate, type CandidateKind } from './candidates.js';
import type { DocContext, LabelHit } from './context.js';
import { xOverlap } from './layout.js';
import { parsePaymentTerms } from './record/payment-terms.js';
import type { Sparse } from './scorer/gbdt.js';

/**
 * Features of a candidate, shared by every field of its kind (a name's features serve vendor.name
 * and customer.name; each field's model weighs them its own way). Names are stable strings: they
 * are the keys of the shipped scorer. Groups:
 *  - label context: the concept of the nearest label in the same cell (sc:), in a cell to the left
 *    (lc:), above in the same column (ab:), the column header (hd:), the block header (bh:) and to
 *    the right (rt:), each 1/(1 + distance);
 *  - position and type size: pos:*, font:h; OCR: ocr, ocr:conf; repetition: rep;
 *  - token classifier: ner:LABEL, the best span score times its overlap with the candidate;
 *  - per kind: amt:* and arith:* (does it complete subtotal + tax = total?), date:*, id:*, nm:*, ad:*, tx:*.
 */

const RATES = [0.025, 0.03, 0.04, 0.05, 0.055, 0.06, 0.07, 0.077, 0.08, 0.081, 0.09, 0.1, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.27];

function aligned(a: Candidate['bbox'], b: Candidate['bbox'], h: number): boolean {
  return xOverlap(a, b) > 0.3 || Math.abs(a[0] - b[0]) < 1.5 * h;
}

/** Label-context features at a position (a candidate, or an address's owner line). */
/** Label-context features; returns the line of the party block's header, if any. */
function labelContext(ctx: DocContext, f: Sparse, at: { line: number; cell: number; start: number; bbox: Candidate['bbox']; page: number }, block: boolean): number | null {
  const lines = ctx.layout.lines;
  const hits = ctx.labelsByLine[at.line]!;
  const h = Math.max(1, at.bbox[3] - at.bbox[1]);
  // same cell before the value, and the nearest cell to its left: every label there (the head
  // label first: "Rechnungssumme Netto (excl. USt.)" is a subtotal that names the tax)
  const sc = hits.filter((hit) => hit.end <= at.start && hit.cell === at.cell);
  const leftCell = Math.max(-1, ...hits.filter((hit) => hit.end <= at.start && hit.cell < at.cell).map((hit) => hit.cell));
  const lc = hits.filter((hit) => hit.cell === leftCell && hit.end <= at.start);
  for (const hit of hits) if (hit.start > at.start && !f[`rt:${hit.concept}`]) f[`rt:${hit.concept}`] = 1;
  const last = sc[sc.length - 1];
  for (const hit of sc) f[`sc:${hit.concept}`] = 1;
  if (last) { f[`scFirst:${sc[0]!.concept}`] = 1; f['sc:gap'] = Math.min(5, (at.start - last.end) / 5); f['sc:atStart'] = sc[0]!.atCellStart ? 1 : 0; }
  for (const hit of lc) f[`lc:${hit.concept}`] = 1 / (at.cell - leftCell);
  if (lc.length) f[`lcFirst:${lc[0]!.concept}`] = 1;
  // above in the same column: the nearest line (up to 6) with a label over the candidate
  for (let i = at.line - 1, d = 1; i >= 0 && d <= 6; i--, d++) {
    if (lines[i]!.page !== at.page) break;
    // a label stacked over its value starts its cell ("Art-Nr-Kunde" is a column of article numbers)
    const over = ctx.labelsByLine[i]!.filter((x) => x.atCellStart && aligned(x.bbox, at.bbox, h));
    if (over.length) { for (const x of over) f[`ab:${x.concept}`] = Math.max(f[`ab:${x.concept}`] ?? 0, 1 / d); break; }
  }
  // the column's header: a label standing alone in its cell, up to 40 lines above
  for (let i = at.line - 1, d = 1; i >= 0 && d <= 40; i--, d++) {
    if (lines[i]!.page !== at.page) break;
    const head = ctx.labelsByLine[i]!.find((x) => x.wholeCell && xOverlap(x.bbox, at.bbox) > 0.3);
    if (head) { f[`hd:${head.concept}`] = 1 / (1 + d / 5); break; }
  }
  if (!block) return null;
  // a party block's header: the nearest label starting a cell in the column, up to 10 lines above
  for (let i = at.line, d = 0; i >= 0 && d <= 10; i--, d++) {
    if (lines[i]!.page !== at.page) break;
    const head = ctx.labelsByLine[i]!.filter((x) => x.atCellStart && (i < at.line || x.start < at.start) && aligned(x.bbox, at.bbox, h));
    if (head.length) { for (const x of head) f[`bh:${x.concept}`] = 1 / (1 + d); return i; }
  }
  return null;
}

/**
 * The rank of each name under its block header: 0 for the first name-shaped line below the header
 * in its column ("Käufer:" / "Nummer: 123" / "Kunden AG" counts "Kunden AG" first once the form
 * lines are no names), 1 for the next... The distance in lines varies between layouts; the rank
 * does not.
 */
function blockRanks(names: Candidate[], header: Map<Candidate, number>, rows: Map<Candidate, Sparse>): void {
  const groups = new Map<number, Candidate[]>();
  for (const c of names) {
    const hl = header.get(c);
    if (hl === undefined || c.facts.joined || c.facts.afterLabel) continue;
    const list = groups.get(hl) ?? [];
    list.push(c);
    groups.set(hl, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.line - b.line || a.start - b.start);
    list.forEach((c, i) => { rows.get(c)!['bh:rank'] = i; });
  }
  // variants (joined, after a label) take the rank of the single-line name they start at
  for (const c of names) {
    if (!(c.facts.joined || c.facts.afterLabel)) continue;
    const base = names.find((x) => x.line === c.line && !x.facts.joined && !x.facts.afterLabel && rows.get(x)!['bh:rank'] !== undefined);
    if (base) rows.get(c)!['bh:rank'] = rows.get(base)!['bh:rank']!;
  }
}

interface DocStats {
  amountCents: Set<number>;
  /** Per cents value: does it complete a sum, with a tax rate, as total / subtotal / tax? */
  arith: Map<number, { sum: number; addend: number; total: number; sub: number; tax: number }>;
  amountRank: Map<number, number>;
  dates: string[];
  counts: Map<string, number>;
  pages: number;
  lowerText: string;
  /** Index of each page's first line. */
  firstLine: Map<number, number>;
}

const cents = (v: string) => Math.round(Math.abs(Number(v)) * 100);

/** Whether `v` (cents, a multiple of 5) is another amount of the document rounded to the nearest 5 cents. */
export function isCashRoundingOf(v: number, amounts: ReadonlySet<number>): boolean {
  if (v % 5 !== 0) return false;
  for (const d of [-2, -1, 1, 2]) if (amounts.has(v + d) && Math.round((v + d) / 5) * 5 === v) return true;
  return false;
}
const near = (a: number, b: number) => Math.abs(a - b) <= 1;

function docStats(ctx: DocContext, all: Record<CandidateKind, Candidate[]>): DocStats {
  const values = [...new Set(all.amount.map((c) => cents(c.value)).filter((v) => v > 0))].sort((a, b) => b - a).slice(0, 150);
  const set = new Set(values);
  const has = (v: number) => set.has(v) || set.has(v - 1) || set.has(v + 1);
  const arith = new Map(values.map((v) => [v, { sum: 0, addend: 0, total: 0, sub: 0, tax: 0 }]));
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i]!; const b = values[j]!; // a > b
      if (has(a + b)) {
        const s = arith.get([...set].find((x) => near(x, a + b))!)!;
        s.sum = 1; arith.get(a)!.addend = 1; arith.get(b)!.addend = 1;
        // b is the tax on a at a common rate: a subtotal, its tax, their total
        if (RATES.some((r) => near(Math.round(a * r), b))) { s.total = 1; arith.get(a)!.sub = 1; arith.get(b)!.tax = 1; }
      }
    }
  }
  const counts = new Map<string, number>();
  for (const list of Object.values(all)) for (const c of list) counts.set(`${c.kind}:${c.value}`, (counts.get(`${c.kind}:${c.value}`) ?? 0) + 1);
  return {
    amountCents: set, arith, amountRank: new Map(values.map((v, i) => [v, i])),
    dates: [...new Set(all.date.map((c) => c.value))].sort(), counts, pages: ctx.text.pages.length,
    lowerText: ctx.layout.text.toLowerCase(),
    firstLine: new Map([...ctx.layout.lines].reverse().map((l) => [l.page, l.index])),
  };
}

function classCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const h of wordClasses().find(text)) m.set(h.key, (m.get(h.key) ?? 0) + 1);
  return m;
}

function kindFeatures(ctx: DocContext, c: Candidate, f: Sparse, stats: DocStats): void {
  const line = ctx.layout.lines[c.line]!;
  switch (c.kind) {
    case 'amount': {
      const v = cents(c.value);
      f['amt:log'] = Math.log10(1 + v / 100);
      f['amt:rank'] = Math.min(20, stats.amountRank.get(v) ?? 20);
      f['amt:neg'] = Number(c.value) < 0 ? 1 : 0;
      f['amt:currency'] = c.facts.currency ? 1 : 0;
      f['amt:sumOf'] = Number(c.facts.sumOf ?? 0);
      const onLine = line.cells.reduce((n, cell) => n + (cell.text.match(/\d[.,]\d{2}(?!\d)/g) ?? []).length, 0);
      f['amt:onLine'] = onLine;
      f['amt:lastOnLine'] = c.cell === line.cells.length - 1 ? 1 : 0;
      f['amt:percentOnLine'] = /%/.test(line.text) ? 1 : 0;
      const a = stats.arith.get(v);
      if (a) { f['arith:sum'] = a.sum; f['arith:addend'] = a.addend; f['arith:total'] = a.total; f['arith:sub'] = a.sub; f['arith:tax'] = a.tax; }
      // cash rounding to 5 cents (MY, CH, AU, NZ, CA, NL, BE, FI...): a total of 7.72 is paid as 7.70; the document
      // prints both, and which one is the amount due differs by what the rounding line says, so each side is a feature
      f['amt:cashRounded'] = isCashRoundingOf(v, stats.amountCents) ? 1 : 0;
      f['amt:cashUnrounded'] = v % 5 !== 0 && stats.amountCents.has(Math.round(v / 5) * 5) ? 1 : 0;
      break;
    }
    case 'date': {
      const i = stats.dates.indexOf(c.value);
      const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86400000;
      f['date:rank'] = i; f['date:rankFromEnd'] = stats.dates.length - 1 - i; f['date:n'] = stats.dates.length;
      f['date:fromFirst'] = Math.min(12, (day(c.value) - day(stats.dates[0]!)) / 30);
      f['date:toLast'] = Math.min(12, (day(stats.dates[stats.dates.length - 1]!) - day(c.value)) / 30);
      f['date:textual'] = Number(c.facts.textualMonth ?? 0);
      f['date:ambiguous'] = Number(c.facts.ambiguous ?? 0);
      // a deadline in a terms sentence: "zahlbar … bis 04.04.2013", "payable by", "à régler avant le"
      const before = ctx.layout.text.slice(line.start, c.start);
      const until = wordClasses().find(before).filter((h) => h.key === 'untilWord').pop();
      f['date:afterUntil'] = until && before.length - until.end <= 3 ? 1 : 0;
      const terms = parsePaymentTerms(line.text);
      f['date:termsLine'] = terms.netDays !== null || terms.discounts.length ? 1 : 0;
      // the clause before the date names a discount ("3% Skonto … bis 15.03.")
      const clauseStart = line.start + Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('. '), 0);
      f['date:discountClause'] = ctx.labelsByLine[c.line]!.some((h) => h.concept === 'notTotal' && h.start >= clauseStart && h.end <= c.start) ? 1 : 0;
      break;
    }
    case 'id': {
      const t = c.value;
      const digits = (t.match(/\d/g) ?? []).length;
      f['id:len'] = t.length; f['id:digitFrac'] = digits / t.length; f['id:letters'] = /\p{L}/u.test(t) ? 1 : 0;
      f['id:sep'] = /[-/._#]/.test(t) ? 1 : 0; f['id:pure'] = /^\d+$/.test(t) ? 1 : 0; f['id:longDigits'] = digits >= 9 ? 1 : 0;
      f['id:year'] = /^(?:19|20)\d\d$/.test(t) ? 1 : 0;
      f['id:postcode'] = /^\d{4,5}$/.test(t) && /^\s+\p{Lu}\p{Ll}/u.test(ctx.layout.text.slice(c.end, c.end + 3)) ? 1 : 0;
      f['id:phoneLine'] = ctx.labelsByLine[c.line]!.some((h) => h.concept === 'contact') || /\+\d/.test(line.text) ? 1 : 0;
      f['id:titleLine'] = ctx.labelsByLine[c.line]!.some((h) => h.concept === 'title') ? 1 : 0;
      const title = ctx.labelsByLine[c.line]!.find((h) => h.concept === 'title' && h.end <= c.start && c.start - h.end <= 6);
      f['id:afterTitle'] = title ? 1 : 0;
      f['id:amountOnLine'] = /\d[.,]\d{2}(?!\d)/.test(line.text) ? 1 : 0;
      break;
    }
    case 'name': {
      const cls = classCounts(c.value);
      const words = c.value.split(/\s+/);
      f['nm:legal'] = cls.get('legalForm') ?? 0; f['nm:trade'] = cls.get('tradeWord') ?? 0; f['nm:street'] = cls.get('streetWord') ?? 0;
      f['nm:country'] = cls.get('country') ?? 0;
      f['nm:salutation'] = wordClasses().find(words[0] ?? '').some((h) => h.key === 'salutation') ? 1 : 0;
      f['nm:words'] = words.length; f['nm:len'] = c.value.length;
      const letters = c.value.match(/\p{L}/gu) ?? [];
      f['nm:upper'] = letters.filter((x) => x === x.toUpperCase()).length / Math.max(1, letters.length);
      f['nm:digits'] = (c.value.match(/\d/g) ?? []).length;
      f['nm:lineOnPage'] = Math.min(60, c.line - stats.firstLine.get(c.page)!);
      f['nm:parts'] = Number(c.facts.parts ?? 1); f['nm:partIndex'] = Number(c.facts.partIndex ?? 0);
      f['nm:afterLabel'] = Number(c.facts.afterLabel ?? 0); f['nm:joined'] = Number(c.facts.joined ?? 0);
      f['nm:wholeLine'] = line.cells.length === 1 ? 1 : 0;
      const cell = line.cells[c.cell];
      const below = cell ? cellBelow(ctx, line, cell) : null;
      if (below) {
        const bc = classCounts(below.cell.text);
        f['nm:belowStreet'] = bc.get('streetWord') ? 1 : 0;
        f['nm:belowDigit'] = /\d/.test(below.cell.text) ? 1 : 0;
        f['nm:belowLegal'] = bc.get('legalForm') ? 1 : 0;
      }
      // a window address under a one-line sender line ("Acme GmbH · Street 1 · City", DIN 5008)
      for (let i = c.line - 1; i >= Math.max(0, c.line - 2); i--) {
        const above = ctx.layout.lines[i]!;
        if (above.page !== c.page) break;
        if (above.cells.some((x) => (x.text.match(/[|•●·]/g) ?? []).length >= 2 && xOverlap(x.bbox, c.bbox) > 0.3)) { f['nm:underSenderLine'] = 1 / (c.line - i); break; }
      }
      const lower = c.value.toLowerCase();
      let n = 0; for (let i = stats.lowerText.indexOf(lower); i >= 0 && n < 9; i = stats.lowerText.indexOf(lower, i + 1)) n++;
      f['nm:occurs'] = n;
      f['nm:endsOpen'] = /[&,-]$/.test(c.value) ? 1 : 0;
      f['nm:colon'] = /:/.test(c.value) ? 1 : 0;
      f['nm:paren'] = /[()]/.test(c.value) ? 1 : 0;
      f['nm:lowerStart'] = /^\p{Ll}/u.test(c.value) ? 1 : 0;
      break;
    }
    case 'address': {
      const cls = classCounts(c.value);
      f['ad:lines'] = Number(c.facts.blockLines ?? 1);
      f['ad:senderLine'] = Number(c.facts.senderLine ?? 0);
      f['ad:skipped'] = Number(c.facts.skipped ?? 0);
      f['ad:street'] = cls.get('streetWord') ?? 0; f['ad:country'] = cls.get('country') ?? 0; f['ad:legal'] = cls.get('legalForm') ?? 0;
      f['ad:salutation'] = cls.get('salutation') ?? 0;
      f['ad:postcode'] = /(?<![\d.,])\d{4,6}(?![\d.,])/.test(c.value) ? 1 : 0;
      f['ad:lastPostcodeCity'] = /(?:^|, )(?:[A-Z]{1,2}-?)?\d{4,6}\s+\p{L}[^,]*$/u.test(c.value) || /\p{L}+,?\s+\d{5}(?:-\d{4})?$/u.test(c.value) ? 1 : 0;
      f['ad:firstDigit'] = /^\d/.test(c.value) ? 1 : 0;
      f['ad:labels'] = c.lines.reduce((n, i) => n + ctx.labelsByLine[i]!.length, 0);
      f['ad:len'] = c.value.length;
      const owner = ctx.layout.lines[Number(c.facts.owner)]!;
      f['ad:ownerLegal'] = ctx.classesByLine[owner.index]!.get('legalForm') ? 1 : 0;
      break;
    }
    case 'taxId': {
      f['tx:vat'] = Number(c.facts.vatFormat ?? 0);
      f['tx:de'] = String(c.facts.country) === 'DE' ? 1 : 0;
      break;
    }
  }
}

/** Token-classifier evidence: per entity label, the best span score times the share of the candidate it covers. */
function nerFeatures(ctx: DocContext, c: Candidate, f: Sparse): void {
  if (!ctx.spans) return;
  f['ner:on'] = 1;
  const len = Math.max(1, c.end - c.start);
  for (const s of ctx.spans) {
    if (s.end <= c.start || s.start >= c.end) continue;
    const cover = (Math.min(s.end, c.end) - Math.max(s.start, c.start)) / len;
    const key = `ner:${s.label}`;
    f[key] = Math.max(f[key] ?? 0, s.score * cover);
  }
}

/** Feature rows for every candidate, in the order given. */
export function featurize(ctx: DocContext, all: Record<CandidateKind, Candidate[]>): Map<Candidate, Sparse> {
  const stats = docStats(ctx, all);
  const out = new Map<Candidate, Sparse>();
  const header = new Map<Candidate, number>();
  for (const list of Object.values(all)) {
    for (const c of list) {
      const f: Sparse = {};
      const line = ctx.layout.lines[c.line]!;
      const page = ctx.text.pages.find((p) => p.number === c.page)!;
      const block = c.kind === 'name' || c.kind === 'address' || c.kind === 'taxId';
      const headerLine = labelContext(ctx, f, c, block);
      if (c.kind === 'name' && headerLine !== null) header.set(c, headerLine);
      if (c.kind === 'address') {
        // an address is read through its owner's (the name line's) context
        const owner = ctx.layout.lines[Number(c.facts.owner)]!;
        const cellIndex = Number(c.facts.ownerCell ?? 0);
        const cell = owner.cells[cellIndex] ?? owner.cells[0]!;
        const ctxF: Sparse = {};
        labelContext(ctx, ctxF, { line: owner.index, cell: cellIndex, start: Number(c.facts.ownerStart ?? cell.start), bbox: cell.bbox, page: owner.page }, true);
        for (const [k, v] of Object.entries(ctxF)) f[`own:${k}`] = v;
      }
      f['pos:x'] = (c.bbox[0] + c.bbox[2]) / 2 / page.width;
      f['pos:y'] = (c.bbox[1] + c.bbox[3]) / 2 / page.height;
      f['pos:right'] = c.bbox[2] / page.width;
      f['pos:page'] = c.page; f['pos:lastPage'] = c.page === stats.pages ? 1 : 0; f['pos:pages'] = stats.pages;
      f['font:h'] = (c.bbox[3] - c.bbox[1]) / ctx.wordHeight;
      if (page.method === 'ocr') {
        f['ocr'] = 1;
        const words = line.words.filter((w) => w.end > c.start && w.start < c.end);
        f['ocr:conf'] = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
      }
      f['rep'] = stats.counts.get(`${c.kind}:${c.value}`) ?? 1;
      kindFeatures(ctx, c, f, stats);
      nerFeatures(ctx, c, f);
      out.set(c, f);
    }
  }
  blockRanks(all.name, header, out);
  for (const a of all.address) {
    const owner = all.name.find((n) => n.start === a.facts.ownerStart && !n.facts.joined && !n.facts.afterLabel);
    const rank = owner ? out.get(owner)!['bh:rank'] : undefined;
    if (rank !== undefined) out.get(a)!['own:bh:rank'] = rank;
  }
  return out;
}
