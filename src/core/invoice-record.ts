import { z } from 'zod';
import { BBoxSchema, DocumentSourceSchema } from './document-text.js';

/**
 * The public output, version 2. Values are flat and comparable (ISO dates, ISO 4217 codes, decimal
 * strings); per-field confidence and provenance live beside them in `fields`, keyed by field path.
 * A field that is not found is null (or an empty list), never a guess presented as fact.
 *
 * Sign convention: amounts are the values as the document states them, and positive on a credit
 * note; `documentType` says how to book the document (the UBL/CII convention). A minus sign printed
 * on a credit note is not a second signal: such amounts are reported positive. An invoice whose
 * amounts are negative (an invoice correction stated with negative values) keeps them negative.
 *
 * Arithmetic (checked by `arithmeticWarnings` in record-checks.ts, EN 16931 terms):
 *   sum(lineItems.amount) - discount + shipping = subtotal   (BT-106 - BT-107 + BT-108 = BT-109)
 *   subtotal + tax = total                                  (BT-109 + BT-110 = BT-112)
 *   sum(taxBreakdown.base) = subtotal, sum(taxBreakdown.amount) = tax
 *   total - prepaid = amountDue                             (BT-112 - BT-113 = BT-115)
 * `subtotal` is the taxable net (after document discounts and charges), as in version 1.
 */

export const RECORD_SCHEMA_VERSION = 2 as const;

/** The fields the extractor's scorer is measured on (version 1's set; never renamed, never shrunk). */
export const CORE_FIELDS = [
  'vendor.name', 'vendor.address', 'vendor.taxId', 'customer.name', 'customer.address',
  'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total',
] as const;
export type CoreField = (typeof CORE_FIELDS)[number];

/** Scalar fields added in version 2. */
export const V2_FIELDS = [
  'documentType', 'customer.taxId', 'purchaseOrder',
  'paymentTerms.text', 'paymentTerms.netDays',
  'payment.iban', 'payment.bic', 'payment.accountHolder', 'payment.reference',
  'discount', 'shipping', 'prepaid', 'amountDue',
] as const;
export type V2Field = (typeof V2_FIELDS)[number];

/** Every scalar field of the record, in export order (CSV columns derive from this list). */
export const RECORD_FIELDS = [...CORE_FIELDS, ...V2_FIELDS] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

/** Money fields among RECORD_FIELDS (decimal strings). */
export const MONEY_FIELDS = ['subtotal', 'tax', 'total', 'discount', 'shipping', 'prepaid', 'amountDue'] as const;

/** Columns of a line item; `fields` keys them as `lineItems.<index>.<column>`. */
export const LINE_ITEM_COLUMNS = ['description', 'quantity', 'unit', 'unitPrice', 'amount', 'taxRate', 'productCode'] as const;
export type LineItemColumn = (typeof LINE_ITEM_COLUMNS)[number];

/** Columns of a tax breakdown row; `fields` keys them as `taxBreakdown.<index>.<column>`. */
export const TAX_BREAKDOWN_COLUMNS = ['rate', 'base', 'amount', 'category'] as const;
export type TaxBreakdownColumn = (typeof TAX_BREAKDOWN_COLUMNS)[number];

/**
 * What the document is, for booking: invoice (incl. corrected, self-billed, prepayment and partial
 * invoices), credit_note, debit_note, receipt (till receipt, simplified invoice), proforma.
 */
