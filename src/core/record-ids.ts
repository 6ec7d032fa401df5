import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { checkVAT, countries } from 'jsvat';

/**
 * Bank and tax identifiers, validated with maintained libraries: ibantools (IBAN checksum and
 * per-country length and BBAN format, BIC structure) and jsvat (EU, GB, CH, NO VAT ids: format
 * and check digits). Both extraction paths go through these, so an IBAN whose checksum fails is
 * never reported as an IBAN, whoever stated it.
 */

/** The IBAN in electronic format ("DE89370400440532013000"), or null unless its checksum and format hold. */
export function validIban(raw: string | null): string | null {
  if (raw === null) return null;
  const compact = electronicFormatIBAN(raw.replace(/^IBAN[:\s]*/i, '')) ?? '';
  return compact !== '' && isValidIBAN(compact) ? compact : null;
}

/** The BIC in upper case without spaces, or null unless it is a well-formed BIC (8 or 11 characters, a real country). */
export function validBic(raw: string | null): string | null {
  if (raw === null) return null;
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  return isValidBIC(compact) ? compact : null;
}

export interface TaxIdCheck {
  /** The id as stated, whitespace collapsed. */
  value: string;
  /** What the format says it is. */
  scheme: 'eu-vat' | 'gstin' | 'other';
  /** The issuing country where the format tells. */
  country: string | null;
  /** 'valid' / 'invalid' when the scheme has a check digit or format the id was tested against; 'unchecked' otherwise. */
  status: 'valid' | 'invalid' | 'unchecked';
}

const GSTIN = /^(\d{2})[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
const GSTIN_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** India's GSTIN check character (mod 36, weights 1 and 2 alternating, as published by GSTN). */
function gstinCheckChar(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const v = GSTIN_CHARS.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(v / 36) + (v % 36);
  }
  return GSTIN_CHARS[(36 - (sum % 36)) % 36]!;
}

const VAT_PREFIX = /^(?:AT|BE|BG|CH|CHE|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK|XI)/;

/** Validates a tax id by its format and, where the scheme has one, its check digits. */
export function checkTaxId(raw: string): TaxIdCheck {
  const value = raw.replace(/\s+/g, ' ').trim();
  const compact = value.replace(/[\s.\-/]/g, '').toUpperCase();
  const gst = GSTIN.exec(compact);
  if (gst) return { value, scheme: 'gstin', country: 'IN', status: gstinCheckChar(compact.slice(0, 14)) === compact[14] ? 'valid' : 'invalid' };
  if (VAT_PREFIX.test(compact)) {
    const r = checkVAT(compact, countries);
    if (r.isSupportedCountry) {
      const country = r.country?.isoCode.short ?? null;
      return { value, scheme: 'eu-vat', country, status: r.isValid ? 'valid' : 'invalid' };
    }
  }
  return { value, scheme: 'other', country: null, status: 'unchecked' };
}
