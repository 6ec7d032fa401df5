import type { DocumentText } from '../../core/document-text.js';
import type { FieldInfo, InvoiceRecord, Provenance } from '../../core/invoice-record.js';
import { applySignConvention, arithmeticWarnings } from '../../core/record-checks.js';
import { checkTaxId } from '../../core/record-ids.js';
import { negateDecimal, isNegativeDecimal, sumDecimals } from '../../core/record-checks.js';
import { readLineItems, type ItemRow } from '../line-items.js';
import { detectDecimalMark } from '../normalize-money.js';
import { findDocumentAmounts } from './document-amounts.js';
import { findDocumentType } from './document-type.js';
import { findCustomerTaxId, findPurchaseOrder } from './order-and-ids.js';
import { pageLines, provenance, type PageLines } from './page-lines.js';
import { parsePaymentTerms } from './payment-terms.js';
import { findPayment, type Found } from './payment-finder.js';
import { findTaxBreakdown } from './tax-breakdown.js';
import { findPaymentTerms } from './terms-finder.js';

/**
 * The text path's version-2 fields, added to the record the core extractor built: the one call
 * src/extract/extractor.ts makes. Finds the document type, the buyer's order reference and tax id,
 * the payee's account and the payment reference, the payment terms, the tax breakdown and the
 * document-level discount, charges, prepaid amount and amount due (each finder in its own module,
 * each field with confidence, review flag and provenance); applies the sign convention (a credit
 * note's amounts are positive, however the page prints them); adds the arithmetic checks of the
 * version-2 relations, flagging every field of a failed one for review. Pure: returns a new record.
 */

export interface CompleteRecordOptions {
  /** Fields below this confidence are flagged for review (config extract.reviewThreshold). */
  reviewThreshold: number;
}

/** Checks the core extractor already reports itself (it computes them before this call). */
const CORE_CHECKS = new Set(['TOTALS_MISMATCH']);

export function info(confidence: number, method: FieldInfo['method'], provenance: Provenance | null, threshold: number): FieldInfo {
  const c = Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000;
  return { confidence: c, review: c < threshold, method, provenance };
}

export function completeRecord(text: DocumentText, record: InvoiceRecord, options: CompleteRecordOptions): InvoiceRecord {
  const view = pageLines(text);
  const threshold = options.reviewThreshold;
  const type = findDocumentType(view, record.invoiceNumber);
  const out: InvoiceRecord = {
    ...record,
    customer: { ...record.customer }, payment: { ...record.payment }, paymentTerms: { ...record.paymentTerms },
    documentType: type.value,
    fields: { ...record.fields, documentType: info(type.confidence, type.method, type.provenance, threshold) },
    // the core extractor's items check ignores discount and charges: the version-2 check replaces it
    warnings: record.warnings.filter((w) => w.code !== 'LINE_ITEMS_MISMATCH'),
  };
  addFinders(view, out, text, threshold);
  const signed = applySignConvention(out);
  const checks = arithmeticWarnings(signed, { tolerance: '0.02' }).filter((w) => !CORE_CHECKS.has(w.code));
  const fields = { ...signed.fields };
  // a field in a failed relation is flagged for review, whatever its confidence
  for (const w of checks) for (const f of w.fields) if (fields[f]) fields[f] = { ...fields[f]!, review: true };
  return { ...signed, fields, warnings: [...signed.warnings, ...checks.map(({ code, message }) => ({ code, message }))] };
}

