import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkVAT, countries } from 'jsvat';
import { checkTaxId } from '../src/core/record-ids.js';
import { LOCALES, LOCALE_IDS, type LocaleId } from '../src/synth/locales.js';
import { Rng } from '../src/synth/prng.js';
import {
  cheUidDigits, deVatDigits, esCifDigits, frVatDigits, gbVatDigits, gstinCheckChar, gstinWithCheck, itVatDigits, nlVatDigits,
} from '../src/synth/tax-ids.js';

/**
 * The generator's tax ids pass their scheme's check digits (jsvat, the extractor's validator, as
 * the oracle), and giving them check digits draws no random number: the rest of the document is
 * the same as before (the draws the 1.1.0 generator made are copied here to compare against).
 */

const d = (r: Rng, n: number) => r.digits(n);
/** The 1.1.0 generator's vatId functions (no check digits), for the draw-for-draw comparison. */
const DRAWN_ONLY: Partial<Record<LocaleId, (r: Rng) => string>> = {
  'en-GB': (r) => r.pick([`GB${d(r, 9)}`, `GB ${d(r, 3)} ${d(r, 4)} ${d(r, 2)}`]),
  'en-IN': (r) => `${r.pick(['27', '29', '33', '07', '36', '19', '24'])}${r.letters(5)}${d(r, 4)}${r.letters(1)}${r.int(1, 9)}Z${r.letters(1, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
  'de-DE': (r) => r.pick([`DE${d(r, 9)}`, `DE ${d(r, 3)} ${d(r, 3)} ${d(r, 3)}`]),
  'de-CH': (r) => `CHE-${d(r, 3)}.${d(r, 3)}.${d(r, 3)} ${r.pick(['MWST', 'MWST', 'TVA'])}`,
  'fr-FR': (r) => r.pick([`FR${d(r, 2)}${d(r, 9)}`, `FR ${d(r, 2)} ${d(r, 3)} ${d(r, 3)} ${d(r, 3)}`]),
  'es-ES': (r) => r.pick([`ES${r.letters(1, 'ABCDEFGHJ')}${d(r, 8)}`, `${r.letters(1, 'ABCDEFGHJ')}${d(r, 8)}`, `${r.letters(1, 'ABCDEFGHJ')}-${d(r, 8)}`]),
  'it-IT': (r) => r.pick([`IT${d(r, 11)}`, `${d(r, 11)}`, `IT ${d(r, 11)}`]),
  'nl-NL': (r) => r.pick([`NL${d(r, 9)}B${d(r, 2)}`, `NL ${d(r, 4)}.${d(r, 2)}.${d(r, 3)}.B.${d(r, 2)}`]),
};
/** Locales whose id scheme has check digits; the others (EIN, Malaysian SST/TIN) have none. */
const CHECKED = Object.keys(DRAWN_ONLY) as LocaleId[];

/** The id as jsvat / checkTaxId read it: Spanish and Italian ids are printed without their country prefix too. */
function withCountry(id: LocaleId, vat: string): string {
  if (id === 'es-ES' && !vat.startsWith('ES')) return `ES${vat.replace(/-/g, '')}`;
  if (id === 'it-IT' && !vat.startsWith('IT')) return `IT${vat}`;
  return vat;
}

test('every generated VAT id / GSTIN passes its check digits (2000 draws per locale)', () => {
  for (const id of CHECKED) {
    for (let seed = 0; seed < 2000; seed++) {
      const vat = LOCALES[id].vatId(new Rng(seed));
      const check = checkTaxId(withCountry(id, vat));
      assert.equal(check.status, 'valid', `${id} seed ${seed}: ${vat} (${check.scheme})`);
    }
  }
  for (const id of LOCALE_IDS.filter((l) => !CHECKED.includes(l))) {
    assert.equal(checkTaxId(LOCALES[id].vatId(new Rng(1))).status, 'unchecked', `${id}: no checksum scheme`);
  }
});

test('check digits draw no random number: the stream after the id, and the id\'s shape, are as drawn', () => {
  let changed = 0;
  for (const id of CHECKED) {
    for (let seed = 0; seed < 500; seed++) {
      const before = new Rng(seed); const after = new Rng(seed);
      const drawn = DRAWN_ONLY[id]!(before);
      const valid = LOCALES[id].vatId(after);
      assert.deepEqual([after.nextU32(), after.nextU32()], [before.nextU32(), before.nextU32()], `${id} seed ${seed}: same draws`);
      assert.equal(valid.length, drawn.length, `${id}: ${drawn} -> ${valid}`);
      // letters and separators are kept; only digits change (digits print at one width)
      assert.equal(valid.replace(/\d/g, '#'), drawn.replace(/\d/g, '#'), `${id}: ${drawn} -> ${valid}`);
      if (valid !== drawn) changed++;
    }
  }
  assert.ok(changed > 0.8 * CHECKED.length * 500, `most drawn ids needed new check digits (${changed})`);
});

test('check-digit functions: the digits they keep, the ones they compute, validated by jsvat', () => {
  const vat = (s: string) => checkVAT(s, countries).isValid;
  assert.equal(deVatDigits('136695970'), '136695976');
  assert.equal(deVatDigits('012345678').slice(0, 8), '11234567', 'a leading 0 becomes 1, the other drawn digits stay');
  for (const raw of ['000000000', '999999999', '123456789', '949500000', '999100000', '100000000']) {
    assert.ok(vat(`GB${gbVatDigits(raw)}`), `GB ${raw} -> ${gbVatDigits(raw)}`);
    assert.ok(vat(`DE${deVatDigits(raw)}`), `DE ${raw}`);
    assert.ok(vat(`NL${nlVatDigits(raw)}B01`), `NL ${raw}`);
    assert.ok(vat(`CHE${cheUidDigits(raw)}MWST`), `CHE ${raw}`);
    assert.ok(vat(`ESB${esCifDigits(raw.slice(1))}`), `ES ${raw}`);
  }
  assert.equal(frVatDigits('00303265045'), '40303265045');
  assert.equal(frVatDigits('99303265045').slice(2), '303265045', 'the SIREN is kept');
  for (const raw of ['00000000000', '12345678999', '12345670001', '99999999201']) assert.ok(vat(`IT${itVatDigits(raw)}`), `IT ${raw} -> ${itVatDigits(raw)}`);
  assert.equal(itVatDigits('12345670991').slice(7, 10), '099', 'an office code in range is kept');
  const g = gstinWithCheck('27AAPFU0939F1ZV');
  assert.equal(g, '27AAPFU0939F1ZV', 'a valid GSTIN is kept as it is');
  const fitted = gstinWithCheck('29ABCDE1234F1ZK');
  assert.equal(gstinCheckChar(fitted.slice(0, 14)), 'K');
  assert.equal(fitted.replace(/^(.{7}).{4}/, '$1####'), '29ABCDE####F1ZK', 'only the PAN digits move');
});
