import type { InvoiceRecord } from '../../core/invoice-record.js';
import { abs, add, approxEqual, sub } from '../decimal.js';
import { amountsIn } from '../candidates.js';
import type { DecimalMark } from '../normalize-money.js';
import { AMOUNT_DUE, CASH_DISCOUNT, DISCOUNT, PREPAID, SHIPPING, type Role } from './field-lexicon.js';
import { lineHits, roleHits } from './labelled.js';
import type { PageLines } from './page-lines.js';
import type { Found } from './payment-finder.js';

/**
 * Document-level discount, charges (shipping), prepaid amount and amount due, from the totals block:
 * a labelled line (field-lexicon roles) with one or two amounts, the last of them the value. Only
 * lines from the first subtotal, total or tax label that carries an amount onward count, so that an
 * allowance on an item row of the table is never taken for the document's. The amount due, when no
 * label states it, is derived: total - prepaid (method 'derived'). Several allowances without their
 * total sum to the discount where the items confirm it; a prepaid amount no label names is the
 * line that prints total - amount due.
 */

export interface AmountsFound { discount: Found | null; shipping: Found | null; prepaid: Found | null; amountDue: Found | null; amountDueDerived: boolean }

function totalsBlockStart(view: PageLines, mark: DecimalMark | undefined): number {
  const hits = lineHits(view);
  const i = view.lines.findIndex((l, k) => hits[k]!.some((h) => h.key === 'subtotal' || h.key === 'total' || h.key === 'tax')
    && amountsIn(l.text, 0, mark).length > 0 && !/%/.test(l.text.slice(0, 3)));
  return i < 0 ? view.lines.length : i;
}

/**
 * The role's amounts: on a line where a total label precedes the role's ("Gesamtbetrag der
 * Abschläge", "total discount") that sum alone; else every labelled line's, in reading order.
 */
function labelledAmounts(view: PageLines, role: Role, from: number, mark: DecimalMark | undefined, confidence: number, to = Infinity): { found: Found[]; summed: boolean } {
  const found: Found[] = [];
  const hits = lineHits(view);
  for (const h of roleHits(view, role)) {
    if (h.line.index < from || h.line.index >= to) continue;
    // the value follows the label on its line; one or two amounts ("10% von 147,30  -14,73")
    const after = view.text.slice(h.end, h.line.end);
    const amounts = amountsIn(after, h.end, mark);
    if (amounts.length === 0 || amounts.length > 2) continue;
    const a = amounts[amounts.length - 1]!;
    // a total label that introduces the role's ("Gesamtbetrag der Abschläge"), with no amount of its own between them
    // ("Basisbetrag: 280,00, Rabattbetrag: -5,60" labels the base)
    const summed = role.concept !== 'total' && hits[h.line.index]!.some((x) => (x.key === 'total' || x.key === 'subtotal') && h.line.start + x.end <= h.start
      && amountsIn(view.text.slice(h.line.start + x.end, h.start), 0, mark).length === 0);
    if (summed) return { found: [{ value: abs(a.value), confidence: confidence + 0.05, start: a.start, end: a.end }], summed: true };
    // two labels of the role on one line ("Rechnungsrabatt 1: ... Rabattbetrag: -5,60") name one amount
    if (found.some((f) => f.start === a.start)) continue;
    found.push({ value: abs(a.value), confidence, start: a.start, end: a.end });
  }
  return { found, summed: false };
}

/** The role's amount: a summed line's, else the first (or, with `last`, the final) labelled one. */
function labelledAmount(view: PageLines, role: Role, from: number, mark: DecimalMark | undefined, last: boolean, confidence: number): Found | null {
  const { found } = labelledAmounts(view, role, from, mark, confidence);
  return (last ? found[found.length - 1] : found[0]) ?? null;
}

/**
 * The document discount where several allowances are listed without their total ("Rechnungsrabatt
 * 1 ... -5,60", "... -2,61"): their sum, where the items' sum less it plus the charges is the
 * subtotal (an allowance counted twice, or one of the items, fails that); else the first.
 */
function discountOf(view: PageLines, record: InvoiceRecord, from: number, mark: DecimalMark | undefined, shipping: Found | null): Found | null {
  const { found, summed } = labelledAmounts(view, DISCOUNT, from, mark, 0.8);
  if (summed || found.length < 2 || !record.subtotal || record.lineItems.length === 0 || record.lineItems.some((it) => it.amount === null)) return found[0] ?? null;
  const total = add(...found.map((f) => f.value));
  const items = add(...record.lineItems.map((it) => abs(it.amount!)));
  const net = sub(add(items, shipping ? shipping.value : '0'), total);
  return approxEqual(net, abs(record.subtotal), '0.02') ? { value: total, confidence: 0.75, start: found[0]!.start, end: found[found.length - 1]!.end } : found[0]!;
}

