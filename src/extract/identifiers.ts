import type { EntitySpan } from '../core/entity-span.js';
import { candidate, type Candidate } from './evidence.js';
import { INVOICE_NUMBER_LABELS, LANGUAGE_CUES, OTHER_NUMBER_PREFIX } from './keywords.js';
import { valueCells, type Layout } from './layout.js';
import { findDates } from './normalize-date.js';
import { CURRENCY_CODES, detectCurrency } from './normalize-money.js';

const ID_TOKEN = /^[A-Z0-9][A-Za-z0-9\-/._]{0,29}$/;

function validId(tok: string): boolean {
  const t = tok.replace(/[.,;:]+$/, '');
  if (!ID_TOKEN.test(t) || !/\d/.test(t)) return false;
  if (findDates(t).length && findDates(t)[0]!.text.length === t.length) return false;
  if (/^\d{1,3}([.,]\d{3})*[.,]\d{2}$/.test(t)) return false; // an amount
  return true;
}

function firstId(text: string, offset: number): { value: string; start: number; end: number } | null {
  const re = /[^\s:#]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tok = m[0].replace(/[.,;:)]+$/, '');
    if (/^(?:no|nr|n°|nº|n|number|num|#|de|del|la|des|du|von|vom|date|datum|of|the)\.?$/i.test(tok)) continue;
    if (validId(tok)) return { value: tok, start: offset + m.index, end: offset + m.index + tok.length };
    return null; // the value follows the label directly, or not at all
  }
  return null;
}

/** The invoice number: the value after, right of, or below an invoice-number label; else an INVOICE_NO span. */
export function findInvoiceNumber(layout: Layout, spans: EntitySpan[]): Candidate | null {
  const cands: Candidate[] = [];
  for (const cell of layout.cells) {
    for (let i = 0; i < INVOICE_NUMBER_LABELS.length; i++) {
      const m = INVOICE_NUMBER_LABELS[i]!.exec(cell.text);
      if (!m) continue;
      if (OTHER_NUMBER_PREFIX.test(cell.text.slice(0, m.index))) break;
      const strength = 0.9 - 0.3 * (i / INVOICE_NUMBER_LABELS.length);
      const rest = cell.text.slice(m.index + m[0].length);
      let hit = firstId(rest, cell.start + m.index + m[0].length);
      if (!hit && !/\S/.test(rest.replace(/[:#.]/g, ''))) {
        for (const v of valueCells(layout, cell, 1)) {
          hit = firstId(v.text, v.start);
          if (hit) break;
        }
      }
      if (hit) cands.push(candidate(layout, hit.value, strength, hit.start, hit.end));
      break;
    }
  }
  if (cands.length) return cands.sort((a, b) => b.score - a.score)[0]!;
  const span = spans.filter((s) => s.label === 'INVOICE_NO' && validId(s.text.trim())).sort((a, b) => b.score - a.score)[0];
  if (span) return { ...candidate(layout, span.text.trim(), 0.3, span.start, span.end, 'model') };
  return null;
}

const VAT_ID = /\b(?:(?:AT)U\d{8}|BE0?\d{9}|BG\d{9,10}|CHE-?\d{3}\.?\d{3}\.?\d{3}(?:\s?(?:MWST|TVA|IVA))?|CY\d{8}[A-Z]|CZ\d{8,10}|DE\s?\d{9}|DK\d{8}|EE\d{9}|EL\d{9}|ES[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|FR[A-Z0-9]{2}\s?\d{9}|GB\d{9}(?:\d{3})?|HR\d{11}|HU\d{8}|IE\d{7}[A-Z]{1,2}|IT\d{11}|LT\d{9,12}|LU\d{8}|LV\d{11}|MT\d{8}|NL\d{9}B\d{2}|PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10})\b/;
const GSTIN = /\b\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b/;
const TAX_LABEL = /(?:ust|vat|tva|iva|btw|mwst|gst|sst|steuer|tax)\s*-?\s*(?:id(?:ent)?|nr|no|reg|number|nummer|identnr|#)\.?\s*[:.]?\s*([A-Z0-9][A-Z0-9 ./-]{5,20}[A-Z0-9])/i;

/** Tax ids in the document, in reading order, with the country they name when the format tells. */
export function findTaxIds(layout: Layout): Array<Candidate & { country: string | null }> {
  const out: Array<Candidate & { country: string | null }> = [];
  for (const line of layout.lines) {
    const vat = VAT_ID.exec(line.text);
    const gst = GSTIN.exec(line.text);
    const lab = TAX_LABEL.exec(line.text);
    const m = vat ?? gst;
    if (m) {
      const s = line.start + m.index;
      const country = gst && !vat ? 'IN' : m[0].slice(0, 2).replace('EL', 'GR').replace('CH', 'CH');
      out.push({ ...candidate(layout, m[0].replace(/\s/g, ''), lab ? 0.9 : 0.75, s, s + m[0].length), country });
    } else if (lab) {
      const s = line.start + lab.index + lab[0].indexOf(lab[1]!);
      const country = /\bgst\b/i.test(lab[0]) && /^\d{12}$/.test(lab[1]!.replace(/\D/g, '')) ? 'MY' : null;
      out.push({ ...candidate(layout, lab[1]!.trim(), 0.6, s, s + lab[1]!.length), country });
    }
  }
  return out;
}

const EURO_COUNTRIES = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK']);
const COUNTRY_CURRENCY: Record<string, string> = {
  US: 'USD', CA: 'CAD', AU: 'AUD', NZ: 'NZD', SG: 'SGD', HK: 'HKD', GB: 'GBP', CH: 'CHF', IN: 'INR', MY: 'MYR', PL: 'PLN',
  CZ: 'CZK', HU: 'HUF', SE: 'SEK', DK: 'DKK', NO: 'NOK', RO: 'RON', BG: 'BGN', MX: 'MXN', BR: 'BRL',
};
const COUNTRY_WORDS: Array<[string, RegExp]> = [
  ['MY', /\b(?:malaysia|sdn\.?\s*bhd|selangor|kuala lumpur|johor|penang|melaka|perak|pahang|sabah|sarawak)\b/i],
  ['IN', /\b(?:india|gstin|mumbai|delhi|bengaluru|bangalore|chennai|kolkata|hyderabad|pvt\.?\s*ltd)\b/i],
  ['CA', /\b(?:canada|ontario|quebec|british columbia|alberta|gst\/hst)\b/i],
  ['AU', /\b(?:australia|\babn\b|nsw|victoria|queensland)\b/i],
  ['SG', /\bsingapore\b/i], ['GB', /\b(?:united kingdom|england|london|scotland)\b/i], ['CH', /\b(?:schweiz|suisse|svizzera|switzerland)\b/i],
  ['US', /\b(?:usa|united states|[A-Z]{2}\s\d{5}(?:-\d{4})?)\b/],
  ['DE', /\b(?:deutschland|germany)\b/i], ['FR', /\b(?:france)\b/i], ['AT', /\b(?:österreich|austria)\b/i], ['NL', /\b(?:nederland|netherlands)\b/i],
  ['ES', /\b(?:españa|spain)\b/i], ['IT', /\b(?:italia|italy)\b/i], ['BE', /\b(?:belgique|belgië|belgium)\b/i],
];

/** The document's main language among en, de, fr, es, it, nl, by keyword counts. */
export function detectLanguage(text: string): string | null {
  let best: string | null = null; let bestN = 0;
  for (const [lang, re] of LANGUAGE_CUES) {
    const n = (text.match(new RegExp(re.source, 'giu')) ?? []).length;
    if (n > bestN) { best = lang; bestN = n; }
  }
  return best;
}

/** The vendor's country: its tax id format first, then place words. */
export function detectCountry(text: string, vendorTaxCountry: string | null): string | null {
  if (vendorTaxCountry) return vendorTaxCountry;
  for (const [country, re] of COUNTRY_WORDS) if (re.test(text)) return country;
  return null;
}

/**
 * The invoice currency: an ISO code or unambiguous symbol near the totals, else the most frequent
 * one in the document; a bare "$" (or no mark at all) is resolved by the country, then language.
 */
export function findCurrency(layout: Layout, nearTotals: string[], country: string | null, lang: string | null): { code: string | null; score: number; assumed: boolean } {
  for (const t of nearTotals) {
    const c = detectCurrency(t);
    if (c.currency) return { code: c.currency, score: 0.95, assumed: false };
  }
  const counts = new Map<string, number>();
  let dollar = false;
  const re = /\b[A-Z]{3}\b|[€£₹$¥]|\bRM\b|\bRs\.?|zł|Kč|US\$|C\$|A\$|S\$/g;
  for (const m of layout.text.matchAll(re)) {
    if (/^[A-Z]{3}$/.test(m[0]) && !CURRENCY_CODES.has(m[0])) continue;
    const c = detectCurrency(m[0]);
    if (c.currency) counts.set(c.currency, (counts.get(c.currency) ?? 0) + 1);
    else if (c.symbol === '$') dollar = true;
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length) return { code: ranked[0]![0], score: 0.85, assumed: false };
  const byCountry = country ? (EURO_COUNTRIES.has(country) ? 'EUR' : COUNTRY_CURRENCY[country]) : undefined;
  if (dollar) {
    const code = byCountry && ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN'].includes(byCountry) ? byCountry : 'USD';
    return { code, score: byCountry ? 0.75 : 0.6, assumed: true };
  }
  if (byCountry) return { code: byCountry, score: 0.6, assumed: true };
  if (lang && ['de', 'fr', 'es', 'it', 'nl'].includes(lang)) return { code: 'EUR', score: 0.45, assumed: true };
  return { code: null, score: 0, assumed: true };
}
