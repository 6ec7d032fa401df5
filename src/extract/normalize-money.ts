import { withMinScale } from './decimal.js';

/**
 * Money normalisation: printed amounts ("1.234,56 €", "(1,234.56)", "RM 12.00", "1 234,56-") to
 * decimal strings with at least two decimals, plus the currency the text names. Never via floats.
 */

export type DecimalMark = '.' | ',';

export interface ParsedMoney {
  /** Decimal string, at least two decimals, "-" for negatives. */
  value: string;
  /** ISO 4217 code when the text names one unambiguously, else null. */
  currency: string | null;
  /** The currency symbol or code as printed ("$", "EUR", "Rs."), or null. */
  symbol: string | null;
  /** True when the decimal mark had to be guessed (e.g. "1,234" with no other evidence). */
  ambiguous: boolean;
}

/** ISO 4217 codes recognised as words in text. */
export const CURRENCY_CODES = new Set([
  'EUR', 'USD', 'GBP', 'CHF', 'INR', 'MYR', 'PLN', 'CZK', 'HUF', 'SEK', 'NOK', 'DKK', 'JPY', 'CNY',
  'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'ZAR', 'BRL', 'MXN', 'RON', 'BGN', 'TRY', 'RUB', 'IDR', 'THB',
  'PHP', 'VND', 'KRW', 'AED', 'SAR', 'ILS', 'ISK', 'PKR', 'LKR', 'BDT', 'NGN', 'KES', 'EGP',
]);

/** Symbols (and local abbreviations) that name exactly one currency. Longest first when matching. */
const SYMBOLS: Record<string, string | null> = {
  'US$': 'USD', 'U$S': 'USD', 'CA$': 'CAD', 'C$': 'CAD', 'AU$': 'AUD', 'A$': 'AUD', 'NZ$': 'NZD',
  'S$': 'SGD', 'SG$': 'SGD', 'HK$': 'HKD', 'R$': 'BRL', 'MX$': 'MXN',
  '€': 'EUR', '£': 'GBP', '₹': 'INR', '₨': 'INR', 'Rs.': 'INR', 'Rs': 'INR', 'RS.': 'INR', 'RS': 'INR',
  'RM': 'MYR', 'zł': 'PLN', 'zl': 'PLN', 'Kč': 'CZK', 'Ft': 'HUF', 'Fr.': 'CHF', 'SFr.': 'CHF', 'sFr.': 'CHF',
  '₺': 'TRY', '₽': 'RUB', '₩': 'KRW', '₫': 'VND', '฿': 'THB', '₱': 'PHP', '₪': 'ILS', 'lei': 'RON',
  // ambiguous: the extractor resolves these from the vendor's country or language
  '$': null, '¥': null, 'kr': null, 'kr.': null,
};
const SYMBOL_KEYS = Object.keys(SYMBOLS).sort((a, b) => b.length - a.length);

const SPACES = /[\s\u00a0\u202f\u2009\u2007]/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const SYMBOL_RE = new RegExp(`(?:${SYMBOL_KEYS.map(escapeRe).join('|')})`);
const CODE_RE = /\b([A-Z]{3})\b/;

/** The currency a piece of text names: a code, or an unambiguous symbol. */
export function detectCurrency(text: string): { currency: string | null; symbol: string | null } {
  const code = CODE_RE.exec(text);
  if (code && CURRENCY_CODES.has(code[1]!)) return { currency: code[1]!, symbol: code[1]! };
  for (const key of SYMBOL_KEYS) {
    const i = text.indexOf(key);
    if (i < 0) continue;
    // letter symbols (RM, Rs, kr, Ft, lei) must stand alone, not inside a word
    if (/^[A-Za-z]/.test(key)) {
      const before = text[i - 1] ?? ' ';
      const after = text[i + key.length] ?? ' ';
      if (/\p{L}/u.test(before) || (/\p{L}/u.test(after) && !key.endsWith('.'))) continue;
    }
    return { currency: SYMBOLS[key] ?? null, symbol: key };
  }
  return { currency: null, symbol: null };
}

/**
 * Parses one printed amount. `decimalMark` is the document's decimal mark when known (from its
 * other amounts or its locale); it only decides genuinely ambiguous cases such as "1,234".
 * Returns null when the text is not an amount.
 */
