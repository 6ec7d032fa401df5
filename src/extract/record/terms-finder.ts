import type { PaymentTerms } from '../../core/invoice-record.js';
import { lineHits } from './labelled.js';
import { parsePaymentTerms } from './payment-terms.js';
import { lineHeight, type PageLine, type PageLines } from './page-lines.js';
import { INSTRUCTION_PHRASES } from './terms-lexicon.js';

/**
 * The payment-terms sentence: the first line whose words state net days or an early-payment
 * discount (parsePaymentTerms), or the line after a payment label that fills its own line
 * ("Zahlungsbedingungen:" over the sentence). A leading payment label is not part of the text.
 * Failing that, the first sentence of a payment instruction (terms-lexicon INSTRUCTION_PHRASES:
 * "Den Rechnungsbetrag überweisen Sie bitte bis zum 21.11.2018 auf das unten angegebene Konto."),
 * read across the lines of its paragraph, with a lower confidence.
 */

export interface TermsFound { terms: PaymentTerms; confidence: number; start: number; end: number }

const CONFIDENCE = { labelled: 0.85, stated: 0.75, instruction: 0.65 } as const;
/** How many lines a sentence may run on before and after the line of its phrase. */
const PARAGRAPH_REACH = 3;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const INSTRUCTION_RE = new RegExp(`(?<![\\p{L}])(?:${[...INSTRUCTION_PHRASES].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}])`, 'iu');

export function findPaymentTerms(view: PageLines): TermsFound | null {
  const hits = lineHits(view);
  for (const line of view.lines) {
    const parsed = parsePaymentTerms(line.text);
    if (parsed.netDays === null && parsed.discounts.length === 0) continue;
    const lead = hits[line.index]!.find((h) => h.key === 'payment' && h.start === 0);
    const offset = lead ? lead.end + (/^[\s:.\-–]*/.exec(line.text.slice(lead.end))![0].length) : 0;
    const text = line.text.slice(offset).trim();
    if (!text) continue;
    return { terms: { text, netDays: parsed.netDays, discounts: parsed.discounts }, confidence: lead ? CONFIDENCE.labelled : CONFIDENCE.stated, start: line.start + offset, end: line.end };
  }
  for (const line of view.lines) {
    const m = INSTRUCTION_RE.exec(line.text);
    if (!m) continue;
    const s = sentenceAt(view, line, line.start + m.index);
    if (s) return { terms: { text: s.text, netDays: null, discounts: [] }, confidence: CONFIDENCE.instruction, start: s.start, end: s.end };
  }
  return null;
}

/**
 * Whether `next` continues the paragraph of `prev`: same page, the same left edge, no gap wider
 * than half a line, and neither a row of table cells ("Beschreibung | Fälligkeit | Teilzahlung").
 */
function continues(prev: PageLine, next: PageLine): boolean {
  const h = lineHeight(prev);
  return prev.cells.length === 1 && next.cells.length === 1 && next.page === prev.page && Math.abs(next.bbox[0] - prev.bbox[0]) <= h && next.bbox[1] - prev.bbox[3] <= 0.5 * h && next.bbox[1] > prev.bbox[1];
}

/** The sentence around document offset `at`, read across its paragraph's lines (sentences end at ".", "!", "?" before a capital). */
function sentenceAt(view: PageLines, line: PageLine, at: number): { text: string; start: number; end: number } | null {
  let first = line; let last = line;
  for (let k = 0; k < PARAGRAPH_REACH; k++) {
    const prev = view.lines[first.index - 1];
    if (!prev || !continues(prev, first) || /[.!?:]\s*$/.test(prev.text)) break;
    first = prev;
  }
  for (let k = 0; k < PARAGRAPH_REACH; k++) {
    const next = view.lines[last.index + 1];
    if (/[.!?:]\s*$/.test(last.text) || !next || !continues(last, next)) break;
    last = next;
  }
  const raw = view.text.slice(first.start, last.end);
  let start = 0;
  for (const b of raw.matchAll(/[.!?](\s+)(?=\p{Lu})/gu)) {
    const end = b.index! + 1;
    if (first.start + end > at) return clip(raw, first.start, start, end);
    start = end + b[1]!.length;
  }
  return clip(raw, first.start, start, raw.length);
}

function clip(raw: string, base: number, from: number, to: number): { text: string; start: number; end: number } | null {
  const text = raw.slice(from, to).replace(/\s+/g, ' ').trim();
  return text ? { text, start: base + from, end: base + to } : null;
}
