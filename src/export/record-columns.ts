import type { z } from 'zod';
import { DecimalSchema, InvoiceRecordSchema, LineItemSchema } from '../core/invoice-record.js';

/**
 * Table columns derived from the record schema (src/core/invoice-record.ts is the one list of
 * fields): every scalar leaf, nested objects flattened to dotted paths (`vendor.name`), in schema
 * order. A field added to the schema becomes a column with no change here. Arrays (line items,
 * breakdowns) and per-field metadata are not columns: line items get their own table.
 */
export interface Column {
  /** Dotted path into the record, also the column header. */
  path: string;
  /** A decimal string column (amounts, quantities, rates): written with a decimal comma on request. */
  decimal: boolean;
}

/** Keys that describe a value rather than hold one (confidence, provenance, the source file). */
const METADATA_KEYS = new Set(['fields', 'warnings', 'source', 'model', 'provenance', 'bbox', 'confidence', 'review']);

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;
const WRAPPERS = new Set(['nullable', 'optional', 'default', 'prefault', 'readonly', 'catch']);
const LEAVES = new Set(['string', 'number', 'int', 'boolean', 'enum', 'literal', 'bigint', 'date']);

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let def = defOf(s); ; def = defOf(s)) {
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** Regex sources a string schema checks (zod keeps them in its bag), to recognise DecimalSchema's copies. */
function patternsOf(schema: z.ZodType): string {
  const bag = (schema as unknown as { _zod?: { bag?: { patterns?: Set<RegExp> } } })._zod?.bag;
  return [...(bag?.patterns ?? [])].map((r) => r.source).sort().join('\n');
}
const DECIMAL_PATTERNS = patternsOf(DecimalSchema);

function isDecimalSchema(schema: z.ZodType): boolean {
  if (schema === DecimalSchema) return true;
  return defOf(schema).type === 'string' && DECIMAL_PATTERNS !== '' && patternsOf(schema) === DECIMAL_PATTERNS;
}

export function columnsOf(schema: z.ZodType, prefix = ''): Column[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type !== 'object' || !def.shape) return [];
  const out: Column[] = [];
  for (const [key, child] of Object.entries(def.shape)) {
    if (METADATA_KEYS.has(key)) continue;
    const inner = unwrap(child);
    const type = defOf(inner).type;
    const path = `${prefix}${key}`;
    if (type === 'object') out.push(...columnsOf(inner, `${path}.`));
    else if (LEAVES.has(type)) out.push({ path, decimal: isDecimalSchema(inner) });
  }
  return out;
}

/** The record's columns, e.g. vendor.name ... total. */
export const RECORD_COLUMNS: readonly Column[] = columnsOf(InvoiceRecordSchema);
/** One line item's columns, e.g. description, quantity, unitPrice, amount. */
export const LINE_ITEM_COLUMNS: readonly Column[] = columnsOf(LineItemSchema);

/** The value at a dotted path as a cell: strings as they are, numbers and booleans as text, else null. */
export function valueAt(obj: unknown, path: string): string | null {
  let v: unknown = obj;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}