export function parseMoney(raw: string, options: { decimalMark?: DecimalMark } = {}): ParsedMoney | null {
  let s = raw.trim();
  if (!s) return null;
  let negative = false;
  if (/^\(.*\)$/.test(s)) { negative = true; s = s.slice(1, -1).trim(); }
  // currency: strip every code/symbol occurrence, remember the first
  let { currency, symbol } = detectCurrency(s);
  if (symbol) s = s.replace(symbol, ' ');
  s = s.replace(/\b[A-Z]{3}\b/g, (c) => (CURRENCY_CODES.has(c) ? ' ' : c));
  s = s.trim();
  if (/^\(.*\)$/.test(s)) { negative = true; s = s.slice(1, -1).trim(); }
  // "12.-" / "12,--" (Swiss/German whole amounts)
  s = s.replace(/[.,][-–]{1,2}$/, '');
  if (/^[-−–]/.test(s)) { negative = true; s = s.slice(1).trim(); }
  if (/[-−–]$/.test(s)) { negative = true; s = s.slice(0, -1).trim(); }
  if (/^\+/.test(s)) s = s.slice(1).trim();
  if (/^[-−–]/.test(s)) { negative = true; s = s.slice(1).trim(); } // "€ -12,00" after symbol removal
  if (!/^\d[\d.,'’\s\u00a0\u202f\u2009\u2007]*$/.test(s)) return null;
  if (/[\s\u00a0\u202f\u2009\u2007]\d{1,2}$/.test(s) && !/[.,]/.test(s)) return null; // "12 5": two numbers
  const parsed = splitNumber(s.replace(SPACES, ' '), options.decimalMark);
  if (!parsed) return null;
  let value = parsed.frac ? `${parsed.int}.${parsed.frac}` : parsed.int;
  value = value.replace(/^0+(?=\d)/, '');
  value = withMinScale(value, 2);
  if (negative && /[1-9]/.test(value)) value = `-${value}`;
  return { value, currency, symbol, ambiguous: parsed.ambiguous };
}

function validGroups(intPart: string, sep: string): boolean {
  const groups = intPart.split(sep);
  if (groups.length === 1) return true;
  if (!/^\d{1,3}$/.test(groups[0]!)) {
    // Indian grouping: 12,34,567.00 (lakh/crore)
    return false;
  }
  return groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

function validIndianGroups(intPart: string): boolean {
  return /^\d{1,2}(,\d{2})*,\d{3}$/.test(intPart);
}

function splitNumber(s: string, hint?: DecimalMark): { int: string; frac: string; ambiguous: boolean } | null {
  const t = s.replace(/['’ ]/g, (c) => (c === ' ' ? ' ' : "'"));
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  const clean = (x: string) => x.replace(/[ ']/g, '');
  // both marks present: the last one is the decimal mark
  if (lastDot >= 0 && lastComma >= 0) {
    const mark: DecimalMark = lastDot > lastComma ? '.' : ',';
    const group = mark === '.' ? ',' : '.';
    const [intRaw, frac] = [t.slice(0, Math.max(lastDot, lastComma)), t.slice(Math.max(lastDot, lastComma) + 1)];
    if (!/^\d+$/.test(frac) || intRaw.includes(mark)) return null;
    const intNoSpace = clean(intRaw);
    if (!validGroups(intNoSpace, group) && !(group === ',' && validIndianGroups(intNoSpace))) return null;
    return { int: intNoSpace.split(group).join(''), frac, ambiguous: false };
  }
  const mark = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (mark === null) {
    if (/ /.test(t) && !validGroups(t.replace(/'/g, ' '), ' ')) return null;
    if (/'/.test(t) && !validGroups(t.replace(/ /g, "'"), "'")) return null;
    return { int: clean(t), frac: '', ambiguous: false };
  }
  const parts = t.split(mark);
  const intRaw = parts.slice(0, -1).join(mark);
  const last = parts[parts.length - 1]!;
  if (!/^\d+$/.test(last)) return null;
  // spaces/apostrophes group thousands, so the mark is decimal: "1 234,56", "1'234.56"
  if (/[ ']/.test(intRaw)) {
    if (parts.length > 2) return null;
    const sep = intRaw.includes("'") ? "'" : ' ';
    if (!validGroups(intRaw.replace(/[ ']/g, sep), sep)) return null;
    return { int: clean(intRaw), frac: last, ambiguous: false };
  }
  if (parts.length > 2) {
    // repeated mark: thousands grouping ("1.234.567" or Indian "12,34,567")
    if (validGroups(t, mark) || (mark === ',' && validIndianGroups(t))) return { int: t.split(mark).join(''), frac: '', ambiguous: false };
    return null;
  }
  if (last.length !== 3) return { int: intRaw, frac: last, ambiguous: false };
  // one mark followed by exactly three digits: "1,234" or "1.234" -- grouping unless the document's
  // decimal mark is this one; a leading "0" ("0.125") can only be decimal
  if (intRaw === '0') return { int: '0', frac: last, ambiguous: false };
  if (hint === mark) return { int: intRaw, frac: last, ambiguous: false };
  return { int: intRaw + last, frac: '', ambiguous: hint === undefined };
}

/**
 * The decimal mark a document uses, from amounts with two decimals ("12,50" vs "12.50").
 * Returns undefined when the text shows no evidence either way.
 */
export function detectDecimalMark(text: string): DecimalMark | undefined {
  const comma = (text.match(/\d[,]\d{2}(?!\d)/g) ?? []).length + (text.match(/\d\.\d{3},\d{2}(?!\d)/g) ?? []).length * 2;
  const dot = (text.match(/\d[.]\d{2}(?![\d.])/g) ?? []).length + (text.match(/\d,\d{3}\.\d{2}(?!\d)/g) ?? []).length * 2;
  if (comma === dot) return undefined;
  return comma > dot ? ',' : '.';
}

/** Amount-like substrings of a line, with offsets: "1.234,56 €", "-12.00", "RM 5.00", "(3.50)". */
const CODES = [...CURRENCY_CODES].join('|');
export const AMOUNT_RE = new RegExp(String.raw`(?:[-−]\s?(?=[A-Z€£₹$¥]))?(?:(?:(?:${CODES})(?![A-Za-z])|[€£₹$¥]|US\$|RM|Rs\.?)\s?)?\(?[-−]?\s?(?:\d{1,3}(?:[.,'’\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:[.,]\d{1,4})?\)?(?:\s?-(?!\d))?(?:\s?(?:(?:${CODES})(?![A-Za-z])|[€£₹$]|zł|Kč|Ft|kr))?`, 'g');
