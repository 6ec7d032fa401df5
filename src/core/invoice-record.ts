import { z } from 'zod';
import { BBoxSchema, DocumentSourceSchema } from './document-text.js';

/**
 * The public output. Values are flat and comparable (ISO dates, ISO 4217 codes, decimal strings);
 * per-field confidence and provenance live beside them in `fields`, keyed by field path.
 * A field that is not found is null, never a guess presented as fact.
 */

/** Canonical field paths: the one place their names are spelled. */
export const CORE_FIELDS = [
  'vendor.name', 'vendor.address', 'vendor.taxId', 'customer.name', 'customer.address',
  'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total',
] as const;
export type CoreField = (typeof CORE_FIELDS)[number];

const nullableString = z.string().nullable();
/** Decimal string such as "1234.50" or "-12.00": never a binary float. */
export const DecimalSchema = z.string().regex(/^-?\d+(\.\d+)?$/);
const nullableDecimal = DecimalSchema.nullable();
const nullableIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable();

export const ProvenanceSchema = z.object({
  page: z.number().int().positive(),
  bbox: BBoxSchema.nullable(),
  text: z.string(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const FieldInfoSchema = z.object({
  confidence: z.number().min(0).max(1),
  /** True when confidence is below the review threshold. */
  review: z.boolean(),
  /** How the value was found. */
  method: z.enum(['embedded-xml', 'model', 'rule', 'derived']),
  provenance: ProvenanceSchema.nullable(),
});
export type FieldInfo = z.infer<typeof FieldInfoSchema>;

export const LineItemSchema = z.object({
  description: nullableString,
  quantity: nullableDecimal,
  unitPrice: nullableDecimal,
  amount: nullableDecimal,
});
export type LineItem = z.infer<typeof LineItemSchema>;

export const WarningSchema = z.object({ code: z.string(), message: z.string() });
export type RecordWarning = z.infer<typeof WarningSchema>;

export const InvoiceRecordSchema = z.object({
  vendor: z.object({ name: nullableString, address: nullableString, taxId: nullableString }),
  customer: z.object({ name: nullableString, address: nullableString }),
  invoiceNumber: nullableString,
  invoiceDate: nullableIsoDate,
  dueDate: nullableIsoDate,
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  subtotal: nullableDecimal,
  tax: nullableDecimal,
  total: nullableDecimal,
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
    vendor: { name: null, address: null, taxId: null },
    customer: { name: null, address: null },
    invoiceNumber: null, invoiceDate: null, dueDate: null, currency: null,
    subtotal: null, tax: null, total: null,
    lineItems: [], fields: {}, warnings: [], source, model,
  };
}

/** Reads a core field's value by path. */
export function getField(record: Pick<InvoiceRecord, 'vendor' | 'customer'> & Record<string, unknown>, path: CoreField): string | null {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const v = tail ? (record[head] as Record<string, unknown> | undefined)?.[tail] : record[head];
  return typeof v === 'string' ? v : null;
}
