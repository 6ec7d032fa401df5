import type { InvoiceRecord, RecordWarning } from './invoice-record.js';

/**
 * The record's own arithmetic (see invoice-record.ts) and its sign convention. Exact decimal
 * arithmetic on scaled BigInts: amounts never pass through binary floats.
 */

interface Scaled { units: bigint; scale: number }

function parse(s: string): Scaled | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? '';
  const units = BigInt(m[2]! + frac);
  return { units: m[1] ? -units : units, scale: frac.length };
}

const at = (x: Scaled, scale: number) => x.units * 10n ** BigInt(scale - x.scale);

/** Sum of decimal strings as a decimal string (null if any is not a decimal). */
export function sumDecimals(values: string[]): string | null {
  const parsed = values.map(parse);
  if (parsed.some((p) => p === null)) return null;
  const scale = Math.max(2, ...parsed.map((p) => p!.scale));
  const units = parsed.reduce((acc, p) => acc + at(p!, scale), 0n);
  return format({ units, scale });
}

function format(x: Scaled): string {
  const neg = x.units < 0n;
  const digits = (neg ? -x.units : x.units).toString().padStart(x.scale + 1, '0');
  const s = x.scale === 0 ? digits : `${digits.slice(0, -x.scale)}.${digits.slice(-x.scale)}`;
  return neg ? `-${s}` : s;
}

/** a - b + c ... as signed terms; null if any term is not a decimal. */
export function combineDecimals(terms: Array<[1 | -1, string]>): string | null {
  return sumDecimals(terms.map(([sign, v]) => (sign === 1 ? v : negateDecimal(v))));
}

/** |a - b| <= tolerance. */
export function decimalsClose(a: string, b: string, tolerance = '0'): boolean {
  const d = combineDecimals([[1, a], [-1, b]]);
  if (d === null) return false;
  const diff = parse(d)!;
  const tol = parse(tolerance)!;
  const scale = Math.max(diff.scale, tol.scale);
  const mag = at(diff, scale) < 0n ? -at(diff, scale) : at(diff, scale);
  return mag <= at(tol, scale);
}

export function negateDecimal(v: string): string {
  if (/^-/.test(v)) return v.slice(1);
  return /^0+(\.0+)?$/.test(v) ? v : `-${v}`;
}

export function isNegativeDecimal(v: string | null): boolean {
  return v !== null && /^-/.test(v) && !/^-0+(\.0+)?$/.test(v);
}

export interface ArithmeticOptions {
  /** Allowed difference per check ("0" for e-invoice XML, a cent or two for printed documents). */
  tolerance?: string;
}

/**
 * Warnings for every failed check among those whose terms the record states:
 * LINE_ITEMS_MISMATCH (items - discount + shipping vs subtotal, or vs total when the line amounts
 * include tax), TOTALS_MISMATCH (subtotal + tax
 * vs total), TAX_BREAKDOWN_MISMATCH (breakdown amounts vs tax, bases vs subtotal),
 * AMOUNT_DUE_MISMATCH (total - prepaid vs amount due). Each warning lists the field paths involved.
 */
