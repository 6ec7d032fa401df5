import type { InvoiceRecord, LineItem, RecordWarning } from '../core/invoice-record.js';

/** What a syntax mapping (CII, UBL) reads from the XML: record values before fields and source. */
export interface InvoiceDraft {
  /** The profile or guideline id (CII GuidelineSpecifiedDocumentContextParameter, UBL CustomizationID). */
  version: string;
  vendor: InvoiceRecord['vendor'];
  customer: InvoiceRecord['customer'];
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: string | null;
  tax: string | null;
  total: string | null;
  lineItems: LineItem[];
  warnings: RecordWarning[];
}

/**
 * The document-level tax total in the invoice currency. CII may state TaxTotalAmount twice
 * (BT-110 in the invoice currency, BT-111 in the VAT accounting currency), each with currencyID;
 * the one in the invoice currency, or else the one without currencyID, is the tax. A single
 * amount is taken as it is.
 */
export function pickTaxTotal(amounts: { value: string; currency: string | null }[], invoiceCurrency: string | null): string | null {
  if (amounts.length === 0) return null;
  if (amounts.length === 1) return amounts[0]!.value;
  const same = amounts.find((a) => invoiceCurrency !== null && a.currency === invoiceCurrency);
  const plain = amounts.find((a) => a.currency === null);
  return (same ?? plain ?? amounts[0]!).value;
}
