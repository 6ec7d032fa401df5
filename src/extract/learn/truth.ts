import { wordClasses } from '../../lexicon/index.js';
import type { ScoredField } from '../scorer/scorer.js';

/** Umlauts written out, as German text often prints them ("München" = "Muenchen"). */
function umlauts(s: string): string {
  return s.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue');
}

/** Letters and digits only, lower case, accents folded: how names and ids are compared. */
export function squash(s: string): string {
  return umlauts(s).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss').replace(/[^\p{L}\d]+/gu, '');
}

const COUNTRY_CODE = /^[a-z]{2}$/;
/** A country name printed in an address block (the XML carries the country as a code). */
function isCountry(word: string): boolean {
  return wordClasses().find(word).some((h) => h.key === 'country' && h.start === 0 && h.end === word.length);
}

/**
 * An address as a sorted bag of words, without the trailing ISO country code the e-invoice XML
 * adds ("…, 80333 München, DE") and without punctuation: the printed block and the XML agree when
 * they name the same street, number, postcode and place.
 */
export function addressKey(s: string): string {
  const parts = s.split(/,\s*/);
  if (parts.length > 1 && COUNTRY_CODE.test(parts[parts.length - 1]!.trim().toLowerCase())) parts.pop();
  return umlauts(parts.join(' ')).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss')
    .replace(/str(?:asse|\.)(?=\s|$)/g, 'strasse').split(/[^\p{L}\d]+/u)
    // "DE-12345", "D 12345": a country prefix of the postcode; country names
    .filter((w, i, all) => w && !isCountry(w) && !(/^[a-z]{1,2}$/.test(w) && /^\d{4,5}$/.test(all[i + 1] ?? '')))
    .sort().join(' ');
}

/** Is `got` the right value of `field`, given the truth `want`? Amounts compare by absolute value. */
export function sameValue(field: ScoredField, got: string | null, want: string | null): boolean {
  if (want === null || got === null) return want === got;
  switch (field) {
    case 'subtotal': case 'tax': case 'total':
      return Math.abs(Math.abs(Number(got)) - Math.abs(Number(want))) < 0.005;
    case 'invoiceDate': case 'dueDate':
      return got === want;
    case 'vendor.address': case 'customer.address':
      return addressKey(got) === addressKey(want);
    default:
      return squash(got) === squash(want);
  }
}

/** Does the document's text print the value (so that a text-path extractor can be asked for it)? */
export function printedIn(field: ScoredField, want: string, text: string): boolean {
  const flat = squash(text);
  if (field === 'vendor.address' || field === 'customer.address') {
    const words = new Set(addressKey(text).split(' '));
    return addressKey(want).split(' ').every((w) => words.has(w));
  }
  return flat.includes(squash(want));
}
