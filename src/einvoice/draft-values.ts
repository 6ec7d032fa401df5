import type { EarlyPaymentDiscount, Payment, PaymentTerms, RecordWarning, TaxBreakdown } from '../core/invoice-record.js';
import { checkTaxId, validBic, validIban } from '../core/record-ids.js';
import { normalisePercent, parsePaymentTerms } from '../extract/record/payment-terms.js';
import { normaliseText } from './values.js';

/** Values both syntax mappings need beyond plain elements: terms, payment accounts, tax ids, rates. */

/** A percentage element ("19.00" -> "19"), or null. */
export function percentValue(raw: string | null): string | null {
  return raw === null ? null : normalisePercent(raw);
}

/**
 * Payment terms: the descriptions joined, with net days and early-payment discounts parsed out
 * of the text (marked derived) unless the XML states discounts structurally (ZUGFeRD 1
 * ApplicableTradePaymentDiscountTerms, UBL SettlementDiscountPercent), which are taken as they are.
 */
export function paymentTerms(texts: (string | null)[], structured: EarlyPaymentDiscount[], derived: Set<string>): PaymentTerms {
  const text = normaliseText(texts.map(normaliseText).filter((t): t is string => t !== null).join(' ') || null);
  const parsed = parsePaymentTerms(text);
  if (parsed.netDays !== null) derived.add('paymentTerms.netDays');
  if (structured.length === 0 && parsed.discounts.length > 0) derived.add('paymentTerms.discounts');
  return { text, netDays: parsed.netDays, discounts: structured.length > 0 ? structured : parsed.discounts };
}

/**
 * The payee account: the first stated IBAN whose checksum holds. A stated IBAN or BIC that fails
 * validation is not reported (payment.iban stays null) and becomes an INVALID_IBAN / INVALID_BIC warning.
 */
export function payment(
  accounts: { iban: string | null; bic: string | null; holder: string | null }[], reference: string | null, warnings: RecordWarning[],
): Payment {
  let chosen: { iban: string | null; bic: string | null; holder: string | null } | null = null;
  for (const a of accounts) {
    if (a.iban === null) continue;
    const iban = validIban(a.iban);
    if (iban === null) {
      warnings.push({ code: 'INVALID_IBAN', message: `the XML states IBAN ${a.iban}, whose checksum or format is invalid; not reported` });
      continue;
    }
    chosen = { ...a, iban };
    break;
  }
  const account = chosen ?? accounts.find((a) => a.bic !== null || a.holder !== null) ?? null;
  let bic: string | null = null;
  if (account?.bic) {
    bic = validBic(account.bic);
    if (bic === null) warnings.push({ code: 'INVALID_BIC', message: `the XML states BIC ${account.bic}, which is not a valid BIC; not reported` });
  }
  return { iban: chosen?.iban ?? null, bic, accountHolder: normaliseText(account?.holder ?? null), reference: normaliseText(reference) };
}

/** A party's tax id as stated; a known scheme whose check digits fail adds an INVALID_TAX_ID warning (the stated value is kept). */
export function checkedTaxId(value: string | null, party: 'vendor' | 'customer', warnings: RecordWarning[]): string | null {
  if (value === null) return null;
  const check = checkTaxId(value);
  if (check.status === 'invalid') warnings.push({ code: 'INVALID_TAX_ID', message: `${party} tax id ${value} fails the ${check.scheme === 'gstin' ? 'GSTIN' : 'VAT id'} check digits` });
  return value;
}

/** Breakdown rows that state anything (an empty ApplicableTradeTax carries no row). */
export function breakdownRows(rows: TaxBreakdown[]): TaxBreakdown[] {
  return rows.filter((r) => r.rate !== null || r.base !== null || r.amount !== null || r.category !== null);
}
