import type { EntitySpan } from '../core/entity-span.js';
import { candidate, spanSupport, type Candidate } from './evidence.js';
import { CUSTOMER_LABELS, LEGAL_FORM, ORG_SUFFIX, SHIP_TO_LABELS, VENDOR_LABELS, matchAny } from './keywords.js';
import { xOverlap, type Cell, type Layout, type Line } from './layout.js';
import { findDates } from './normalize-date.js';

/** Parts of a cell split at sender-line separators ("Acme GmbH · Street 1 · 12345 City"). */
interface Part { text: string; start: number; end: number; cell: Cell }

/**
 * A name without what trails it on its line: a registration number ("(Co. No:20154-T)",
 * "273500-U (GKJ)", "(139386 X)"), a cut-off bracket ("(S"), separators.
 */
export function cleanName(text: string): string {
  let t = text.replace(/[,;:]+$/, '');
  t = t.replace(/\s*\((?:co\.?|company|reg|registration|roc|gst)\b[^)]*\)?\s*$/i, '').replace(/\s*\([^)]*\d{4,}[^)]*\)?\s*$/, '');
  t = t.replace(/\s*\(?\s*(?:co\.?\s*(?:reg\.?|no\.?)\s*:?\s*)?\d{4,}\s?-?\s?[A-Z]?\s*\)?(?:\s*\([^)]*\))?\s*$/i, '');
  t = t.replace(/\s+[({\[][^)}\]]{0,3}$/, '').replace(/[\s{}[\]|~]+$/, '').trim();
  // "GLN 4333741000005" is an id, not a name followed by its number
  if (!/\s/.test(t) && !LEGAL_FORM.test(t)) return text.trim().replace(/[,;:]+$/, '');
  return t;
}

const OCR_LEGAL: Array<[RegExp, string]> = [[/\b[5S]\/[8B]\b/g, 'S/B'], [/\b[5S][D0O][NH]\b/g, 'SDN'], [/\b[B8][HN][D0O]\b/g, 'BHD'], [/\bGM[8B]H\b/g, 'GMBH']];

/** OCR digit-for-letter slips inside upper-case legal forms: "99 SPEED MART 5/B" -> "S/B". */
export function repairLegalForm(name: string): string {
  return OCR_LEGAL.reduce((t, [re, to]) => t.replace(re, (m) => (/^[A-Z0-9/]+$/.test(m) ? to : m)), name);
}

function parts(cell: Cell): Part[] {
  const out: Part[] = [];
  const re = /[^|•●·]+/g;
  for (let m = re.exec(cell.text); m; m = re.exec(cell.text)) {
    const raw = m[0]; const lead = raw.length - raw.trimStart().length; const t = cleanName(raw.trim());
    if (t) out.push({ text: t, start: cell.start + m.index + lead, end: cell.start + m.index + lead + t.length, cell });
  }
  return out;
}

const LABEL_WORD = /^(?:(?:company|co\.?|reg\.?|registration|gst|sst|tax|vat)\s*(?:reg\.?\s*)?(?:no|number|id)\.?|nummer|number|nr\.?|no\.?|datum|date|seite|page|kunde|kundennummer|customer|client|betreff|subject|referenz|reference|hinweis|note|bestellung|order|lieferant|verk[äa]ufer|k[äa]ufer|seller|buyer|vendor|supplier|from|to|an|von)\s*:?$/i;
/** Courtesy and policy lines printed on receipts, never a party's name. */
const COURTESY = /\b(?:thank|thanks|tq|shopping|terima\s+kasih|please|come\s+again|visit|welcome|goods\s+sold|returnable|refund|exchange|feedback|complaint|redeem|voucher|points?|danke|merci|gracias|grazie|bedankt)\b/i;
const SALUTATION = /^(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|dr\.?|attn\.?|z\.\s?hd\.?|c\/o|monsieur|madame|m\.|mme|sr\.?|sra\.?|sig\.?|sig\.?ra|sig\.?na|spett\.?\s?le|dhr\.?|mevr\.?)$/i;
const NOT_NAME = /(?:@|www\.|https?:|\btel\b|\bfax\b|phone|telefon|\biban\b|\bbic\b|\bswift\b|invoice|rechnung|facture|factura|fattura|factuur|receipt|quittung|\bpage\b|seite|\bgst\b|\bvat\b|ust-?id|\bno\s*[:.]|\bdate\b|datum|\btotal\b|summe|cashier|kassierer|\btax\b|\bcash\s+(?:bill|sale|receipt)|\bmachine\b|\bpos\b|\bterminal\b)/i;