/** Sets every version-2 header field a finder found (mutates `out`, a fresh copy). */
function addFinders(view: PageLines, out: InvoiceRecord, text: DocumentText, threshold: number): void {
  const mark = detectDecimalMark(text.text);
  const set = (path: string, found: Found | null, assign: (v: string) => void, method: FieldInfo['method'] = 'rule') => {
    if (!found) return;
    assign(found.value);
    out.fields[path] = info(found.confidence, method, found.start >= 0 ? provenance(view, found.start, found.end) : null, threshold);
  };
  set('purchaseOrder', findPurchaseOrder(view, out), (v) => { out.purchaseOrder = v; });
  const customerTaxId = findCustomerTaxId(view, out);
  set('customer.taxId', customerTaxId, (v) => { out.customer.taxId = v; });
  // a tax id of a scheme with check digits (EU VAT, GSTIN) whose check fails is kept as stated, reported and
  // flagged for review, for the seller (the core extractor's field) as for the buyer (as on the fast path)
  flagInvalidTaxId(out, 'vendor.taxId', out.vendor.taxId, 'seller');
  flagInvalidTaxId(out, 'customer.taxId', out.customer.taxId, 'buyer');
  const pay = findPayment(view);
  set('payment.iban', pay.iban, (v) => { out.payment.iban = v; });
  set('payment.bic', pay.bic, (v) => { out.payment.bic = v; });
  set('payment.accountHolder', pay.accountHolder, (v) => { out.payment.accountHolder = v; });
  set('payment.reference', pay.reference, (v) => { out.payment.reference = v; });

  if (out.paymentTerms.text === null) {
    const terms = findPaymentTerms(view);
    if (terms) {
      out.paymentTerms = terms.terms;
      const prov = provenance(view, terms.start, terms.end);
      out.fields['paymentTerms.text'] = info(terms.confidence, 'rule', prov, threshold);
      if (terms.terms.netDays !== null) out.fields['paymentTerms.netDays'] = info(terms.confidence * 0.95, 'derived', prov, threshold);
      if (terms.terms.discounts.length > 0) out.fields['paymentTerms.discounts'] = info(terms.confidence * 0.95, 'derived', prov, threshold);
    }
  } else if (out.paymentTerms.netDays === null && out.paymentTerms.discounts.length === 0) {
    // the extractor found the sentence: its days and discounts are parsed here
    const parsed = parsePaymentTerms(out.paymentTerms.text);
    out.paymentTerms = { ...out.paymentTerms, ...parsed };
    const base = out.fields['paymentTerms.text'];
    if (parsed.netDays !== null) out.fields['paymentTerms.netDays'] = info((base?.confidence ?? 0.8) * 0.95, 'derived', base?.provenance ?? null, threshold);
  }

  // the items first: a tax line that prints only the tax takes its base from the items at its rate
  const rows = readLineItems(view.lines, mark);
  setLineItems(view, out, rows, threshold);
  const breakdown = findTaxBreakdown(view, out, mark);
  if (breakdown.rows.length > 0) {
    out.taxBreakdown = breakdown.rows;
    breakdown.rows.forEach((row, i) => {
      const line = view.lines[breakdown.lines[i]!]!;
      const prov = provenance(view, line.start, line.end);
      for (const c of ['rate', 'base', 'amount', 'category'] as const) {
        if (row[c] !== null) out.fields[`taxBreakdown.${i}.${c}`] = info(breakdown.confidence, c === 'category' ? 'derived' : 'rule', prov, threshold);
      }
    });
    out.fields['taxBreakdown'] = info(breakdown.confidence, 'rule', null, threshold);
  }

  const amounts = findDocumentAmounts(view, out, mark, Math.max(-1, ...rows.flatMap((r) => r.lines)));
  set('discount', amounts.discount, (v) => { out.discount = v; });
  set('shipping', amounts.shipping, (v) => { out.shipping = v; });
  set('prepaid', amounts.prepaid, (v) => { out.prepaid = v; });
  set('amountDue', amounts.amountDue, (v) => { out.amountDue = v; }, amounts.amountDueDerived ? 'derived' : 'rule');
}

/** An INVALID_TAX_ID warning and a review flag when `value` is of a checked scheme and fails its check digits (mutates `out`). */
function flagInvalidTaxId(out: InvoiceRecord, path: 'vendor.taxId' | 'customer.taxId', value: string | null, party: string): void {
  if (!value) return;
  const check = checkTaxId(value);
  if (check.status !== 'invalid') return;
  // a VAT id's country prefix is printed in capitals: "No. W10-8140-33943493" (a label's "No." read into a Malaysian
  // SST number) is no Norwegian VAT id, and the scheme of what follows has no check digits
  if (check.scheme === 'eu-vat' && !/^[A-Z]{2,3}(?![a-z])/.test(value.trim())) return;
  out.warnings.push({ code: 'INVALID_TAX_ID', message: `${party} tax id ${value} fails the ${check.scheme === 'gstin' ? 'GSTIN' : 'VAT id'} check digits` });
  const f = out.fields[path];
  if (f) out.fields[path] = { ...f, review: true };
}

/** How sure a row's numbers are, by how they were established. */
const ROW_CONFIDENCE: Record<ItemRow['fit'], number> = { product: 0.95, discounted: 0.9, columns: 0.75, 'amount-only': 0.7 };

/**
 * The table's items with a confidence and provenance per column (`lineItems.<i>.<column>`). A
 * credit note whose items the page prints negative gets them positive (the record's convention:
 * the core amounts were taken as absolute values already).
 */
function setLineItems(view: PageLines, out: InvoiceRecord, rows: ItemRow[], threshold: number): void {
  const amounts = rows.map((r) => r.item.amount).filter((a): a is string => a !== null);
  const negative = out.documentType === 'credit_note' && amounts.length > 0 && isNegativeDecimal(sumDecimals(amounts));
  const neg = (v: string | null) => (v === null ? null : negateDecimal(v));
  out.lineItems = rows.map(({ item }) => (negative
    ? { ...item, amount: neg(item.amount), ...(isNegativeDecimal(item.quantity) ? { quantity: neg(item.quantity) } : { unitPrice: neg(item.unitPrice) }) }
    : item));
  for (const k of Object.keys(out.fields)) if (k.startsWith('lineItems')) delete out.fields[k];
  rows.forEach((row, i) => {
    const c = ROW_CONFIDENCE[row.fit];
    for (const [column, span] of Object.entries(row.spans)) {
      const derived = row.fit === 'amount-only' && (column === 'quantity' || column === 'unitPrice');
      out.fields[`lineItems.${i}.${column}`] = info(derived ? c * 0.9 : c, derived ? 'derived' : 'rule', provenance(view, span[0], span[1]), threshold);
    }
    if (row.fit === 'amount-only' && row.item.quantity !== null && !row.spans.quantity) {
      out.fields[`lineItems.${i}.quantity`] = info(c * 0.9, 'derived', null, threshold);
      out.fields[`lineItems.${i}.unitPrice`] = info(c * 0.9, 'derived', null, threshold);
    }
  });
  if (rows.length > 0) {
    const mean = rows.reduce((a, r) => a + ROW_CONFIDENCE[r.fit], 0) / rows.length;
    out.fields['lineItems'] = info(mean, 'rule', null, threshold);
  }
}
