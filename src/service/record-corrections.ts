import { z } from 'zod';
import type { BBox, DocumentText } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import {
  DOCUMENT_TYPES, InvoiceRecordSchema, LINE_ITEM_COLUMNS, MONEY_FIELDS, RECORD_FIELDS, TAX_BREAKDOWN_COLUMNS,
  type FieldInfo, type InvoiceRecord, type Provenance,
} from '../core/invoice-record.js';
import { arithmeticWarnings } from '../core/record-checks.js';
import { validBic, validIban } from '../core/record-ids.js';
import { inferDateOrder, parseDate } from '../extract/normalize-date.js';
import { CURRENCY_CODES, detectCurrency, detectDecimalMark, parseMoney } from '../extract/normalize-money.js';

/**
 * Corrections of a record by a reviewer: a pure function of the record, the document's text and
 * the requested changes. Values are normalised as the extractor normalises them (decimals,
 * ISO dates, ISO 4217 codes, IBAN/BIC checks), so "1.234,50 €" and "1234.50" are the same correction.
 */

/** A word of the document text: page number (1-based) and index in that page's `words`. */
export const WordRefSchema = z.object({ page: z.number().int().positive(), index: z.number().int().nonnegative() });
export type WordRef = z.infer<typeof WordRefSchema>;

/** One field's new value: a string (null clears it), optionally with the words that hold it. */
export const FieldChangeSchema = z.union([
  z.string().max(2000).nullable(),
  z.object({ value: z.string().max(2000).nullable(), words: z.array(WordRefSchema).max(200).optional() }),
]);

export const CorrectionInputSchema = z.object({
  /** Field path (`total`, `vendor.name`, `lineItems.0.amount`) -> new value. */
  fields: z.record(z.string().max(100), FieldChangeSchema).default({}),
  /** True: the reviewer confirms the whole record (every field leaves review). */
  reviewed: z.boolean().default(false),
  /** The version the reviewer saw; a newer stored version makes the correction a conflict (409). */
  baseVersion: z.number().int().positive().optional(),
});
export type CorrectionInput = z.input<typeof CorrectionInputSchema>;

/** What changed in one field; `words` are the words the reviewer pointed at (none when typed). */
export interface FieldChange {
  path: string;
  from: string | null;
  to: string | null;
  words: (WordRef & { text: string; bbox: BBox })[];
}

type Kind = 'money' | 'date' | 'currency' | 'int' | 'percent' | 'documentType' | 'iban' | 'bic' | 'text';

const ARITHMETIC_CODES = new Set(['LINE_ITEMS_MISMATCH', 'TOTALS_MISMATCH', 'TAX_BREAKDOWN_MISMATCH', 'AMOUNT_DUE_MISMATCH']);

function kindOf(path: string): Kind {
  const column = path.split('.').at(-1)!;
  if ((MONEY_FIELDS as readonly string[]).includes(path)) return 'money';
  if (/^(lineItems|taxBreakdown)\./.test(path)) {
    if (['unitPrice', 'amount', 'base', 'quantity'].includes(column)) return 'money';
    if (['taxRate', 'rate'].includes(column)) return 'percent';
    return 'text';
  }
  switch (path) {
    case 'invoiceDate': case 'dueDate': return 'date';
    case 'currency': return 'currency';
    case 'paymentTerms.netDays': return 'int';
    case 'documentType': return 'documentType';
    case 'payment.iban': return 'iban';
    case 'payment.bic': return 'bic';
    default: return 'text';
  }
}

/** The path if the record has such a scalar or table cell; throws INVALID_INPUT otherwise. */
function checkPath(record: InvoiceRecord, path: string): void {
  if ((RECORD_FIELDS as readonly string[]).includes(path)) return;
  const m = /^(lineItems|taxBreakdown)\.(\d+)\.(\w+)$/.exec(path);
  const columns: readonly string[] = m?.[1] === 'lineItems' ? LINE_ITEM_COLUMNS : TAX_BREAKDOWN_COLUMNS;
  if (m && columns.includes(m[3]!) && Number(m[2]) < record[m[1] as 'lineItems' | 'taxBreakdown'].length) return;
  throw new LedgerlensError('INVALID_INPUT', `${path}: not a field of this record (scalar fields, or lineItems.N.column / taxBreakdown.N.column of an existing row)`);
}

