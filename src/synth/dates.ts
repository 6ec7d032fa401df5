/** Calendar dates for the generator: plain y/m/d values, ISO output, printed in many conventions. */
import type { LabelSet } from './labels-text.js';

export interface CalendarDate { y: number; m: number; d: number }

export const DATE_FORMATS = [
  'dd/mm/yyyy', 'mm/dd/yyyy', 'yyyy-mm-dd', 'dd.mm.yyyy', 'dd-mm-yyyy', 'dd.mm.yy', 'dd/mm/yy',
  'd month yyyy', 'month d, yyyy', 'mon d, yyyy', 'dd-mon-yyyy', 'd mon yyyy',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function toIso(date: CalendarDate): string { return `${date.y}-${pad(date.m)}-${pad(date.d)}`; }

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Day number since 1970-01-01, for random dates in a range. */
export function fromEpochDay(day: number): CalendarDate { return addDays({ y: 1970, m: 1, d: 1 }, day); }
export function epochDay(date: CalendarDate): number { return Math.round(Date.UTC(date.y, date.m - 1, date.d) / 86_400_000); }

/**
 * Prints a date. Month-name formats follow the language: "5 March 2024", "5. März 2024",
 * "5 de marzo de 2024", "March 5, 2024" (English only; other languages fall back to day-first).
 */
export function formatDate(date: CalendarDate, format: DateFormat, labels: LabelSet, language: string): string {
  const { y, m, d } = date;
  const month = labels.months[m - 1]!;
  const mon = labels.monthsShort[m - 1]!;
  switch (format) {
    case 'dd/mm/yyyy': return `${pad(d)}/${pad(m)}/${y}`;
    case 'mm/dd/yyyy': return `${pad(m)}/${pad(d)}/${y}`;
    case 'yyyy-mm-dd': return `${y}-${pad(m)}-${pad(d)}`;
    case 'dd.mm.yyyy': return `${pad(d)}.${pad(m)}.${y}`;
    case 'dd-mm-yyyy': return `${pad(d)}-${pad(m)}-${y}`;
    case 'dd.mm.yy': return `${pad(d)}.${pad(m)}.${pad(y % 100)}`;
    case 'dd/mm/yy': return `${pad(d)}/${pad(m)}/${pad(y % 100)}`;
    case 'd month yyyy':
      if (language === 'de') return `${d}. ${month} ${y}`;
      if (language === 'es') return `${d} de ${month} de ${y}`;
      return `${d} ${month} ${y}`;
    case 'month d, yyyy': return language === 'en' ? `${month} ${d}, ${y}` : `${d} ${month} ${y}`;
    case 'mon d, yyyy': return language === 'en' ? `${mon} ${d}, ${y}` : `${d} ${mon} ${y}`;
    case 'dd-mon-yyyy': return `${pad(d)}-${mon.replace(/\.$/, '')}-${y}`;
    case 'd mon yyyy': return language === 'de' ? `${d}. ${mon} ${y}` : `${d} ${mon} ${y}`;
  }
}
