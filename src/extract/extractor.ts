import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import { emptyRecord, InvoiceRecordSchema, type CoreField, type InvoiceRecord, type RecordWarning } from '../core/invoice-record.js';
import { findTotals, totalsMismatch } from './amounts.js';
import { approxEqual } from './decimal.js';
import { findInvoiceDates } from './dates.js';
import { fieldInfo, type Candidate } from './evidence.js';
import { detectCountry, detectLanguage, findCurrency, findInvoiceNumber, findTaxIds } from './identifiers.js';
import { buildLayout } from './layout.js';
import { findLineItems, sumItems } from './line-items.js';
import { detectDecimalMark } from './normalize-money.js';
import { inferDateOrder } from './normalize-date.js';
import { findParties } from './parties.js';
import { completeRecord } from './record/complete-record.js';

export interface ExtractOptions {
  config: Pick<Config, 'extract'>;
  model: { name: string; version: string };
}

/** Entity labels that support each field when a span overlaps its value. */
const FIELD_LABELS: Record<CoreField, string[]> = {
  'vendor.name': ['ORG', 'PERSON'], 'vendor.address': ['ADDRESS'], 'vendor.taxId': ['TAX_ID'],
  'customer.name': ['ORG', 'PERSON'], 'customer.address': ['ADDRESS'], invoiceNumber: ['INVOICE_NO'],
  invoiceDate: ['DATE'], dueDate: ['DATE'], currency: [], subtotal: ['MONEY'], tax: ['MONEY'], total: ['MONEY'],
};

/**
 * Words + layout + entity spans -> InvoiceRecord. Rules find candidates by labels (six languages),
 * layout and arithmetic, so extraction works with no spans at all; spans add evidence to the
 * candidates they overlap and supply values no rule found. Fields not found stay null.
 */
export function extractInvoice(text: DocumentText, spans: EntitySpan[], options: ExtractOptions): InvoiceRecord {
  const threshold = options.config.extract.reviewThreshold;
  const record = emptyRecord(text.source, options.model);
  const warnings: RecordWarning[] = [];
  const layout = buildLayout(text);
  const set = (field: CoreField, c: Candidate | null, value?: string) => {
    if (!c) return;
    const v = value ?? c.value;
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail) (record as unknown as Record<string, Record<string, string>>)[head]![tail] = v;
    else (record as unknown as Record<string, string>)[head] = v;
    record.fields[field] = fieldInfo(c, spans, FIELD_LABELS[field], threshold);
  };

  const mark = detectDecimalMark(text.text);
  const lang = detectLanguage(text.text);
  const taxIds = findTaxIds(layout);
  const parties = findParties(layout, spans);
  set('vendor.name', parties.vendorName);
  set('vendor.address', parties.vendorAddress);
  set('customer.name', parties.customerName);
  set('customer.address', parties.customerAddress);
  // the vendor's tax id: the first one outside the recipient's lines (letterhead or footer)
  // a VAT-format id beats a labelled local tax number ("Steuernummer 201/113/40209")
  const vendorTax = taxIds
    .filter((t) => !parties.customerAddress || t.start < parties.customerAddress.start || t.start > parties.customerAddress.end)
    .sort((a, b) => b.score - a.score)[0] ?? null;
  set('vendor.taxId', vendorTax);
  const country = detectCountry(text.text, vendorTax?.country ?? null);

  set('invoiceNumber', findInvoiceNumber(layout, spans));

  const order = inferDateOrder(text.text, { country, lang });
  const dates = findInvoiceDates(layout, order, spans);
  set('invoiceDate', dates.invoiceDate);
  set('dueDate', dates.dueDate);
  if (dates.ambiguous) warnings.push({ code: 'AMBIGUOUS_DATE_ORDER', message: `day/month order assumed ${order} from the document's locale` });
  if (record.invoiceDate && record.dueDate && record.dueDate < record.invoiceDate) {
    warnings.push({ code: 'DUE_BEFORE_INVOICE_DATE', message: `due date ${record.dueDate} precedes invoice date ${record.invoiceDate}` });
  }

  const { items } = findLineItems(layout, mark);
  record.lineItems = items;
  const itemSum = sumItems(items);
  const totals = findTotals(layout, mark, spans, itemSum);
  set('subtotal', totals.subtotal);
  set('tax', totals.tax);
  set('total', totals.total);
  const diff = totalsMismatch(record.subtotal, record.tax, record.total);
  if (diff) warnings.push({ code: 'TOTALS_MISMATCH', message: `subtotal ${record.subtotal} + tax ${record.tax} differs from total ${record.total} by ${diff}` });
  if (record.subtotal && itemSum && items.length > 1 && !approxEqual(itemSum, record.subtotal, '0.02')) {
    warnings.push({ code: 'LINE_ITEMS_MISMATCH', message: `line items add up to ${itemSum}, subtotal is ${record.subtotal}` });
  }

  const currency = findCurrency(layout, totals.currencies, country, lang);
  if (currency.code) {
    const anchor = totals.total ?? totals.subtotal;
    set('currency', { value: currency.code, score: currency.score, method: currency.assumed ? 'derived' : 'rule', provenance: anchor?.provenance ?? null, start: anchor?.start ?? 0, end: anchor?.end ?? 0 });
    if (currency.assumed) warnings.push({ code: 'CURRENCY_ASSUMED', message: `no currency printed; ${currency.code} assumed from the vendor's country or language` });
  }
  record.warnings = warnings;
  // version-2 fields (document type, sign convention, payment data, line items...): src/extract/record
  return InvoiceRecordSchema.parse(completeRecord(text, record, { reviewThreshold: threshold }));
}
