import type { InvoiceRecord } from '../../core/invoice-record.js';
import { abs, sub } from '../decimal.js';
import { amountsIn } from '../candidates.js';
import type { DecimalMark } from '../normalize-money.js';
import { AMOUNT_DUE, DISCOUNT, PREPAID, SHIPPING, type Role } from './field-lexicon.js';
import { lineHits, roleHits } from './labelled.js';
import type { PageLines } from './page-lines.js';
import type { Found } from './payment-finder.js';

/**
 * Document-level discount, charges (shipping), prepaid amount and amount due, from the totals block:
 * a labelled line (field-lexicon roles) with one or two amounts, the last of them the value. Only
 * lines from the first subtotal, total or tax label that carries an amount onward count, so that an
 * allowance on an item row of the table is never taken for the document's. The amount due, when no
 * label states it, is derived: total - prepaid (method 'derived').
 */

export interface AmountsFound { discount: Found | null; shipping: Found | null; prepaid: Found | null; amountDue: Found | null; amountDueDerived: boolean }

function totalsBlockStart(view: PageLines, mark: DecimalMark | undefined): number {
  const hits = lineHits(view);
  const i = view.lines.findIndex((l, k) => hits[k]!.some((h) => h.key === 'subtotal' || h.key === 'total' || h.key === 'tax')
    && amountsIn(l.text, 0, mark).length > 0 && !/%/.test(l.text.slice(0, 3)));
  return i < 0 ? view.lines.length : i;
}

/**
 * The role's amount: on a line where a total label precedes the role's ("Gesamtbetrag der
 * Abschläge", "total discount") that sum wins; else the first (or, with `last`, the final) one.
 */
function labelledAmount(view: PageLines, role: Role, from: number, mark: DecimalMark | undefined, last: boolean, confidence: number): Found | null {
  const found: Found[] = [];
  const hits = lineHits(view);
  for (const h of roleHits(view, role)) {
    if (h.line.index < from) continue;
    // the value follows the label on its line; one or two amounts ("10% von 147,30  -14,73")
    const after = view.text.slice(h.end, h.line.end);
    const amounts = amountsIn(after, h.end, mark);
    if (amounts.length === 0 || amounts.length > 2) continue;
    const a = amounts[amounts.length - 1]!;
    const summed = role.concept !== 'total' && hits[h.line.index]!.some((x) => (x.key === 'total' || x.key === 'subtotal') && h.line.start + x.end <= h.start);
    if (summed) return { value: abs(a.value), confidence: confidence + 0.05, start: a.start, end: a.end };
    found.push({ value: abs(a.value), confidence, start: a.start, end: a.end });
  }
  return (last ? found[found.length - 1] : found[0]) ?? null;
}

export function findDocumentAmounts(view: PageLines, record: InvoiceRecord, mark: DecimalMark | undefined): AmountsFound {
  const from = totalsBlockStart(view, mark);
  const discount = labelledAmount(view, DISCOUNT, from, mark, false, 0.8);
  const shipping = labelledAmount(view, SHIPPING, from, mark, false, 0.8);
  const prepaid = labelledAmount(view, PREPAID, from, mark, false, 0.8);
  let amountDue = labelledAmount(view, AMOUNT_DUE, from, mark, true, 0.85);
  let amountDueDerived = false;
  if (!amountDue && record.total) {
    const total = abs(record.total);
    const conf = record.fields['total']?.confidence ?? 0.5;
    amountDue = { value: prepaid ? sub(total, prepaid.value) : total, confidence: Math.min(conf, prepaid ? prepaid.confidence : 1) * 0.9, start: -1, end: -1 };
    amountDueDerived = true;
  }
  return { discount, shipping, prepaid, amountDue, amountDueDerived };
}
