import { LedgerlensError } from '../core/errors.js';
import type { InvoiceRecord, LineItem } from '../core/invoice-record.js';
import { combineDecimals, sumDecimals } from '../core/record-checks.js';
import { COUNTRY_CODES } from './code-lists.js';

/**
 * What the UBL and CII writers share: the result type, the "missing fields" error, and the few
 * values a writer derives from the record by rule (documented where the README describes the writers):
 * - the line total BT-106 = the sum of the line amounts;
 * - the amount due BT-115 = the record's amount due, else total - prepaid (0 when not stated);
 * - a country code = the last comma-separated part of an address when it is an ISO 3166 code;
 * - a tax category = the stated one, else S (standard rated) for a positive rate: EN 16931 uses
 *   S for every positive rate outside the Canary Islands, Ceuta and Melilla (L, M).
 * Nothing else is filled in: a value the record lacks is left out, or the writer fails.
 */

export interface EinvoiceOutput {
  /** The XML document (UTF-8). */
  xml: string;
  /** What was written: 'ubl-invoice' | 'ubl-credit-note' | 'cii'. */
  syntax: 'ubl-invoice' | 'ubl-credit-note' | 'cii';
  /** CustomizationID (UBL) or guideline parameter (CII) stated in the document. */
  profile: string;
  /** Record fields that have a value but that this syntax or profile could not carry. */
  omitted: string[];
}

/** INCOMPLETE_RECORD: the record lacks what the syntax requires; `missing` lists the field paths. */
export function incomplete(format: string, missing: string[]): LedgerlensError {
  return new LedgerlensError('INCOMPLETE_RECORD', `the record cannot be written as ${format}: missing ${missing.join(', ')}`, { details: { format, missing } });
}

/** Field paths among `required` that the record does not state. */
export function missingFields(record: InvoiceRecord, required: Array<[string, unknown]>): string[] {
  return required.filter(([, v]) => v === null || v === undefined || (Array.isArray(v) && v.length === 0)).map(([k]) => k);
}

/** Sum of the line amounts (BT-106), or null when a line has no amount. */
export function lineTotal(items: LineItem[]): string | null {
  const amounts = items.map((i) => i.amount);
  return amounts.length > 0 && amounts.every((a) => a !== null) ? sumDecimals(amounts as string[]) : null;
}

/** The amount due (BT-115): stated, else total - prepaid. */
export function payableAmount(record: InvoiceRecord): string | null {
  if (record.amountDue !== null) return record.amountDue;
  if (record.total === null) return null;
  return record.prepaid === null ? record.total : combineDecimals([[1, record.total], [-1, record.prepaid]]);
}

/** An address line and its country: "Hafenstraße 7, 20457 Hamburg, DE" -> ["Hafenstraße 7, 20457 Hamburg", "DE"]. */
export function splitAddress(address: string | null): { line: string | null; country: string | null } {
  if (address === null) return { line: null, country: null };
  const parts = address.split(',').map((p) => p.trim());
  const last = parts[parts.length - 1]!;
  if (parts.length > 1 && COUNTRY_CODES.has(last)) return { line: parts.slice(0, -1).join(', '), country: last };
  return { line: address, country: null };
}

/** The stated category, else S for a positive rate; null otherwise. */
export function taxCategory(rate: string | null, category: string | null): string | null {
  if (category !== null) return category;
  return rate !== null && /^(?!0+(\.0+)?$)\d/.test(rate) ? 'S' : null;
}

/** A line's tax category: the breakdown row's at the line's rate when there is exactly one, else as taxCategory(). */
export function lineTaxCategory(record: InvoiceRecord, item: LineItem): string | null {
  if (item.taxRate === null) return null;
  const rows = record.taxBreakdown.filter((r) => r.rate === item.taxRate && r.category !== null);
  const categories = new Set(rows.map((r) => r.category));
  return categories.size === 1 ? [...categories][0]! : taxCategory(item.taxRate, null);
}

/** A tax id's scheme for the syntaxes: a VAT id (country prefix) or a local tax number. */
export function isVatId(taxId: string): boolean {
  return /^(?:[A-Z]{2}|CHE)[-\s]?[0-9A-Z]/.test(taxId.trim()) && /\d/.test(taxId);
}
