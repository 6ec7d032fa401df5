import type { EarlyPaymentDiscount } from '../../core/invoice-record.js';
import { DAY_WORDS, DISCOUNT_WORDS, IMMEDIATE_PHRASES, NET_WORDS, NOT_DISCOUNT_WORDS } from './terms-lexicon.js';

/**
 * Net days and early-payment discounts from a payment-terms text, in six languages:
 * "Zahlbar innerhalb 30 Tagen netto, 3% Skonto innerhalb 10 Tagen", "Net 30", "2/10 net 30",
 * "escompte 2 % à 8 jours", "#SKONTO#TAGE=14#PROZENT=2.00#" (XRechnung). A clause is a discount when
 * it holds a percentage and a discount word (not a deposit); otherwise a day count with a net word
 * is the net term; "sofort" / "due on receipt" is 0 days. Terms stated only as dates give no days.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (list: string[], compounds = false) => new RegExp(`(?<![\\p{L}])(?:${[...list].sort((a, b) => b.length - a.length).map(escape).join('|')})${compounds ? '' : '(?![\\p{L}])'}`, 'iu');

const DAY_COUNT = new RegExp(`(?<![\\d.,])(\\d{1,3})\\s*-?\\s*(?:${[...DAY_WORDS].sort((a, b) => b.length - a.length).map(escape).join('|')})\\.?(?![\\p{L}])`, 'giu');
// "Netto 7% (excl. USt.)" is a rate: a number before "%" is never a day count
const NET_N = /\b(?:net|netto)\s*(\d{1,3})\b(?!\s*%|\s*[.,]\d)/giu;
const PERCENT = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s*%/gu;
const NET_RE = words(NET_WORDS);
// German compounds count: "Skontovereinbarung", "Skontobetrag".
const DISCOUNT_RE = words(DISCOUNT_WORDS, true);
const NOT_DISCOUNT_RE = words(NOT_DISCOUNT_WORDS);
const IMMEDIATE_RE = words(IMMEDIATE_PHRASES);
const XRECHNUNG_SKONTO = /#SKONTO#TAGE=(\d+)#PROZENT=(\d+(?:\.\d+)?)#(?:BASISBETRAG=(-?\d+(?:\.\d+)?)#)?/giu;
const TWO_TEN_NET = /(?<![\d.,/])(\d{1,2}(?:[.,]\d+)?)\s*\/\s*(\d{1,3})\s*,?\s*net\s*(\d{1,3})\b/giu;

/** "2,0" / "2.00" / "3" -> "2" / "2" / "3": a percentage without trailing zeros. */
export function normalisePercent(raw: string): string | null {
  const m = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(raw.trim());
  if (!m) return null;
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1] && (int !== '0' || frac) ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export interface ParsedTerms { netDays: number | null; discounts: EarlyPaymentDiscount[] }

/** Clauses: split at sentence ends, semicolons, line breaks and ", " (a comma inside "2,0%" is no boundary). */
function clauses(text: string): string[] {
  return text.split(/(?<=[.;!?])\s+|[;\n]|,\s+/u).map((c) => c.trim()).filter(Boolean);
}

export function parsePaymentTerms(text: string | null): ParsedTerms {
  const out: ParsedTerms = { netDays: null, discounts: [] };
  if (text === null) return out;
  let rest = text;
  for (const m of text.matchAll(XRECHNUNG_SKONTO)) {
    const percent = normalisePercent(m[2]!);
    if (percent) out.discounts.push({ percent, days: Number(m[1]), amount: null });
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(TWO_TEN_NET)) {
    const percent = normalisePercent(m[1]!);
    if (percent) out.discounts.push({ percent, days: Number(m[2]), amount: null });
    out.netDays ??= Number(m[3]);
    rest = rest.replace(m[0], ' ');
  }
  for (const clause of clauses(rest)) {
    const percents = [...clause.matchAll(PERCENT)];
    const days = [...clause.matchAll(DAY_COUNT)].map((m) => Number(m[1]));
    if (percents.length > 0 && DISCOUNT_RE.test(clause) && !NOT_DISCOUNT_RE.test(clause)) {
      const percent = normalisePercent(percents[0]![1]!);
      if (percent && percent !== '0') out.discounts.push({ percent, days: days[0] ?? null, amount: null });
      continue;
    }
    if (out.netDays !== null) continue;
    const netN = [...clause.matchAll(NET_N)].map((m) => Number(m[1]));
    if (netN.length > 0) { out.netDays = netN[0]!; continue; }
    if (days.length > 0 && NET_RE.test(clause) && !(percents.length > 0 && NOT_DISCOUNT_RE.test(clause) && days.length === 0)) {
      out.netDays = days[0]!;
      continue;
    }
    if (days.length === 0 && IMMEDIATE_RE.test(clause) && NET_RE.test(clause)) out.netDays = 0;
  }
  return out;
}
