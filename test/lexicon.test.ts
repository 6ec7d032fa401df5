import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LABEL_CONCEPTS, LANGUAGES, LEXICONS, PhraseMatcher, WORD_CLASSES, labels, languageScores, phraseTokens, phrasesOf, wordClasses,
} from '../src/lexicon/index.js';

/** Hits as "key:matched text" for compact assertions. */
const hits = (text: string, m = labels()) => m.find(text).map((h) => `${h.key}:${text.slice(h.start, h.end)}`);

test('offsets index the original text across accents, ß and decomposed marks', () => {
  const m = new PhraseMatcher([{ key: 'k', lang: 'de', phrase: 'strasse' }, { key: 'f', lang: 'fr', phrase: 'echeance' }, { key: 'o', lang: 'fr', phrase: 'oeuvre' }]);
  const text = 'Größe: Straße 1 · ÉCHÉANCE · e\u0301che\u0301ance · Œuvre';
  const found = m.find(text).map((h) => [h.key, text.slice(h.start, h.end)]);
  assert.deepEqual(found, [['k', 'Straße'], ['f', 'ÉCHÉANCE'], ['f', 'e\u0301che\u0301ance'], ['o', 'Œuvre']]);
});

test('matches start and end on word boundaries', () => {
  assert.deepEqual(hits('Subtotal 10.00'), ['subtotal:Subtotal']);
  assert.deepEqual(hits('Taxi fare'), []);
  assert.deepEqual(hits('Totals'), []);
  assert.deepEqual(hits('Tax 2.00'), ['tax:Tax']);
});

test('de/nl single words of 6+ letters match as the end of a compound, others do not', () => {
  assert.deepEqual(hits('Endrechnungsbetrag 119,00'), ['total:rechnungsbetrag']);
  assert.deepEqual(hits('Mengenrabatt'), ['notTotal:rabatt']);
  assert.deepEqual(hits('Sammelbestellnummer'), ['otherNumber:bestellnummer']);
  assert.deepEqual(hits('Hauptstraße 5', wordClasses()), ['streetWord:straße']);
  // English phrases and short German ones never match inside a word
  assert.deepEqual(hits('Grandtotal'), []);
  assert.deepEqual(hits('Endsummen'), []);
});

test('a compound written with a hyphen matches its closed form; spaced or other punctuation does not join', () => {
  assert.deepEqual(hits('Beleg-Datum : 16.09.2013'), ['invoiceDate:Beleg-Datum']);
  assert.deepEqual(hits('Leistungs-Datum : 05.08.2013'), ['otherDate:Leistungs-Datum']);
  assert.deepEqual(hits('Lieferschein-Datum: 05.08.2013'), ['otherDate:Lieferschein-Datum']);
  // a space around the hyphen is a dash between two words, not a compound
  assert.deepEqual(hits('Beleg - Datum'), ['title:Beleg', 'genericDate:Datum']);
  assert.deepEqual(hits('Beleg/Datum'), ['title:Beleg', 'genericDate:Datum']);
});

test('punctuation and spacing between tokens are tolerated within limits', () => {
  assert.deepEqual(hits('Rechnungs-Nr.: 4711'), ['invoiceNumber:Rechnungs-Nr']);
  assert.deepEqual(hits('N° de facture : F-12'), ['invoiceNumber:N° de facture']);
  assert.deepEqual(hits('N°de facture F-12'), ['invoiceNumber:N°de facture']);
  assert.deepEqual(hits('Invoice  No. 123'), ['invoiceNumber:Invoice  No']);
  assert.deepEqual(hits('Invoice #123'), ['invoiceNumber:Invoice #']);
  assert.deepEqual(hits('Nº Factura 12'), ['invoiceNumber:Nº Factura']);
  // a line break or a column-wide gap ends a phrase
  assert.deepEqual(hits('Invoice\nNo. 5'), ['title:Invoice']);
  assert.deepEqual(hits('Invoice          No. 5'), ['title:Invoice']);
  assert.deepEqual(hits('Invoice ....  No. 5'), ['title:Invoice']);
});

test('the longest phrase at a start wins and hits do not overlap', () => {
  assert.deepEqual(hits('TOTAL AMOUNT DUE 5.00'), ['total:TOTAL AMOUNT DUE']);
  assert.deepEqual(hits('Total 5.00 Total VAT 1.00'), ['total:Total', 'tax:Total VAT']);
  assert.deepEqual(hits('VAT Reg No: GB123 VAT 20%'), ['taxId:VAT Reg No', 'tax:VAT']);
  assert.deepEqual(hits('Te betalen voor 01-03 Te betalen 5'), ['dueDate:Te betalen voor', 'total:Te betalen']);
});

