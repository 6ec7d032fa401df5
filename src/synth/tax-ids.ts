/**
 * Check digits for the synthetic tax ids, so that a generated VAT id or GSTIN passes its scheme's
 * checksum as a real one does. Each function takes the digits the generator already drew and
 * returns them with the check digits computed from the rest (and, where the scheme reserves a
 * range, the one drawn digit that falls outside it mapped into it). None draws a random number:
 * the document's other random choices, and so every other printed string, stay as they were.
 *
 * The rules are the published ones (and what jsvat, which the extractor validates with, checks):
 * - DE USt-IdNr.: 9 digits, the first not 0, the last an ISO 7064 MOD 11,10 check digit.
 * - GB VAT: 7 digits and two check digits, the weighted sum (8..2) mod 97 (the 9755 variant for
 *   the ranges the old scheme does not cover).
 * - FR TVA: 2-digit key (SIREN x 100 + 12) mod 97, then the 9-digit SIREN.
 * - ES CIF (legal entity, letter A-H/J): 7 digits and a control digit (Luhn-like, weights 2,1).
 * - IT Partita IVA: 7 digits, a 3-digit office code (001-201), a Luhn check digit.
 * - NL BTW: 8 digits and a weighted mod 11 check digit (9..2), then "B" and 2 digits.
 * - CH UID (CHE): 8 digits and a weighted mod 11 check digit (5,4,3,2,7,6,5,4).
 * - IN GSTIN: 14 characters and a mod-36 check character (here the drawn check character is kept
 *   and the PAN digits are fitted to it, see gstinWithCheck).
 */

const digitsOf = (s: string) => [...s].map(Number);

/** DE: nine digits, the first 1-9, the ninth the MOD 11,10 check digit of the first eight. */
export function deVatDigits(nine: string): string {
  const d = digitsOf(nine);
  if (d[0] === 0) d[0] = 1;
  let product = 10;
  for (let i = 0; i < 8; i++) {
    let sum = (d[i]! + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  d[8] = (11 - product) % 10;
  return d.join('');
}

/** GB: nine digits, the first seven (the first 1-9) and their two mod-97 check digits. */
export function gbVatDigits(nine: string): string {
  const d = digitsOf(nine);
  if (d[0] === 0) d[0] = 1;
  const body = d.slice(0, 7);
  const total = body.reduce((s, v, i) => s + v * (8 - i), 0);
  const no = Number(body.join(''));
  let check = (97 - (total % 97)) % 97;
  // the old scheme does not cover these ranges; the 9755 scheme (check - 55, or + 42) does
  const oldScheme = no < 9990001 && (no < 9490001 || no > 9700000);
  if (!oldScheme) check = check >= 55 ? check - 55 : check + 42;
  return body.join('') + String(check).padStart(2, '0');
}

/** FR: eleven digits, the 2-digit key of the 9-digit SIREN that follows it. */
export function frVatDigits(eleven: string): string {
  const siren = eleven.slice(2);
  const key = (Number(siren) * 100 + 12) % 97;
  return String(key).padStart(2, '0') + siren;
}

/** ES (legal entity): eight digits after the letter, the eighth the control digit of the first seven. */
export function esCifDigits(eight: string): string {
  const d = digitsOf(eight);
  let total = 0;
  for (let i = 0; i < 7; i++) {
    const t = d[i]! * (i % 2 === 0 ? 2 : 1);
    total += Math.floor(t / 10) + (t % 10);
  }
  d[7] = (10 - (total % 10)) % 10;
  return d.join('');
}

/** IT: eleven digits, an office code 001-201 in places 8-10 and the Luhn check digit last. */
export function itVatDigits(eleven: string): string {
  const d = digitsOf(eleven);
  if (d.slice(0, 7).every((v) => v === 0)) d[0] = 1;
  const office = d[7]! * 100 + d[8]! * 10 + d[9]!;
  if (office < 1 || office > 201) {
    const mapped = (office % 201) + 1;
    d[7] = Math.floor(mapped / 100); d[8] = Math.floor(mapped / 10) % 10; d[9] = mapped % 10;
  }
  let total = 0;
  for (let i = 0; i < 10; i++) {
    const t = d[i]! * (i % 2 === 0 ? 1 : 2);
    total += Math.floor(t / 10) + (t % 10);
  }
  d[10] = (10 - (total % 10)) % 10;
  return d.join('');
}

/**
 * A weighted mod-11 check digit over the first eight digits, placed ninth. A remainder that gives
 * no digit (the scheme then issues no number) steps the eighth digit until one does.
 */
function mod11Digits(nine: string, weights: readonly number[], check: (total: number) => number | null): string {
  const d = digitsOf(nine);
  for (let step = 0; step < 10; step++) {
    const c = check(d.slice(0, 8).reduce((s, v, i) => s + v * weights[i]!, 0));
    if (c !== null) { d[8] = c; return d.join(''); }
    d[7] = (d[7]! + 1) % 10;
  }
  throw new Error('unreachable: some eighth digit gives a check digit');
}

/** NL: nine digits before the "B", the ninth the weighted (9..2) mod 11 check digit. */
export function nlVatDigits(nine: string): string {
  return mod11Digits(nine, [9, 8, 7, 6, 5, 4, 3, 2], (t) => (t % 11 === 10 ? null : t % 11));
}

/** CH: the UID's nine digits, the ninth the weighted (5,4,3,2,7,6,5,4) mod 11 check digit. */
export function cheUidDigits(nine: string): string {
  return mod11Digits(nine, [5, 4, 3, 2, 7, 6, 5, 4], (t) => {
    const c = (11 - (t % 11)) % 11;
    return c === 10 ? null : c;
  });
}

const GSTIN_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The GSTIN check character of the first 14 characters (mod 36, weights 1 and 2 alternating). */
export function gstinCheckChar(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const v = GSTIN_CHARS.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(v / 36) + (v % 36);
  }
  return GSTIN_CHARS[(36 - (sum % 36)) % 36]!;
}

/**
 * IN: a 15-character GSTIN made valid. The check character (last) is kept as drawn and the PAN's
 * four digits (places 8-11) are counted up from their drawn value until it is right: digits are
 * all one width in the generator's fonts, so the id prints exactly as wide as drawn. Their
 * weighted sum (2a + b + 2c + d, 0-54) reaches every residue mod 36, so a solution exists.
 */
export function gstinWithCheck(gstin: string): string {
  const drawn = Number(gstin.slice(7, 11));
  for (let k = 0; k < 10000; k++) {
    const pan = String((drawn + k) % 10000).padStart(4, '0');
    const first14 = gstin.slice(0, 7) + pan + gstin.slice(11, 14);
    if (gstinCheckChar(first14) === gstin[14]) return first14 + gstin[14];
  }
  throw new Error(`unreachable: no PAN digits give the check character ${gstin[14]}`);
}

/** Splits a digit string into groups of the given lengths ("123456789", [3, 3, 3] -> ["123", "456", "789"]). */
export function groups(s: string, lengths: readonly number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const n of lengths) { out.push(s.slice(at, at + n)); at += n; }
  return out;
}
