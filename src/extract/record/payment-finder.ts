import { validBic, validIban } from '../../core/record-ids.js';
import { ACCOUNT_HOLDER, BIC_LABEL, DIRECT_DEBIT, PAYMENT_REFERENCE, QUOTE_REQUEST } from './field-lexicon.js';
import { ADDRESSEE_RE, roleHits, valueAfter, type Accept, type FoundValue, type LabelHit } from './labelled.js';
import { lineHeight, type PageLines } from './page-lines.js';

/**
 * The payee's account and the remittance reference, from the page text:
 * - IBAN: any IBAN-shaped run of characters (country, check digits, groups of up to 4) whose
 *   ibantools checksum and country format hold; an IBAN stated with a direct-debit phrase on its
 *   line or the line above, or after a second-person possessive ("Ihrem Konto", "your account"),
 *   is the payer's account and is skipped. The first valid one is the payee's.
 * - BIC: the value of a BIC/SWIFT label that ibantools accepts.
 * - account holder, payment reference: the value of their labels; a request to quote an
 *   identifier with nothing after it ("(bei Zahlung bitte angeben)") refers to the identifier
 *   before it, on its line or ending the line above.
 */

export interface Found { value: string; confidence: number; start: number; end: number }
export interface PaymentFound { iban: Found | null; bic: Found | null; accountHolder: Found | null; reference: Found | null }

const IBAN_START = /(?<![\p{L}\d])([A-Z]{2}\d{2})(?=[\s\dA-Z])/gu;

/** The longest checksum-valid IBAN starting at `from` in `text`: runs of letters and digits joined by single spaces. */
function ibanAt(text: string, from: number): { iban: string; length: number } | null {
  const run = /[A-Z0-9]+/y;
  let pos = from; let compact = ''; let best: { iban: string; length: number } | null = null;
  while (pos < text.length) {
    run.lastIndex = pos;
    const m = run.exec(text);
    if (!m) break;
    compact += m[0]; pos = run.lastIndex;
    if (compact.length > 34) break;
    const v = compact.length >= 15 ? validIban(compact) : null;
    if (v) best = { iban: v, length: pos - from };
    if (text[pos] === ' ' && /[A-Z0-9]/.test(text[pos + 1] ?? '')) pos++;
    else break;
  }
  return best;
}

export function findIban(view: PageLines): Found | null {
  const debitLines = new Set(roleHits(view, DIRECT_DEBIT).map((h) => h.line.index));
  for (const line of view.lines) {
    for (const m of line.text.matchAll(IBAN_START)) {
      const hit = ibanAt(line.text, m.index!);
      if (!hit) continue;
      // a direct debit ("von Ihrem Konto IBAN ..."): the payer's account
      if (debitLines.has(line.index) || debitLines.has(line.index - 1) || ADDRESSEE_RE.test(line.text.slice(0, m.index!))) continue;
      return { value: hit.iban, confidence: 0.97, start: line.start + m.index!, end: line.start + m.index! + hit.length };
    }
  }
  return null;
}

const bicValue: Accept = (text) => {
  const m = /^[:\s]*([A-Z]{4}\s?[A-Z]{2}\s?[A-Z0-9]{2}(?:\s?[A-Z0-9]{3})?)(?![A-Za-z0-9])/.exec(text);
  const v = m ? validBic(m[1]!) : null;
  return v && m ? { value: v, offset: m[0].length - m[1]!.length, length: m[1]!.length } : null;
};

const nameValue: Accept = (text) => {
  const m = /^[:\s]*([\p{L}][\p{L}\d&.,'’\- ]{1,80}?)\s*$/u.exec(text);
  return m && !/\d{3}/.test(m[1]!) ? { value: m[1]!.trim(), offset: m[0].indexOf(m[1]!), length: m[1]!.trim().length } : null;
};

/** A reference: the rest of the cell, with at least one digit, at most 60 characters. */
const referenceValue: Accept = (text) => {
  const t = text.trim();
  if (!/\d/.test(t) || t.length > 60 || /^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(t)) return null;
  return { value: t.replace(/[.,;]+$/, ''), offset: text.indexOf(t), length: t.replace(/[.,;]+$/, '').length };
};

/** The identifier ending a text: its last word, holding a digit, neither a date nor an amount. */
function idAtEnd(text: string): { value: string; offset: number } | null {
  const m = /(\S+)$/u.exec(text.replace(/[\s(]+$/u, ''));
  if (!m) return null;
  const value = m[1]!.replace(/[,;:]+$/, '');
  if (!/\d/.test(value) || /^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(value) || /^-?\d+(?:[.,]\d{3})*[.,]\d{2}$/.test(value) || /[€$£¥]/u.test(value)) return null;
  return { value, offset: m.index };
}

/** The identifier a quote request with nothing after it refers to (see the module comment), or null. */
function quotedBefore(view: PageLines, hit: LabelHit): Found | null {
  const { line } = hit;
  if (line.text.slice(hit.end - line.start).replace(/[\s.:)]+/gu, '')) return null;
  // words of the request inside its parenthesis ("(Bei Schriftwechsel und Zahlung bitte angeben.)") are no identifier
  let before = line.text.slice(0, hit.start - line.start);
  const paren = before.lastIndexOf('(');
  if (paren >= 0 && !before.slice(paren).includes(')')) before = before.slice(0, paren);
  if (before.replace(/[\s(]+/gu, '')) {
    const id = idAtEnd(before);
    return id ? { value: id.value, confidence: 0.7, start: line.start + id.offset, end: line.start + id.offset + id.value.length } : null;
  }
  const above = view.lines[line.index - 1];
  if (!above || above.page !== line.page || line.bbox[1] - above.bbox[3] > 1.5 * lineHeight(line)) return null;
  // the cell right above the request ("Vertrag Nr: 00.123.456.7 | 18. April 2014": not the date beside it)
  const cell = above.cells.find((c) => c.bbox[0] < hit.cell.bbox[2] && c.bbox[2] > hit.cell.bbox[0]);
  const id = cell ? idAtEnd(cell.text) : null;
  return id && cell ? { value: id.value, confidence: 0.7, start: cell.start + id.offset, end: cell.start + id.offset + id.value.length } : null;
}

function first(view: PageLines, hits: ReturnType<typeof roleHits>, accept: Accept, confidence: number): Found | null {
  for (const h of hits) {
    const v: FoundValue | null = valueAfter(view, h, accept);
    if (v) return { value: v.value, confidence, start: v.start, end: v.end };
  }
  return null;
}

export function findPayment(view: PageLines): PaymentFound {
  return {
    iban: findIban(view),
    bic: first(view, roleHits(view, BIC_LABEL), bicValue, 0.95),
    accountHolder: first(view, roleHits(view, ACCOUNT_HOLDER), nameValue, 0.8),
    reference: first(view, roleHits(view, PAYMENT_REFERENCE), referenceValue, 0.75)
      ?? roleHits(view, QUOTE_REQUEST).map((h) => quotedBefore(view, h)).find((f) => f !== null) ?? null,
  };
}