function nameLike(text: string): boolean {
  if (text.length < 2 || text.length > 80) return false;
  if (/^[\p{L} ./-]{1,30}\s*:/u.test(text) || /:$/.test(text) || /^:/.test(text)) return false;
  if (LABEL_WORD.test(text) || COURTESY.test(text)) return false;
  if ((text.match(/\p{L}/gu) ?? []).length < 3) return false;
  if (/\d/.test(text) && (ADDRESS_WORD.test(text) || /,/.test(text))) return false; // an address line
  if (/^[([]/.test(text) || /\[/.test(text)) return false;
  if (!/\p{L}{2,}/u.test(text) || NOT_NAME.test(text)) return false;
  const digits = (text.match(/\d/g) ?? []).length;
  if (digits > text.length / 3) return false;
  if (findDates(text).length) return false;
  if (/^\d{4,5}\s+\p{L}/u.test(text)) return false; // postcode + city
  if (/\b(?:str(?:aße|asse|\.)|weg|platz|allee|street|st\.|road|rd\.|avenue|ave\.|rue|calle|via|straat|jalan|lorong)\b/i.test(text) && /\d/.test(text)) return false;
  return true;
}

/** Lines covered by labelled party blocks (the label line and up to five lines below it in its column). */
function blocks(layout: Layout, labels: RegExp[]): Array<{ label: Cell; lines: Set<number>; first: Part | null }> {
  const out: Array<{ label: Cell; lines: Set<number>; first: Part | null }> = [];
  for (const cell of layout.cells) {
    const m = matchAny(labels, cell.text);
    if (!m || m.index > 3) continue;
    const lines = new Set<number>([cell.line]);
    let first: Part | null = null;
    const rest = cell.text.slice(m.index + m[0].length).replace(/^[\s:]+/, '');
    if (rest && nameLike(rest.trim())) first = { text: rest.trim(), start: cell.end - rest.length, end: cell.end, cell };
    const base = layout.lines[cell.line]!;
    for (let i = cell.line + 1; i < layout.lines.length && i <= cell.line + 6; i++) {
      const line = layout.lines[i]!;
      if (line.page !== base.page) break;
      const below = line.cells.filter((c) => xOverlap(c.bbox, cell.bbox) > 0.3 || Math.abs(c.bbox[0] - cell.bbox[0]) < 8);
      if (below.length === 0) continue;
      lines.add(i);
      for (const c of below) {
        if (first) break;
        const p = parts(c)[0];
        if (p && !SALUTATION.test(p.text) && nameLike(p.text)) first = p;
      }
    }
    out.push({ label: cell, lines, first });
  }
  return out;
}

const LEGAL_WORDS = /\b(?:sdn\.?|bhd\.?|co\.|\(m\)|s\/b|gmbh|ag|ltd\.?|inc\.?|llc|restaurant|restoran)(?![\p{L}])/giu;

/** Two boxes in one column: same left edge, or (centred receipts) same centre. */
function aligned(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  const w = Math.max(a[2] - a[0], b[2] - b[0]);
  return Math.abs(a[0] - b[0]) < 8 || Math.abs((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2) < 0.12 * w;
}

/** A name continued on the next line of its column ("MVM Musterhafter" / "Versicherungsverein Musterstadt a.G."). */
function withContinuation(layout: Layout, p: Part): { text: string; start: number; end: number } {
  const line = layout.lines[p.cell.line]!;
  const prev = layout.lines[line.index - 1];
  if (ORG_SUFFIX.test(p.text) && prev && prev.page === line.page && prev.cells.length === 1 && line.bbox[1] - prev.bbox[3] < 0.6 * (line.bbox[3] - line.bbox[1])) {
    // "MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.": a name line directly above, same left edge
    const c = prev.cells[0]!;
    const stub = p.text.replace(LEGAL_WORDS, '').replace(/[^\p{L}]+/gu, ' ').trim().split(/\s+/).filter((x) => x.length > 1).length < 1;
    if ((aligned(c.bbox, p.cell.bbox) && (stub || /^[&,]/.test(p.text) || Math.abs(c.bbox[0] - p.cell.bbox[0]) < 3 || /[&,-]$/.test(c.text.trim()))) && nameLike(c.text) && !ORG_SUFFIX.test(c.text) && !/\d{3}/.test(c.text) && !matchAny([...VENDOR_LABELS, ...CUSTOMER_LABELS], c.text)) {
      return { text: `${c.text.trim()} ${p.text}`, start: c.start, end: p.end };
    }
  }
  const next = layout.lines[line.index + 1];
  if (!next || next.page !== line.page) return p;
  const open = /[&,-]$/.test(p.text.trim());
  // complete: a legal form, or a trade word with no legal-form line under it
  if (LEGAL_FORM.test(p.text) && !open) return p;
  const c = next.cells.find((x) => aligned(x.bbox, p.cell.bbox));
  if (!c || !(nameLike(c.text) || (LEGAL_FORM.test(c.text) && nameLike(c.text.replace(/[()]/g, '')))) || /\d{3}/.test(c.text) || c.text.length > 60) return p;
  if (!open && !(LEGAL_FORM.test(c.text) || (!ORG_SUFFIX.test(p.text) && ORG_SUFFIX.test(c.text)))) return p;
  return { text: `${p.text} ${c.text.trim()}`, start: p.start, end: c.end };
}

export interface PartiesResult { vendorName: Candidate | null; vendorAddress: Candidate | null; customerName: Candidate | null; customerAddress: Candidate | null }

/**
 * Vendor vs customer. The customer is the name in a labelled recipient block ("Bill to",
 * "Rechnungsempfänger", "Client"...). The vendor is scored among name-like cells: a vendor label,
 * a legal form, a letterhead position, repetition (sender line, footer), ORG spans; cells inside a
 * recipient or ship-to block never count.
 */
export function findParties(layout: Layout, spans: EntitySpan[]): PartiesResult {
  const custBlocks = blocks(layout, CUSTOMER_LABELS);
  const shipBlocks = blocks(layout, SHIP_TO_LABELS);
  const vendBlocks = blocks(layout, VENDOR_LABELS);
  const inCustomer = new Set<number>([...custBlocks, ...shipBlocks].flatMap((b) => [...b.lines]));
  const firstPage = layout.lines.filter((l) => l.page === (layout.lines[0]?.page ?? 1));
  const texts = layout.lines.flatMap((l) => l.cells.flatMap((c) => parts(c).map((p) => p.text.toLowerCase())));
  let customerName: Candidate | null = null;
  const cb = custBlocks.find((b) => b.first);
  if (cb?.first) { const n = withContinuation(layout, cb.first); customerName = candidate(layout, n.text, 0.85, n.start, n.end); }

  const scored: Array<{ p: Part; s: number }> = [];
  const vb = vendBlocks.find((b) => b.first);
  if (vb?.first) scored.push({ p: vb.first, s: 3 });
  let rank = 0;
  for (const line of firstPage) {
    const rel = (line.bbox[1]) / line.pageHeight;
    for (const cell of line.cells) {
      const ps = parts(cell);
      ps.forEach((p, i) => {
        if (!nameLike(p.text) || SALUTATION.test(p.text)) return;
        let s = 0;
        if (ORG_SUFFIX.test(p.text)) s += 2;
        if (rel < 0.3) s += 1; else if (rel > 0.75) s += 0.3;
        if (rank < 3) s += 0.8 - 0.2 * rank;
        if (ps.length > 2 && i === 0) s += 0.8; // sender line: name · street · city
        if (texts.filter((t) => t === p.text.toLowerCase()).length > 1) s += 0.7;
        if (/^[\p{Lu}\d\s&.,'()-]+$/u.test(p.text) && p.text.length > 5) s += 0.2;
        if (!/\s/.test(p.text) && !ORG_SUFFIX.test(p.text)) s -= 0.8; // one short token: a logo or OCR noise more often than a name
        s += 1.5 * spanSupport(spans, ['ORG'], p.start, p.end);
        if (inCustomer.has(line.index)) s -= 5;
        if (customerName && p.text === customerName.value) s -= 5;
        scored.push({ p, s });
      });
      rank += 1;
    }
  }
  scored.sort((a, b) => b.s - a.s);
  const best = scored[0];
  let vendorName: Candidate | null = null;
  let vendorAddress: Candidate | null = null;
  if (best && best.s > 0.5) {
    const { text, start, end } = withContinuation(layout, best.p);
    // a trailing registration number is not part of the name: "99 SPEED MART S/B (519537-X)"
    const clean = cleanName(text);
    vendorName = candidate(layout, repairLegalForm(clean), Math.min(0.95, 0.3 + best.s / 5), start, start + clean.length);
    vendorAddress = addressAfter(layout, layout.lines[layout.lines.findIndex((l) => l.start <= end && l.end >= end)]!, best.p.cell, best.p);
  }
  if (!customerName) customerName = windowRecipient(layout, best?.p ?? null, vendorName?.value ?? null);
  if (!customerName && vendorName) customerName = senderLineRecipient(layout, vendorName.value);
  const customerAddress = cb?.first ? addressAfter(layout, layout.lines[cb.first.cell.line]!, cb.first.cell, cb.first) : null;
  return { vendorName, vendorAddress, customerName, customerAddress };
}

const STOP = /(?:\btel\b|\bfax\b|phone|telefon|@|www\.|https?:|\bgst\b|\bvat\b|\bsst\b|\bust\b|\bust-|steuer|tax\s+invoice|invoice|rechnung|receipt|iban|\bbic\b|\bdate\b|datum|cashier|\bno\s*[:.]\s*[A-Z]*\d{5,}|\b(?:document|doc|bill|order|table|slip|member|counter)\b|^\s*[\d\s()+-]{8,}$)/i;
/** Registration-number lines under a company name: "(65351-M)", "(CO. REG : 860671-D)", "BR NO.: 0195932-X". */
function isIdLine(text: string): boolean {
  if (/^\s*\d{4,6}\s*,?\s+\p{L}/u.test(text)) return false; // postcode + town
  if (/\b(?:reg|roc|br|co|company|gst|sst)\b\.?\s*(?:no)?\.?\s*:?.*\d{4,}/i.test(text)) return true;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters > 6 || /\b(?:jalan|jln|lot|no\.?|taman|road|street|str\.|blk|block|unit|level|lorong)\b/i.test(text)) return false;
  return /\d{4,}-?[A-Z]?\)?\s*$|\(\s*[A-Z]*\d{5,}|^\(?\d{6,}/i.test(text);
}

const ADDRESS_WORD = /\b(?:jalan|jln|jl|lot|seksyen|sek|pt\s?\d|no[.:]?\s*\d|taman|tmn|lorong|persiaran|bandar|kawasan|blok|block|blk|level|floor|flr|unit|bangunan|wisma|plaza|mall|street|st|road|rd|avenue|ave|lane|suite|building|straße|strasse|str|weg|platz|allee|gasse|ring|rue|avenue|boulevard|bd|calle|avenida|plaza|via|viale|piazza|corso|straat|laan|plein|postfach|p\.?o\.?\s*box)\b/i;

/** A postcode before its town ("43300 SERI KEMBANGAN", "80333 München"), not a lot number ("LOT P.T. 33198, BATU 4"). */
const POSTCODE = /(?<!(?:lot|pt|p\.t\.|no\.?|ptd)\s*)(?:^|(?<=[\s,]))\d{5}(?=,?\s+\p{L}{2,})|^\s*(?:[A-Z]{1,2}-?)?\d{4}\s+\p{L}{2,}/iu;
const REGION = /^(?:[\p{L}\s.,'-]*\b(?:johor|selangor|kedah|kelantan|melaka|malacca|negeri sembilan|pahang|perak|perlis|pulau pinang|penang|sabah|sarawak|terengganu|kuala lumpur|putrajaya|labuan|darul ehsan|darul takzim|d\.\s?e|wilayah persekutuan|malaysia|singapore|india|deutschland|germany|österreich|austria|schweiz|switzerland|france|españa|spain|italia|italy|nederland|netherlands|belgique|belgium|united kingdom|uk|usa|united states)\b[\p{L}\s.,'-]*)$/iu;

/** A line that can open an address: a street word, or a number with words that is no date, id or contact line. */
function addressLike(text: string): boolean {
  if (STOP.test(text) || findDates(text).length || isIdLine(text) || /formerly|known as|licensee/i.test(text) || /^\(.*\)$/.test(text) || LEGAL_FORM.test(text)) return false;
  // "PAX:1 POS TITLE:POS001", "PREPAY CHIT NUMBER: 12091": a label and its value
  if (/^[\p{L} .]{2,25}:/u.test(text) && !ADDRESS_WORD.test(text)) return false;
  return ADDRESS_WORD.test(text) || (/\d/.test(text) && /\p{L}{2,}/u.test(text));
}

/** Address lines under a name in its column, joined by spaces, until contact, tax or title lines. */
function addressAfter(layout: Layout, nameLine: Line, cell: Cell, part: { end: number }): Candidate | null {
  const lines: Array<{ text: string; start: number; end: number }> = [];
  // the rest of a sender line ("Acme GmbH · Europa-Allee 19 · 60486 Frankfurt") is the address
  const rest = parts(cell).filter((p) => p.start > part.end);
  if (rest.length) {
    return candidate(layout, rest.map((p) => p.text).join(' '), 0.6, rest[0]!.start, rest[rest.length - 1]!.end);
  }
  let skipped = 0;
  for (let i = nameLine.index + 1; i < layout.lines.length && lines.length < 6; i++) {
    const line = layout.lines[i]!;
    if (line.page !== nameLine.page || line.bbox[1] - layout.lines[i - 1]!.bbox[3] > 3 * (line.bbox[3] - line.bbox[1])) break;
    const c = line.cells.find((x) => xOverlap(x.bbox, cell.bbox) > 0.3);
    if (!c) break;
    const text = c.text.trim();
    if (lines.length === 0) {
      // before the address: registration numbers, branch names, dates, name continuations ("ELECTRICAL")
      if (!addressLike(text)) { if (++skipped > 5) break; continue; }
    } else if (STOP.test(text) && !isIdLine(text)) {
      // "81750 JOHOR BAHRU, JOHOR, TEL NO.: 07-387 3322": keep what precedes the contact details
      const head = text.slice(0, STOP.exec(text)!.index).replace(/[\s,;:-]+$/, '');
      if (head && addressLike(head) && head.length >= 4) lines.push({ text: head, start: c.start, end: c.start + head.length });
      break;
    } else if (isIdLine(text) || /formerly|known as|licensee/i.test(text) || findDates(text).length || /^[\d\s()+-]{8,}[.,]?$/.test(text)) {
      break;
    } else if (lines.some((l) => POSTCODE.test(l.text)) && !REGION.test(text)) {
      // after the postcode line only a state or country continues an address
      break;
    }
    lines.push({ text, start: c.start, end: c.end });
  }
  if (!lines.length || !lines.some((l) => /\d/.test(l.text))) return null;
  return candidate(layout, lines.map((l) => l.text).join(' '), 0.55, lines[0]!.start, lines[lines.length - 1]!.end);
}

/** No recipient label: the first name-like line of the address window below the sender line. */
function windowRecipient(layout: Layout, vendorPart: Part | null, vendorName: string | null): Candidate | null {
  if (!vendorPart) return null;
  const senderLine = layout.lines[vendorPart.cell.line]!;
  if (parts(vendorPart.cell).length < 3) return null;
  for (let i = senderLine.index + 1; i < Math.min(layout.lines.length, senderLine.index + 4); i++) {
    const c = layout.lines[i]!.cells.find((x) => xOverlap(x.bbox, vendorPart.cell.bbox) > 0.3);
    if (!c) continue;
    const t = c.text.trim();
    if (SALUTATION.test(t) || !nameLike(t) || t === vendorName) continue;
    return candidate(layout, t, 0.45, c.start, c.end);
  }
  return null;
}

/** A DIN 5008 sender line: the vendor's name, a separator, then its address ("Acme AG | Street 1, 12345 City"). */
const SENDER_SEP = /^\s*[|•●·–-]\s*/;

/**
 * No recipient label and the vendor found elsewhere (letterhead): the first name-like line below a
 * sender line (vendor name + separator + address with digits), in its column, past any salutation.
 */
export function senderLineRecipient(layout: Layout, vendorName: string): Candidate | null {
  const name = vendorName.toLowerCase();
  for (const cell of layout.cells) {
    const t = cell.text.trim();
    if (!t.toLowerCase().startsWith(name)) continue;
    const rest = t.slice(name.length);
    if (!SENDER_SEP.test(rest) || !/\d/.test(rest) || !/\p{L}{2,}/u.test(rest.replace(SENDER_SEP, ''))) continue;
    const senderLine = layout.lines[cell.line]!;
    for (let i = senderLine.index + 1; i < Math.min(layout.lines.length, senderLine.index + 4); i++) {
      const line = layout.lines[i]!;
      if (line.page !== senderLine.page) break;
      const c = line.cells.find((x) => Math.abs(x.bbox[0] - cell.bbox[0]) < 8);
      if (!c) continue;
      const text = c.text.trim();
      if (SALUTATION.test(text)) continue;
      if (!nameLike(text) || text.toLowerCase() === name) break;
      return candidate(layout, text, 0.45, c.start, c.end);
    }
  }
  return null;
}
