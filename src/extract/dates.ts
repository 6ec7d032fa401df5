import type { EntitySpan } from '../core/entity-span.js';
import { candidate, spanSupport, type Candidate } from './evidence.js';
import { DUE_DATE_LABELS, GENERIC_DATE_LABELS, INVOICE_DATE_LABELS, OTHER_DATE_LABELS, TERMS_PATTERNS, matchAny } from './keywords.js';
import { rowCells, xOverlap, type Layout } from './layout.js';
import { addDays, findDates, type DateMatch, type DateOrder } from './normalize-date.js';

type DateRole = 'invoice' | 'due' | 'other' | 'generic' | 'none';

function classify(label: string): DateRole {
  const other = matchAny(OTHER_DATE_LABELS, label);
  const due = matchAny(DUE_DATE_LABELS, label);
  const inv = matchAny(INVOICE_DATE_LABELS, label);
  // the label closest to the date wins: latest end, then latest start ("Rechnung gemäß Bestellung vom")
  const hits: Array<[DateRole, RegExpExecArray]> = [];
  if (other) hits.push(['other', other]);
  if (due) hits.push(['due', due]);
  if (inv) hits.push(['invoice', inv]);
  const end = (m: RegExpExecArray) => m.index + m[0].trimEnd().length;
  if (hits.length) return hits.sort((a, b) => end(b[1]) - end(a[1]) || b[1].index - a[1].index)[0]![0];
  if (GENERIC_DATE_LABELS.some((p) => p.test(label)) || /\b(?:date|datum|fecha|data)\b/i.test(label)) return 'generic';
  return 'none';
}

interface RoledDate { match: DateMatch; role: DateRole; line: number }

/** Each date's role from the label before it on its line, else the label cell above it. */
function roleDates(layout: Layout, order: DateOrder): RoledDate[] {
  const out: RoledDate[] = [];
  for (const line of layout.lines) {
    // an invoice dated before 1990 is a misread (OCR) or not a date at all
    const dates = findDates(line.text, { order }).filter((d) => d.iso >= '1990-01-01');
    let prevEnd = 0;
    for (const d of dates) {
      const match = { ...d, start: d.start + line.start, end: d.end + line.start };
      let role = classify(line.text.slice(prevEnd, d.start));
      prevEnd = d.end;
      const cell = line.cells.find((c) => c.start <= match.start && c.end >= match.end);
      if (role === 'none' && cell) {
        // a label cell in the same visual row, left of the date (split onto its own line by a small offset)
        const left = rowCells(layout, cell).filter((c) => c.line !== line.index && c.bbox[2] <= cell.bbox[0] + 1);
        const last = left[left.length - 1];
        if (last) role = classify(last.text);
      }
      if (role === 'none') {
        // stacked layout: the label is in the line above, in the same column
        const above = layout.lines[line.index - 1];
        if (above && cell && above.page === line.page) {
          const labelCell = above.cells.find((c) => xOverlap(c.bbox, cell.bbox) > 0.3 && findDates(c.text).length === 0);
          if (labelCell) role = classify(labelCell.text);
        }
      }
      out.push({ match, role, line: line.index });
    }
  }
  return out;
}

export interface DatesResult { invoiceDate: Candidate | null; dueDate: Candidate | null; ambiguous: boolean }

export function findInvoiceDates(layout: Layout, order: DateOrder, spans: EntitySpan[]): DatesResult {
  const dates = roleDates(layout, order);
  const model = (d: RoledDate) => spanSupport(spans, ['DATE'], d.match.start, d.match.end);
  const pick = (role: DateRole, score: number) => {
    const d = dates.find((x) => x.role === role);
    return d ? { d, c: candidate(layout, d.match.iso, score - (d.match.ambiguous ? 0.15 : 0) + 0.03 * model(d), d.match.start, d.match.end) } : null;
  };
  const inv = pick('invoice', 0.9) ?? pick('generic', 0.75)
    ?? (() => {
      // no label: the first date that is not labelled as something else, top of the first page
      const d = dates.find((x) => x.role === 'none');
      return d ? { d, c: candidate(layout, d.match.iso, 0.45 + 0.1 * model(d), d.match.start, d.match.end) } : null;
    })();
  let due = pick('due', 0.85);
  if (due && inv && due.c.value < inv.c.value) due = null;
  let dueDate = due?.c ?? null;
  if (!dueDate && inv) dueDate = dueFromTerms(layout, inv.c.value);
  const ambiguous = [inv?.d, due?.d].some((d) => d?.match.ambiguous);
  return { invoiceDate: inv?.c ?? null, dueDate, ambiguous };
}

/** "Net 30", "zahlbar innerhalb 14 Tagen", "à 30 jours"... added to the invoice date; method 'derived'. */
export function dueFromTerms(layout: Layout, invoiceIso: string): Candidate | null {
  for (const line of layout.lines) {
    for (const p of TERMS_PATTERNS) {
      const m = p.exec(line.text);
      if (!m) continue;
      // terms that also print the date itself were read as a due date already; discount terms are not due terms
      if (/skonto|discount|escompte|descuento|sconto|korting/i.test(line.text.slice(0, m.index))) continue;
      const days = Number(m[1]);
      if (!(days > 0 && days <= 180)) continue;
      const c = candidate(layout, addDays(invoiceIso, days), 0.7, line.start + m.index, line.start + m.index + m[0].length, 'derived');
      return c;
    }
  }
  return null;
}