/** Normalises a reviewer's value for a field; throws INVALID_INPUT naming the field when it cannot. */
export function normaliseValue(path: string, raw: string | null, text: DocumentText | null): string | number | null {
  const s = raw?.replace(/\s+/g, ' ').trim() ?? '';
  if (s === '') return null;
  const bad = (what: string): never => { throw new LedgerlensError('INVALID_INPUT', `${path}: "${s}" is not ${what}`); };
  switch (kindOf(path)) {
    case 'money': {
      const mark = text ? detectDecimalMark(text.text) : undefined;
      return parseMoney(s, mark ? { decimalMark: mark } : {})?.value ?? bad('an amount');
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return parseDate(s)?.iso ?? bad('a date');
      return parseDate(s, { order: text ? inferDateOrder(text.text) : 'DMY' })?.iso ?? bad('a date');
    }
    case 'currency': {
      const upper = s.toUpperCase();
      if (/^[A-Z]{3}$/.test(upper)) return upper;
      return detectCurrency(s).currency ?? bad(`a currency (an ISO 4217 code such as ${[...CURRENCY_CODES].slice(0, 3).join(', ')})`);
    }
    case 'int': return /^\d{1,4}$/.test(s) ? Number(s) : bad('a whole number of days');
    case 'percent': {
      const p = s.replace(/\s*%$/, '').replace(',', '.');
      if (!/^-?\d+(\.\d+)?$/.test(p)) bad('a percentage');
      return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : String(Number(p));
    }
    case 'documentType': return (DOCUMENT_TYPES as readonly string[]).includes(s) ? s : bad(`one of ${DOCUMENT_TYPES.join(', ')}`);
    case 'iban': return validIban(s) ?? bad('a valid IBAN');
    case 'bic': return validBic(s) ?? bad('a valid BIC');
    case 'text': return s;
  }
}

function readPath(record: InvoiceRecord, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), record);
}

function writePath(record: InvoiceRecord, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = record as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
}

const asString = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function wordsOf(text: DocumentText | null, refs: WordRef[], path: string): FieldChange['words'] {
  return refs.map((ref) => {
    const word = text?.pages.find((p) => p.number === ref.page)?.words[ref.index];
    if (!word) throw new LedgerlensError('INVALID_INPUT', `${path}: the document has no word ${ref.index} on page ${ref.page}`);
    return { ...ref, text: word.text, bbox: word.bbox };
  });
}

function provenanceOf(words: FieldChange['words']): Provenance | null {
  const first = words[0];
  if (!first) return null;
  const onPage = words.filter((w) => w.page === first.page);
  const bbox: BBox = [
    Math.min(...onPage.map((w) => w.bbox[0])), Math.min(...onPage.map((w) => w.bbox[1])),
    Math.max(...onPage.map((w) => w.bbox[2])), Math.max(...onPage.map((w) => w.bbox[3])),
  ];
  return { page: first.page, bbox, text: onPage.map((w) => w.text).join(' ') };
}

/**
 * Applies the changes to a copy of the record. A changed field gets confidence 1, leaves review,
 * and points at the words given (else at nothing: the old provenance held another value). A field
 * given its current value is accepted as it is (provenance kept). `reviewed` takes every field out
 * of review. Arithmetic warnings are recomputed; a field in a check that now fails and that this
 * correction did not touch is put under review. Throws INVALID_INPUT for a bad path or value.
 */
export function applyCorrection(record: InvoiceRecord, text: DocumentText | null, input: z.output<typeof CorrectionInputSchema>): { record: InvoiceRecord; changes: FieldChange[] } {
  const next = structuredClone(record);
  const changes: FieldChange[] = [];
  for (const [path, change] of Object.entries(input.fields)) {
    checkPath(next, path);
    const { value, words: refs = [] } = change !== null && typeof change === 'object' ? change : { value: change };
    const normalised = normaliseValue(path, value, text);
    const words = wordsOf(text, refs, path);
    const before = asString(readPath(next, path));
    const after = asString(normalised);
    writePath(next, path, normalised);
    const old: FieldInfo | undefined = next.fields[path];
    const provenance = words.length > 0 ? provenanceOf(words) : before === after ? old?.provenance ?? null : null;
    next.fields[path] = { confidence: 1, review: false, method: before === after ? old?.method ?? 'rule' : 'review', provenance };
    changes.push({ path, from: before, to: after, words });
  }
  if (input.reviewed) for (const info of Object.values(next.fields)) info.review = false;
  const touched = new Set(changes.map((c) => c.path));
  const checks = arithmeticWarnings(next, { tolerance: '0.02' });
  if (!input.reviewed) {
    for (const path of checks.flatMap((w) => w.fields)) {
      const info = next.fields[path];
      if (info && !touched.has(path)) info.review = true;
    }
  }
  next.warnings = [...next.warnings.filter((w) => !ARITHMETIC_CODES.has(w.code)), ...checks.map(({ code, message }) => ({ code, message }))];
  const parsed = InvoiceRecordSchema.safeParse(next);
  if (!parsed.success) throw new LedgerlensError('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { record: parsed.data, changes };
}
