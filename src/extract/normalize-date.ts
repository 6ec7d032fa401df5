/**
 * Date normalisation: printed dates in en, de, fr, es, it, nl forms to ISO 8601 (YYYY-MM-DD).
 * Numeric dates whose day/month order is ambiguous (03/05/2024) are resolved by the document's
 * order: from its other dates (a first number > 12 proves day-first), else its locale.
 */

export type DateOrder = 'DMY' | 'MDY';

export interface ParsedDate {
  iso: string;
  /** True when day/month order could not be told from the date itself and came from the order hint. */
  ambiguous: boolean;
}

export interface DateMatch extends ParsedDate {
  text: string;
  start: number;
  end: number;
}

const MONTH_NAMES: Array<[number, string[]]> = [
  [1, ['january', 'jan', 'januar', 'janner', 'janvier', 'janv', 'enero', 'ene', 'gennaio', 'gen', 'januari']],
  [2, ['february', 'feb', 'febr', 'februar', 'fevrier', 'fevr', 'fev', 'febrero', 'febbraio', 'februari']],
  [3, ['march', 'mar', 'marz', 'mrz', 'mars', 'marzo', 'maart', 'mrt']],
  [4, ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile']],
  [5, ['may', 'mai', 'mayo', 'maggio', 'mag', 'mei']],
  [6, ['june', 'jun', 'juni', 'juin', 'junio', 'giugno', 'giu']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug']],
  [8, ['august', 'aug', 'aout', 'agosto', 'ago', 'augustus']],
  [9, ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'settembre', 'set']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'decembre', 'diciembre', 'dic', 'dicembre']],
];
const MONTHS = new Map<string, number>(MONTH_NAMES.flatMap(([n, names]) => names.map((name) => [name, n] as [string, number])));

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\.$/, '');
}

/** Month number for a month name or abbreviation in any supported language, or null. */
export function monthFromName(name: string): number | null {
  return MONTHS.get(fold(name)) ?? null;
}

/** Two-digit years: 00-69 are 20xx, 70-99 are 19xx. */
export function expandYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds days to an ISO date (for due dates derived from payment terms). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const MONTH_WORD = '([A-Za-zÀ-ÿ]{3,10}\\.?)';
const ORD = '(?:st|nd|rd|th|er|e|º|°|\\.)?';
const PATTERNS: Array<{ re: RegExp; kind: 'ymd' | 'num' | 'dmy-name' | 'mdy-name' | 'compact' }> = [
  { re: /(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/g, kind: 'ymd' },
  { re: /(?<![\d.,\p{L}])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d]|[.,]\d)/gu, kind: 'num' },
  { re: new RegExp(`(?<![\\d])(\\d{1,2})${ORD}\\s*(?:de\\s+|-|/|\\s)?${MONTH_WORD}(?:\\s*(?:de\\s+|,|-|/)?\\s*)(\\d{4}|'?\\d{2})(?![\\d])`, 'gu'), kind: 'dmy-name' },
  { re: new RegExp(`${MONTH_WORD}\\s*(\\d{1,2})${ORD},?\\s*(\\d{4})(?![\\d])`, 'gu'), kind: 'mdy-name' },
];

function parseAt(m: RegExpExecArray, kind: string, order: DateOrder): ParsedDate | null {
  switch (kind) {
    case 'ymd': {
      const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      return iso ? { iso, ambiguous: false } : null;
    }
    case 'num': {
      const a = Number(m[1]); const b = Number(m[3]); const sep = m[2];
      const year = expandYear(m[4]!);
      const dmy = isoDate(year, b, a); const mdy = isoDate(year, a, b);
      if (dmy && !mdy) return { iso: dmy, ambiguous: false };
      if (mdy && !dmy) return { iso: mdy, ambiguous: false };
      if (!dmy || !mdy) return null;
      if (dmy === mdy) return { iso: dmy, ambiguous: false };
      // dotted dates are day-first in every locale that writes them (de, nl, pl, cz...)
      if (sep === '.') return { iso: dmy, ambiguous: false };
      return { iso: order === 'MDY' ? mdy : dmy, ambiguous: true };
    }
    case 'dmy-name': {
      const month = monthFromName(m[2]!);
      if (!month) return null;
      const iso = isoDate(expandYear(m[3]!.replace("'", '')), month, Number(m[1]));
      return iso ? { iso, ambiguous: false } : null;
    }
    case 'mdy-name': {
      const month = monthFromName(m[1]!);
      if (!month) return null;
      const iso = isoDate(Number(m[3]), month, Number(m[2]));
      return iso ? { iso, ambiguous: false } : null;
    }
  }
  return null;
}

/** Every date in a text, with offsets, non-overlapping, in text order. */
export function findDates(text: string, options: { order?: DateOrder } = {}): DateMatch[] {
  const order = options.order ?? 'DMY';
  const found: DateMatch[] = [];
  for (const { re, kind } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const parsed = parseAt(m, kind, order);
      if (!parsed) { re.lastIndex = m.index + 1; continue; }
      const start = m.index; const end = m.index + m[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue;
      found.push({ ...parsed, text: m[0], start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Parses a string that should hold one date (e.g. an entity span); null when it holds none. */
export function parseDate(raw: string, options: { order?: DateOrder } = {}): ParsedDate | null {
  const [first] = findDates(raw.trim(), options);
  return first ? { iso: first.iso, ambiguous: first.ambiguous } : null;
}

/** Locales that write numeric dates month-first. */
const MDY_COUNTRIES = new Set(['US', 'PH', 'FM', 'PW', 'MH']);

/**
 * The day/month order of a document's numeric slash/dash dates: proven by any date whose first or
 * second number exceeds 12, else the locale (US and a few others month-first, everyone else
 * day-first), else day-first.
 */
export function inferDateOrder(text: string, hints: { country?: string | null; currency?: string | null; lang?: string | null } = {}): DateOrder {
  let dmy = 0; let mdy = 0;
  const re = /(?<![\d.])(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?!\d)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const a = Number(m[1]); const b = Number(m[2]);
    if (a > 12 && b <= 12) dmy++;
    else if (b > 12 && a <= 12) mdy++;
  }
  if (dmy !== mdy) return dmy > mdy ? 'DMY' : 'MDY';
  if (hints.country) return MDY_COUNTRIES.has(hints.country.toUpperCase()) ? 'MDY' : 'DMY';
  if (hints.lang && hints.lang !== 'en') return 'DMY';
  if (hints.currency === 'USD') return 'MDY';
  return 'DMY';
}