export function arithmeticWarnings(record: InvoiceRecord, options: ArithmeticOptions = {}): Array<RecordWarning & { fields: string[] }> {
  const tol = options.tolerance ?? '0';
  const out: Array<RecordWarning & { fields: string[] }> = [];
  const { subtotal, tax, total, discount, shipping, prepaid, amountDue } = record;
  const amounts = record.lineItems.map((i) => i.amount);
  if (subtotal !== null && amounts.length > 0 && amounts.every((a) => a !== null)) {
    const items = sumDecimals(amounts as string[]);
    const expected = items === null ? null : combineDecimals([[1, items], ...(discount ? [[-1, discount] as [-1, string]] : []), ...(shipping ? [[1, shipping] as [1, string]] : [])]);
    // Gross-priced documents (till receipts, B2C) state line amounts with tax: they add up to the total.
    const gross = expected !== null && total !== null && decimalsClose(expected, total, tol);
    if (expected !== null && !gross && !decimalsClose(expected, subtotal, tol)) {
      out.push({
        code: 'LINE_ITEMS_MISMATCH',
        message: `line items add up to ${items}${discount ? ` - discount ${discount}` : ''}${shipping ? ` + shipping ${shipping}` : ''} = ${expected}, subtotal is ${subtotal}`,
        fields: ['lineItems', 'subtotal', ...(discount ? ['discount'] : []), ...(shipping ? ['shipping'] : [])],
      });
    }
  }
  if (subtotal !== null && tax !== null && total !== null) {
    const sum = combineDecimals([[1, subtotal], [1, tax]]);
    if (sum !== null && !decimalsClose(sum, total, tol)) {
      out.push({ code: 'TOTALS_MISMATCH', message: `subtotal ${subtotal} + tax ${tax} = ${sum}, total is ${total}`, fields: ['subtotal', 'tax', 'total'] });
    }
  }
  const rows = record.taxBreakdown;
  if (rows.length > 0) {
    const taxes = rows.map((r) => r.amount);
    if (tax !== null && taxes.every((a) => a !== null)) {
      const sum = sumDecimals(taxes as string[]);
      if (sum !== null && !decimalsClose(sum, tax, tol)) {
        out.push({ code: 'TAX_BREAKDOWN_MISMATCH', message: `tax breakdown amounts add up to ${sum}, tax is ${tax}`, fields: ['taxBreakdown', 'tax'] });
      }
    }
    const bases = rows.map((r) => r.base);
    if (subtotal !== null && bases.every((b) => b !== null)) {
      const sum = sumDecimals(bases as string[]);
      if (sum !== null && !decimalsClose(sum, subtotal, tol)) {
        out.push({ code: 'TAX_BREAKDOWN_MISMATCH', message: `tax breakdown bases add up to ${sum}, subtotal is ${subtotal}`, fields: ['taxBreakdown', 'subtotal'] });
      }
    }
  }
  if (total !== null && amountDue !== null) {
    const due = prepaid === null ? total : combineDecimals([[1, total], [-1, prepaid]]);
    if (due !== null && !decimalsClose(due, amountDue, tol)) {
      out.push({
        code: 'AMOUNT_DUE_MISMATCH',
        message: `total ${total}${prepaid ? ` - prepaid ${prepaid}` : ''} = ${due}, amount due is ${amountDue}`,
        fields: ['total', 'amountDue', ...(prepaid ? ['prepaid'] : [])],
      });
    }
  }
  return out;
}

/** Every amount of the record (header, breakdown, line prices and amounts), for sign handling. */
const HEADER_AMOUNTS = ['subtotal', 'tax', 'total', 'discount', 'shipping', 'prepaid', 'amountDue'] as const;

/**
 * The sign convention for credit notes: a credit note's amounts are positive. When a credit
 * note states its total (else its subtotal) negative, every amount is negated, so that the
 * arithmetic still holds (a line that was positive among negative ones becomes negative).
 * Returns the record unchanged for other document types or when the total is already positive.
 */
export function applySignConvention(record: InvoiceRecord): InvoiceRecord {
  if (record.documentType !== 'credit_note') return record;
  const anchor = record.total ?? record.subtotal ?? record.amountDue;
  if (!isNegativeDecimal(anchor)) return record;
  const neg = (v: string | null) => (v === null ? null : negateDecimal(v));
  const out: InvoiceRecord = { ...record };
  for (const f of HEADER_AMOUNTS) out[f] = neg(record[f]);
  out.taxBreakdown = record.taxBreakdown.map((r) => ({ ...r, base: neg(r.base), amount: neg(r.amount) }));
  // A credit note credits quantities: a negative unit price (or quantity) becomes positive, never both negative.
  out.lineItems = record.lineItems.map((i) => {
    const quantityNegative = isNegativeDecimal(i.quantity);
    return {
      ...i,
      amount: neg(i.amount),
      ...(quantityNegative ? { quantity: neg(i.quantity) } : { unitPrice: neg(i.unitPrice) }),
    };
  });
  return out;
}
