import type { InvoiceRecord } from '../core/invoice-record.js';
import { add, cmp, dec, isDecimal, mul, sub } from '../extract/decimal.js';
import { csvLine } from './csv.js';
import type { BatchFormat, ExportOptions } from './export-format.js';
import type { ExportItem } from './export-item.js';
import { valueAt } from './record-columns.js';

/**
 * Bills (accounts payable) for Xero and QuickBooks Online, one CSV row per bill line.
 *
 * Lines: the record's line items when their amounts add up to the subtotal (a cent of rounding
 * allowed); each keeps quantity x unit price when that product is its amount, else quantity 1 at
 * the line amount. Otherwise one line for the whole invoice ("Invoice <number>") at the net amount
 * (subtotal, else total - tax, else total). Amounts are net; the record's tax is apportioned to the
 * lines by amount, in cents (largest remainder), so the lines add up to the stated tax exactly.
 * Credit notes, failed documents and records without vendor, date or total are left out and
 * reported. Account, tax code and date format come from config export.xero / export.quickbooks.
 */
export interface BillLine { description: string; quantity: string; unitAmount: string; amount: string; tax: string | null }

/** Cents of a decimal string, rounded half away from zero. */
function cents(s: string): bigint {
  const d = dec(s);
  if (d.scale <= 2) return d.units * 10n ** BigInt(2 - d.scale);
  const div = 10n ** BigInt(d.scale - 2);
  const q = d.units / div;
  const r = d.units % div;
  const up = (r < 0n ? -r : r) * 2n >= div;
  return up ? q + (d.units < 0n ? -1n : 1n) : q;
}

