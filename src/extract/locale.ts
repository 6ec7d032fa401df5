import type { Layout } from './layout.js';
import { CURRENCY_CODES, detectCurrency } from './normalize-money.js';

/**
 * Locale facts of a document: tax ids (EU VAT formats, India's GSTIN, labelled local numbers),
 * the vendor's country, and the invoice currency.
 */
export interface TaxIdHit { value: string; start: number; end: number; country: string | null; vatFormat: boolean; labelled: boolean }

const VAT_ID = /\b(?:(?:AT)U\d{8}|BE0?\d{9}|BG\d{9,10}|CHE-?\d{3}\.?\d{3}\.?\d{3}(?:\s?(?:MWST|TVA|IVA))?|CY\d{8}[A-Z]|CZ\d{8,10}|DE\s?\d{9}|DK\d{8}|EE\d{9}|EL\d{9}|ES[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|FR[A-Z0-9]{2}\s?\d{9}|GB\d{9}(?:\d{3})?|HR\d{11}|HU\d{8}|IE\d{7}[A-Z]{1,2}|IT\d{11}|LT\d{9,12}|LU\d{8}|LV\d{11}|MT\d{8}|NL\d{9}B\d{2}|PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10})\b/;
const GSTIN = /\b\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b/;
const TAX_LABEL = /(?:ust|vat|tva|iva|btw|mwst|gst|sst|steuer|tax)\s*-?\s*(?:id(?:ent)?|nr|no|reg|number|nummer|identnr|#)\.?\s*[:.]?\s*([A-Z0-9][A-Z0-9 ./-]{5,20}[A-Z0-9])/i;

/** Tax ids in the document, in reading order, with the country they name when the format tells. */
export function findTaxIds(layout: Layout): TaxIdHit[] {
  const out: TaxIdHit[] = [];
  for (const line of layout.lines) {
    const vat = VAT_ID.exec(line.text);
    const gst = GSTIN.exec(line.text);
    const lab = TAX_LABEL.exec(line.text);
    const m = vat ?? gst;
    if (m) {
      const s = line.start + m.index;
      const country = gst && !vat ? 'IN' : m[0].slice(0, 2).replace('EL', 'GR').replace('CH', 'CH');
      out.push({ value: m[0].replace(/\s/g, ''), vatFormat: true, labelled: !!lab, start: s, end: s + m[0].length, country });
    } else if (lab) {
      const s = line.start + lab.index + lab[0].indexOf(lab[1]!);
      const country = /\bgst\b/i.test(lab[0]) && /^\d{12}$/.test(lab[1]!.replace(/\D/g, '')) ? 'MY' : null;
      out.push({ value: lab[1]!.trim(), vatFormat: false, labelled: true, start: s, end: s + lab[1]!.length, country });
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
