import type { InvoiceRecord, RecordWarning } from '../core/invoice-record.js';

/** The record values a syntax mapping (CII, UBL) reads: everything but fields info, source and model. */
export type DraftValues = Omit<InvoiceRecord, 'schemaVersion' | 'fields' | 'warnings' | 'source' | 'model'>;

/** What a syntax mapping (CII, UBL) reads from the XML: record values before fields and source. */
export interface InvoiceDraft extends DraftValues {
  /** The profile or guideline id (CII GuidelineSpecifiedDocumentContextParameter, UBL CustomizationID). */
  version: string;
  warnings: RecordWarning[];
  /** Field paths whose value was parsed out of an XML text (payment terms' days and discounts), not read from an element of its own. */
  derived: Set<string>;
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

/** The first non-null of the values, for elements with alternatives. */
export function firstOf<T>(...values: (T | null | undefined)[]): T | null {
  for (const v of values) if (v !== null && v !== undefined) return v;
  return null;
}
