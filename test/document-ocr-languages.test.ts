import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { DocumentTextSchema } from '../src/core/document-text.js';
import { AUTO_LANGUAGES, guessLanguage, languageScores } from '../src/document/ocr-language.js';
import { closeOcrPool, languageDir, ocrPoolStats } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { wordRecall, words } from '../src/document/testing/word-accuracy.js';

/**
 * ocr.languages 'auto' on clean 300-dpi scans of short pages in each shipped language: the page is
 * re-read in its language, which gets the umlauts, accents and ß right that an English-only
 * reading misses; an English page is read once. One tesseract worker, as in a sandbox.
 */
const auto = loadConfig({ env: {}, overrides: { ocr: { workers: 1 } } });
const english = loadConfig({ env: {}, overrides: { ocr: { workers: 1, languages: ['eng'] } } });

const PAGES: Record<string, string[]> = {
  deu: ['Rechnung für die Lieferung vom 12. März', 'Größe und Menge der Güter bei Abholung', 'Hauptstraße 5, 80331 München, Gebühr zzgl. Steuer'],
  fra: ['Facture pour la livraison de matériel', 'Réglée à réception, frais de dépôt inclus', 'Société Générale, échéance le 15 août'],
  spa: ['Factura por el envío de los artículos', 'Descripción del pedido y pago en efectivo', 'Dirección: Calle Añil 4, León, teléfono'],
  ita: ['Fattura per la consegna della merce', 'Quantità e città di spedizione già pagata', 'Totale più IVA, il saldo è dovuto entro lunedì'],
  nld: ['Factuur voor de levering van het product', 'Betaling binnen één week op de rekening', 'Privé adres: Café de Ruïne, Coöperatie'],
  eng: ['Invoice for the delivery of office supplies', 'Payment is due within thirty days of the date', 'Thank you for your order and your business'],
};
const accented = (ws: readonly string[]) => ws.filter((w) => /[^\x00-\x7f]/u.test(w));

const scans = new Map<string, { png: Uint8Array; words: string[] }>();
before(async () => {
  for (const [lang, lines] of Object.entries(PAGES)) {
    const pdf = await fx.makePdf([{ width: 400, height: 150, lines: lines.map((text, i) => ({ x: 20, y: 40 + 36 * i, size: 13, text })) }]);
    scans.set(lang, { png: await fx.renderPdfToPng(pdf.bytes, 1, 300), words: lines.flatMap(words) });
  }
});
after(() => closeOcrPool());

describe('OCR languages', () => {
  for (const lang of ['deu', 'fra', 'spa', 'ita', 'nld']) {
    test(`${lang}: 'auto' re-reads the page as ${lang} and gets the accented words that English alone misses`, async () => {
      const scan = scans.get(lang)!;
      const known = accented(scan.words);
      const before = ocrPoolStats().recognitions;
      const doc = DocumentTextSchema.parse(await readDocumentText(scan.png, { config: auto }));
      assert.equal(ocrPoolStats().recognitions - before, 2, 'a first reading in English and one re-reading');
      const page = doc.pages[0]!;
      assert.equal(page.language, lang);
      const read = page.words.map((w) => w.text);
      const autoRecall = wordRecall(known, read);
      assert.ok(autoRecall >= 0.8, `accented words read under 'auto': ${autoRecall} (${read.join(' ')})`);
      assert.ok(wordRecall(scan.words, read) >= 0.9, `all words: ${read.join(' ')}`);
      const eng = (await readDocumentText(scan.png, { config: english })).pages[0]!;
      assert.equal(eng.language, 'eng');
      const engRecall = wordRecall(known, eng.words.map((w) => w.text));
      assert.ok(engRecall < autoRecall, `English alone reads ${engRecall} of the accented words, 'auto' ${autoRecall}`);
    });
  }

  test('an English page under \'auto\' is read once, in English', async () => {
    const scan = scans.get('eng')!;
    const before = ocrPoolStats().recognitions;
    const page = (await readDocumentText(scan.png, { config: auto })).pages[0]!;
    assert.equal(ocrPoolStats().recognitions - before, 1);
    assert.equal(page.language, 'eng');
    assert.ok(wordRecall(scan.words, page.words.map((w) => w.text)) >= 0.9);
  });

  test('an explicit list reads every page once with those languages', async () => {
    const cfg = loadConfig({ env: {}, overrides: { ocr: { workers: 1, languages: ['deu', 'eng'] } } });
    const before = ocrPoolStats().recognitions;
    const page = (await readDocumentText(scans.get('deu')!.png, { config: cfg })).pages[0]!;
    assert.equal(ocrPoolStats().recognitions - before, 1);
    assert.equal(page.language, 'deu+eng');
    assert.ok(wordRecall(accented(scans.get('deu')!.words), page.words.map((w) => w.text)) >= 0.8);
    assert.equal(ocrPoolStats().poolsCreated, 1, 'one pool (one worker) switched between languages');
  });
});

describe('page language guess', () => {
  test('function words and diacritics point to the language; English text and too little evidence stay English', () => {
    assert.equal(guessLanguage(words('Die Ware wird mit der Post an die Adresse des Kunden geliefert')), 'deu');
    assert.equal(guessLanguage(words('Le paiement est dû à la réception de la facture par le client')), 'fra');
    assert.equal(guessLanguage(words('El pago se realiza por transferencia a la cuenta del proveedor')), 'spa');
    assert.equal(guessLanguage(words('Il pagamento è dovuto entro la data della fattura')), 'ita');
    assert.equal(guessLanguage(words('Het bedrag wordt voor de vervaldatum van de factuur betaald')), 'nld');
    assert.equal(guessLanguage(words('The amount is payable to the account of the supplier by the due date')), 'eng');
    assert.equal(guessLanguage(words('Total 120.00 EUR Invoice 4711')), 'eng');
    assert.equal(guessLanguage(words('Müller GmbH')), 'eng', 'one word is not enough');
  });

  test('a word shared by languages counts to each of them in part', () => {
    const s = languageScores(['de']);
    assert.ok(s.fra > 0 && s.spa > 0 && s.nld > 0 && s.deu === 0);
    assert.ok(Math.abs(s.fra + s.spa + s.nld - 1) < 1e-9);
  });
});

describe('ocr.languages configuration', () => {
  test("every language 'auto' may choose ships as a dependency and is installed with its LSTM model (no download)", () => {
    const deps = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    for (const lang of ['eng', ...AUTO_LANGUAGES]) {
      assert.ok(deps[`@tesseract.js-data/${lang}`], `@tesseract.js-data/${lang} in dependencies`);
      assert.ok(existsSync(join(languageDir(lang), `${lang}.traineddata.gz`)), lang);
      assert.match(languageDir(lang), /4\.0\.0_best_int$/);
    }
  });


  test("defaults to 'auto'; the environment takes 'auto' or a list", () => {
    assert.equal(loadConfig({ env: {} }).ocr.languages, 'auto');
    assert.equal(loadConfig({ env: { LEDGERLENS_OCR_LANGUAGES: 'auto' } }).ocr.languages, 'auto');
    assert.deepEqual(loadConfig({ env: { LEDGERLENS_OCR_LANGUAGES: 'deu+eng' } }).ocr.languages, ['deu', 'eng']);
    assert.throws(() => loadConfig({ env: {}, overrides: { ocr: { languages: 'all' as never } } }), { code: 'INVALID_CONFIG' });
    assert.throws(() => loadConfig({ env: {}, overrides: { ocr: { languages: [] } } }), { code: 'INVALID_CONFIG' });
  });
});