export const DOCUMENT_TYPES = ['invoice', 'credit_note', 'debit_note', 'receipt', 'proforma'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const nullableString = z.string().nullable();
/** Decimal string such as "1234.50" or "-12.00": never a binary float. */
export const DecimalSchema = z.string().regex(/^-?\d+(\.\d+)?$/);
const nullableDecimal = DecimalSchema.nullable();
const nullableIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable();
/** A percentage as a decimal string without trailing zeros: "19", "5.5", "0". */
export const PercentSchema = z.string().regex(/^-?\d+(\.\d*[1-9])?$/);

export const ProvenanceSchema = z.object({
  page: z.number().int().positive(),
  bbox: BBoxSchema.nullable(),
  text: z.string(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const FieldInfoSchema = z.object({
  confidence: z.number().min(0).max(1),
  /** True when confidence is below the review threshold (or an arithmetic check involving it failed). */
  review: z.boolean(),
  /** How the value was found; `review`: a reviewer set it (review page, corrections API). */
  method: z.enum(['embedded-xml', 'model', 'rule', 'derived', 'review']),
  provenance: ProvenanceSchema.nullable(),
});
export type FieldInfo = z.infer<typeof FieldInfoSchema>;

export const LineItemSchema = z.object({
  /** The item's text without the row number. */
  description: nullableString,
  quantity: nullableDecimal,
  /** The unit as the document states it: a UN/ECE Rec 20 code in e-invoice XML ("C62", "HUR"), the printed unit on a page ("Stk", "h"). */
  unit: nullableString.default(null),
  unitPrice: nullableDecimal,
  amount: nullableDecimal,
  /** VAT / tax rate in percent. */
  taxRate: PercentSchema.nullable().default(null),
  /** The seller's article number, else a global (GTIN) or the buyer's id. */
  productCode: nullableString.default(null),
});
export type LineItem = z.infer<typeof LineItemSchema>;

export const TaxBreakdownSchema = z.object({
  /** Rate in percent. */
  rate: PercentSchema.nullable(),
  /** Taxable amount at this rate. */
  base: nullableDecimal,
  /** Tax at this rate. */
  amount: nullableDecimal,
  /** UNCL5305 category code (S standard, Z zero, E exempt, AE reverse charge, K intra-EU, G export, O outside scope, L, M). */
  category: nullableString,
});
export type TaxBreakdown = z.infer<typeof TaxBreakdownSchema>;

export const EarlyPaymentDiscountSchema = z.object({
  /** Discount in percent when paid within `days` (Skonto, escompte). */
  percent: PercentSchema,
  days: z.number().int().nonnegative().nullable(),
  /** The discount amount when the document states it. */
  amount: nullableDecimal,
});
export type EarlyPaymentDiscount = z.infer<typeof EarlyPaymentDiscountSchema>;

export const PaymentTermsSchema = z.object({
  /** The terms as stated ("Zahlbar innerhalb 30 Tagen netto, 2% Skonto bei Zahlung innerhalb 10 Tagen"). */
  text: nullableString,
  /** Days net, where stated. */
  netDays: z.number().int().nonnegative().nullable(),
  discounts: z.array(EarlyPaymentDiscountSchema),
});
export type PaymentTerms = z.infer<typeof PaymentTermsSchema>;

export const PaymentSchema = z.object({
  /** The payee's IBAN, electronic format; only ever a checksum-valid IBAN. */
  iban: nullableString,
  /** The payee bank's BIC (8 or 11 characters), only a well-formed one. */
  bic: nullableString,
  accountHolder: nullableString,
  /** Remittance information to quote when paying (BT-83). */
  reference: nullableString,
});
export type Payment = z.infer<typeof PaymentSchema>;

export const WarningSchema = z.object({ code: z.string(), message: z.string() });
export type RecordWarning = z.infer<typeof WarningSchema>;

const emptyTerms = (): PaymentTerms => ({ text: null, netDays: null, discounts: [] });
const emptyPayment = (): Payment => ({ iban: null, bic: null, accountHolder: null, reference: null });

/**
 * Version 2. The fields added in version 2 have defaults, so a stored version-1 record parses into
 * a valid version-2 record whose new fields are empty (its producer did not look for them).
 */
export const InvoiceRecordSchema = z.object({
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION).default(RECORD_SCHEMA_VERSION),
  /** Null only in records upgraded from version 1; both extraction paths always decide it. */
  documentType: z.enum(DOCUMENT_TYPES).nullable().default(null),
  vendor: z.object({ name: nullableString, address: nullableString, taxId: nullableString }),
  customer: z.object({ name: nullableString, address: nullableString, taxId: nullableString.default(null) }),
  invoiceNumber: nullableString,
  invoiceDate: nullableIsoDate,
  dueDate: nullableIsoDate,
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  /** The buyer's order reference (BT-13). */
  purchaseOrder: nullableString.default(null),
  paymentTerms: PaymentTermsSchema.default(emptyTerms),
  payment: PaymentSchema.default(emptyPayment),
  subtotal: nullableDecimal,
  tax: nullableDecimal,
  total: nullableDecimal,
  /** Document-level allowances (BT-107), positive. */
  discount: nullableDecimal.default(null),
  /** Document-level charges: shipping, freight, packing (BT-108). */
  shipping: nullableDecimal.default(null),
  /** Amount already paid (BT-113). */
  prepaid: nullableDecimal.default(null),
  /** Amount due for payment (BT-115). */
  amountDue: nullableDecimal.default(null),
  taxBreakdown: z.array(TaxBreakdownSchema).default([]),
  lineItems: z.array(LineItemSchema),
  fields: z.record(z.string(), FieldInfoSchema),
  warnings: z.array(WarningSchema),
  source: DocumentSourceSchema,
  /** What produced the record: a model bundle (name@version) or the embedded e-invoice XML. */
  model: z.object({ name: z.string(), version: z.string() }),
});
export type InvoiceRecord = z.infer<typeof InvoiceRecordSchema>;

export function emptyRecord(source: InvoiceRecord['source'], model: InvoiceRecord['model']): InvoiceRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    documentType: null,
    vendor: { name: null, address: null, taxId: null },
    customer: { name: null, address: null, taxId: null },
    invoiceNumber: null, invoiceDate: null, dueDate: null, currency: null,
    purchaseOrder: null, paymentTerms: emptyTerms(), payment: emptyPayment(),
    subtotal: null, tax: null, total: null,
    discount: null, shipping: null, prepaid: null, amountDue: null,
    taxBreakdown: [], lineItems: [], fields: {}, warnings: [], source, model,
  };
}

export function emptyLineItem(): LineItem {
  return { description: null, quantity: null, unit: null, unitPrice: null, amount: null, taxRate: null, productCode: null };
}

/** Reads a scalar field's value by path, as a string (netDays as its decimal digits); null when absent. */
export function getField(record: Record<string, unknown>, path: RecordField): string | null {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const v = tail ? (record[head] as Record<string, unknown> | undefined)?.[tail] : record[head];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' ? v : null;
}