test('a phrase shared by languages gives one hit per key listing every language', () => {
  const found = labels().find('Total');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.key, 'total');
  assert.ok(found[0]!.langs.includes('en') && found[0]!.langs.includes('es'));
  const m = new PhraseMatcher([{ key: 'a', lang: 'en', phrase: 'x y' }, { key: 'b', lang: 'en', phrase: 'x-y' }]);
  assert.deepEqual(m.find('X Y').map((h) => h.key), ['a', 'b']);
  assert.throws(() => new PhraseMatcher([{ key: 'a', lang: 'en', phrase: '--' }]), /without letters/);
});

test('every language module lists non-empty concepts and no phrase under two concepts', () => {
  assert.deepEqual(Object.keys(LEXICONS).sort(), [...LANGUAGES].sort());
  for (const lang of LANGUAGES) {
    const lex = LEXICONS[lang];
    assert.equal(lex.lang, lang);
    const owner = new Map<string, string>();
    for (const [concept, phrases] of Object.entries(lex.labels)) {
      assert.ok((LABEL_CONCEPTS as readonly string[]).includes(concept), `${lang}: unknown concept ${concept}`);
      assert.ok(phrases && phrases.length > 0, `${lang}.${concept} is empty`);
      for (const p of phrases) {
        assert.equal(p, p.toLowerCase(), `${lang}: ${p} is not lower case`);
        const key = phraseTokens(p).join(' ');
        const prev = owner.get(key);
        assert.ok(prev === undefined || prev === concept, `${lang}: "${p}" is in ${prev} and ${concept}`);
        owner.set(key, concept);
      }
    }
    for (const [cls, phrases] of Object.entries(lex.classes)) {
      assert.ok((WORD_CLASSES as readonly string[]).includes(cls), `${lang}: unknown class ${cls}`);
      assert.ok(phrases && phrases.length > 0, `${lang}.${cls} is empty`);
    }
  }
  // the core concepts exist in every language
  for (const lang of LANGUAGES) for (const c of ['title', 'invoiceNumber', 'total', 'tax'] as const) assert.ok(LEXICONS[lang].labels[c]?.length);
});

test('languageScores picks the document language', () => {
  const best = (t: string) => Object.entries(languageScores(t)).sort((a, b) => b[1] - a[1])[0]![0];
  assert.equal(best('Rechnung\nRechnungsnummer: 2024-17\nRechnungsdatum: 03.02.2024\nZwischensumme 100,00\nzzgl. MwSt. 19,00\nGesamtbetrag 119,00\nZahlbar bis 17.02.2024'), 'de');
  assert.equal(best('FACTURE\nN° de facture : F-2024-17\nDate de facture : 03/02/2024\nTotal HT 100,00\nTVA 20,00\nNet à payer 120,00\nÉchéance : 17/02/2024'), 'fr');
  assert.equal(best('Fattura n. 17 del 03/02/2024\nImponibile 100,00\nIVA 22,00\nTotale documento 122,00\nScadenza 17/02/2024'), 'it');
  assert.equal(best('TAX INVOICE\nGST Reg No: 001234\nCashier: 03\nTotal Sales (Incl GST) 12.00\nRounding Adj -0.01\nCash 20.00\nChange 8.00'), 'en-my');
  const zero = languageScores('lorem ipsum');
  assert.deepEqual(Object.keys(zero).sort(), [...LANGUAGES].sort());
  assert.ok(Object.values(zero).every((v) => v === 0));
});

test('phrasesOf gives one language or the union without duplicates', () => {
  assert.ok(phrasesOf('invoiceNumber', 'de').includes('rechnungsnummer'));
  assert.ok(!phrasesOf('invoiceNumber', 'de').includes('invoice no.'));
  const all = phrasesOf('total');
  assert.ok(all.includes('gesamtbetrag') && all.includes('net à payer') && all.includes('totaal'));
  assert.equal(all.length, new Set(all).size);
  assert.deepEqual(phrasesOf('page', 'en'), [...(LEXICONS.en.labels.page ?? [])]);
});

test('a 3000-character page is matched quickly (printed, not asserted)', () => {
  const page = 'Rechnungsnummer 12345 Datum 01.02.2024 Kundennummer 998 Gesamtbetrag 1.190,00 EUR zzgl. MwSt. Lieferadresse Musterstraße 5 '.repeat(30).slice(0, 3000);
  const m = labels();
  for (let i = 0; i < 50; i++) m.find(page);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) m.find(page);
  console.log(`lexicon: ${((performance.now() - t0) / 200).toFixed(3)} ms per 3000-char page, ${m.size} phrases`);
  assert.ok(m.find(page).length > 100);
});