function fromCents(c: bigint): string {
  const neg = c < 0n;
  const digits = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Splits `total` cents over `weights` in proportion (largest remainder): the parts add up to `total`. */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n || weights.some((w) => w < 0n)) return weights.map((_, i) => (i === 0 ? total : 0n));
  const shares = weights.map((w) => (total * w) / sum);
  const order = weights.map((w, i) => ({ i, rem: (total * w) % sum })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  for (const { i } of order) {
    if (left <= 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares;
}

const dec2 = (s: string | null): s is string => s !== null && isDecimal(s);

export function billLines(r: InvoiceRecord): BillLine[] {
  const items = r.lineItems.filter((li) => dec2(li.amount));
  const net = dec2(r.subtotal) ? r.subtotal : dec2(r.total) && dec2(r.tax) ? sub(r.total, r.tax) : r.total!;
  let lines: Omit<BillLine, 'tax'>[];
  const itemsSum = items.length > 0 ? add(...items.map((li) => li.amount!)) : null;
  if (items.length > 0 && items.length === r.lineItems.length && itemsSum !== null && Math.abs(Number(cents(itemsSum) - cents(net))) <= 1) {
    lines = items.map((li) => {
      const amount = fromCents(cents(li.amount!));
      const exact = dec2(li.quantity) && dec2(li.unitPrice) && cents(mul(li.quantity, li.unitPrice)) === cents(amount);
      return {
        description: li.description ?? '',
        quantity: exact ? li.quantity! : '1',
        unitAmount: exact ? li.unitPrice! : amount,
        amount,
      };
    });
  } else {
    const amount = fromCents(cents(net));
    lines = [{ description: r.invoiceNumber ? `Invoice ${r.invoiceNumber}` : 'Invoice', quantity: '1', unitAmount: amount, amount }];
  }
  const taxes = dec2(r.tax) ? apportion(cents(r.tax), lines.map((l) => cents(l.amount))).map(fromCents) : lines.map(() => null);
  return lines.map((l, i) => ({ ...l, tax: taxes[i] ?? null }));
}

type DateFormat = 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'YYYY-MM-DD';
export function formatDate(iso: string | null, format: DateFormat): string | null {
  if (!iso) return null;
  const [y, m, d] = iso.split('-');
  return format === 'YYYY-MM-DD' ? iso : format === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

/** The records a bills import can take, each with its lines; the others reported. */
function bills(items: readonly ExportItem[], options: ExportOptions, system: string): { item: ExportItem; record: InvoiceRecord; lines: BillLine[] }[] {
  const out = [];
  for (const item of items) {
    const r = item.record;
    const why = !r ? `the document failed (${item.error?.code ?? 'no record'})`
      : valueAt(r, 'documentType') === 'credit_note' || (r.total?.startsWith('-') ?? false) ? `a credit note (enter it as a ${system} credit)`
        : !r.vendor.name ? 'the record has no vendor name'
          : !r.invoiceDate ? 'the record has no invoice date'
            : !dec2(r.total) || cmp(r.total, '0') === 0 ? 'the record has no total' : null;
    if (why || !r) { options.report(item, `not exported to ${system}: ${why}`); continue; }
    out.push({ item, record: r, lines: billLines(r) });
  }
  return out;
}

/** Address lines of the vendor, as the extractor joins them (" | " or line breaks), at most four. */
function addressLines(address: string | null): string[] {
  const parts = (address ?? '').split(/\s*\|\s*|\r?\n/).map((s) => s.trim()).filter(Boolean);
  return [...parts.slice(0, 3), parts.slice(3).join(', ')].map((s) => s ?? '');
}

/** Xero's bill import template (Business > Bills to pay > Import), its column names as they are. */
export const XERO_COLUMNS = [
  '*ContactName', 'EmailAddress', 'POAddressLine1', 'POAddressLine2', 'POAddressLine3', 'POAddressLine4', 'POCity', 'PORegion',
  'POPostalCode', 'POCountry', '*InvoiceNumber', '*InvoiceDate', '*DueDate', 'Total', 'InventoryItemCode', '*Description',
  '*Quantity', '*UnitAmount', '*AccountCode', '*TaxType', 'TaxAmount', 'TrackingName1', 'TrackingOption1', 'TrackingName2',
  'TrackingOption2', 'Currency',
] as const;

export const xeroFormat: BatchFormat = {
  kind: 'batch',
  name: 'xero',
  summary: "Xero bills import CSV (its bill template's columns), one row per bill line; account and tax type from config export.xero",
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  write(items, options) {
    const s = options.settings.xero;
    let out = csvLine(XERO_COLUMNS);
    for (const { item, record: r, lines } of bills(items, options, 'Xero')) {
      if (!r.dueDate) options.report(item, 'no due date: Xero needs one, the *DueDate cell is empty');
      const [a1, a2, a3, a4] = addressLines(r.vendor.address);
      for (const l of lines) {
        out += csvLine([
          r.vendor.name, null, a1, a2, a3, a4, null, null, null, null, r.invoiceNumber, formatDate(r.invoiceDate, s.dateFormat),
          formatDate(r.dueDate, s.dateFormat), r.total, null, l.description, l.quantity, l.unitAmount, s.accountCode, s.taxType || null,
          l.tax, null, null, null, null, r.currency,
        ]);
      }
    }
    return out;
  },
};

/** The fields QuickBooks Online's bill import maps (Settings > Import data > Bills), named as in its sample file. */
export const QUICKBOOKS_COLUMNS = [
  'Bill No', 'Vendor', 'Bill Date', 'Due Date', 'Terms', 'Memo', 'Account', 'Line Description', 'Line Amount',
  'Line Tax Code', 'Line Tax Amount', 'Currency',
] as const;

export const quickbooksFormat: BatchFormat = {
  kind: 'batch',
  name: 'quickbooks',
  summary: 'QuickBooks Online bills import CSV, one row per bill line; account and tax code from config export.quickbooks',
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  write(items, options) {
    const s = options.settings.quickbooks;
    let out = csvLine(QUICKBOOKS_COLUMNS);
    for (const { item, record: r, lines } of bills(items, options, 'QuickBooks')) {
      for (const l of lines) {
        out += csvLine([
          r.invoiceNumber, r.vendor.name, formatDate(r.invoiceDate, s.dateFormat), formatDate(r.dueDate, s.dateFormat),
          valueAt(r, 'paymentTerms.text'), item.documentId ? `Ledgerlens document ${item.documentId}` : null, s.account,
          l.quantity === '1' ? l.description : `${l.description} (${l.quantity} x ${l.unitAmount})`, l.amount, s.taxCode || null, l.tax, r.currency,
        ]);
      }
    }
    return out;
  },
};