/**
 * The prepaid amount no label names that the totals imply: a line of the totals block, between the
 * total and the amount due, printing total - amount due ("Erhaltene Anzahlungen  -50,00" between
 * "Bruttosumme 197,65" and "Zahlbetrag 147,65"), on no tax, subtotal or total line. Signed as the
 * difference (negative where more is due).
 */
function impliedPrepaid(view: PageLines, record: InvoiceRecord, from: number, mark: DecimalMark | undefined, due: Found): Found | null {
  if (!record.total) return null;
  const total = abs(record.total);
  const diff = sub(total, due.value);
  // a difference equal to the total or the amount due could be read off either line: no evidence
  if (Number(diff) === 0 || approxEqual(abs(diff), total, '0.005') || approxEqual(abs(diff), due.value, '0.005')) return null;
  const hits = lineHits(view);
  for (const line of view.lines) {
    if (line.index < from || line.start >= due.start) continue;
    // never a tax, subtotal or total line that happens to print the same amount
    if (hits[line.index]!.some((h) => h.key === 'tax' || h.key === 'subtotal' || h.key === 'total')) continue;
    const amounts = amountsIn(line.text, line.start, mark);
    if (amounts.length === 0 || amounts.length > 2) continue;
    const a = amounts[amounts.length - 1]!;
    if (approxEqual(abs(a.value), abs(diff), '0.005')) return { value: diff, confidence: 0.7, start: a.start, end: a.end };
  }
  return null;
}

/**
 * A discount or charge printed between the last item row and the totals block ("Goods value",
 * "Discount 3%  -461.36", then "taxable base"), or a cash discount anywhere after the items
 * (CASH_DISCOUNT), where no label of the totals block states it: taken only where items -
 * discount + charges equals the subtotal (or the total less the tax) with it, so that an allowance
 * under an item row or a discount only offered for early payment stays out.
 */
function confirmedByItems(view: PageLines, record: InvoiceRecord, range: [number, number], mark: DecimalMark | undefined,
  found: { discount: Found | null; shipping: Found | null }): { discount: Found | null; shipping: Found | null } {
  const items = record.lineItems.map((it) => it.amount);
  if (items.length === 0 || items.some((a) => a === null)) return found;
  const nets = [record.subtotal, record.total && record.tax ? sub(abs(record.total), abs(record.tax)) : null].filter((n): n is string => n !== null).map(abs);
  const early = (role: Role) => labelledAmounts(view, role, range[0], mark, 0.7, range[1]).found;
  const cash = labelledAmounts(view, CASH_DISCOUNT, range[0], mark, 0.7).found.slice(0, 1);
  const discounts = found.discount ? [found.discount] : [null, ...early(DISCOUNT).slice(0, 1), ...cash];
  const charges = found.shipping ? [found.shipping] : [null, ...early(SHIPPING).slice(0, 1)];
  const sum = add(...items.map((a) => abs(a!)));
  for (const d of discounts) {
    for (const s of charges) {
      if (d === found.discount && s === found.shipping) continue;
      const net = sub(add(sum, s ? s.value : '0'), d ? d.value : '0');
      if (nets.some((n) => approxEqual(net, n, '0.02'))) return { discount: d, shipping: s };
    }
  }
  return found;
}

export function findDocumentAmounts(view: PageLines, record: InvoiceRecord, mark: DecimalMark | undefined, itemsEnd = -1): AmountsFound {
  const from = totalsBlockStart(view, mark);
  let shipping = labelledAmount(view, SHIPPING, from, mark, false, 0.8);
  let discount = discountOf(view, record, from, mark, shipping);
  if ((!discount || !shipping) && itemsEnd >= 0) ({ discount, shipping } = confirmedByItems(view, record, [itemsEnd + 1, from], mark, { discount, shipping }));
  let amountDue = labelledAmount(view, AMOUNT_DUE, from, mark, true, 0.85);
  const prepaid = labelledAmount(view, PREPAID, from, mark, false, 0.8) ?? (amountDue ? impliedPrepaid(view, record, from, mark, amountDue) : null);
  let amountDueDerived = false;
  if (!amountDue && record.total) {
    const total = abs(record.total);
    const conf = record.fields['total']?.confidence ?? 0.5;
    amountDue = { value: prepaid ? sub(total, prepaid.value) : total, confidence: Math.min(conf, prepaid ? prepaid.confidence : 1) * 0.9, start: -1, end: -1 };
    amountDueDerived = true;
  }
  return { discount, shipping, prepaid, amountDue, amountDueDerived };
}
