import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { layoutText, type DocumentText, type RawWord } from '../src/core/document-text.js';
import { readLineItems } from '../src/extract/line-items.js';
import { pageLines } from '../src/extract/record/page-lines.js';
import { docFromCells } from './extract-fixtures.js';

const rows = (doc: DocumentText, mark: ',' | '.' = ',') => readLineItems(pageLines(doc).lines, mark).map((r) => r.item);
const brief = (doc: DocumentText, mark: ',' | '.' = ',') => rows(doc, mark).map((i) => [i.description, i.quantity, i.unit, i.unitPrice, i.amount]);

/** Pages of cell rows ([x, text]), 14pt line pitch, like docFromCells. */
function pagesOf(pages: Array<Array<Array<[number, string]>>>): DocumentText {
  const raw = pages.map((lines, p) => {
    const words: RawWord[] = [];
    lines.forEach((cells, line) => {
      for (const [x0, text] of cells) {
        let x = x0;
        for (const part of text.split(/(\s+)/)) {
          if (/^\s+$/.test(part)) { x += 6 * part.length; continue; }
          if (part) words.push({ text: part, bbox: [x, 40 + line * 14, x + 6 * part.length, 50 + line * 14], confidence: 1, line });
          x += 6 * part.length;
        }
      }
    });
    words.sort((a, b) => a.line - b.line || a.bbox[0] - b.bbox[0]);
    return { number: p + 1, width: 595, height: 842, unit: 'pt' as const, method: 'text-layer' as const, rotation: 0, words };
  });
  const { pages: out, text } = layoutText(raw);
  return { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: out.length }, pages: out, text };
}

test('row numbers and codes leave the description; units and numbers that multiply out', () => {
  const doc = docFromCells([
    [[40, 'Pos Art.'], [130, 'Beschreibung'], [330, 'Menge'], [400, 'Einzelpreis'], [500, 'Betrag']],
    [[40, '1 DP-8287'], [130, 'Wartungsvertrag'], [330, '2 Stk.'], [400, '198,11'], [500, '396,22']],
    [[40, '2'], [130, 'Beratung 40 h Paket'], [330, '1'], [400, '80,44'], [500, '80,44']],
    [[40, 'Nettobetrag'], [500, '476,66']],
  ]);
  const items = rows(doc);
  assert.deepEqual(items.map((i) => [i.description, i.quantity, i.unit, i.unitPrice, i.amount, i.productCode]), [
    ['Wartungsvertrag', '2.00', 'Stk.', '198.11', '396.22', 'DP-8287'],
    ['Beratung 40 h Paket', '1.00', null, '80.44', '80.44', null],
  ]);
});

test('the header says which column is the quantity when the price comes first', () => {
  const doc = docFromCells([
    [[40, 'Beschreibung'], [240, 'Nettopreis'], [330, 'Menge'], [500, 'Betrag']],
    [[40, 'Trennblätter A4'], [240, '9,9000'], [330, '20,0000'], [500, '198,00']],
  ]);
  assert.deepEqual(brief(doc), [['Trennblätter A4', '20.0000', null, '9.9000', '198.00']]);
});

test('a table across pages: carried-forward lines, footers with IBAN and postcodes, the repeated header are no items', () => {
  const header: Array<[number, string]> = [[40, 'Nr. Artikel'], [330, 'Aantal'], [420, 'Prijs'], [500, 'Subtotaal']];
  const footer: Array<Array<[number, string]>> = [[[40, 'Voorbeeld B.V.'], [300, 'IBAN NL91 ABNA 0417 1643 00']], [[40, '8992 ES Schootdijk'], [300, 'KvK 37132223']], [[480, 'Pagina 1 van 2']]];
  const doc = pagesOf([
    [header, [[40, '1 Onderhoud website'], [330, '10'], [420, '€22,49'], [500, '€224,90']], [[40, 'Over te brengen'], [500, '€224,90']], ...footer],
    [[[40, 'Van vorige pagina'], [500, '€224,90']], header, [[40, '2 Netwerkkabel Cat6 5 m'], [330, '6'], [420, '€309,77'], [500, '€1.858,62']],
      [[300, 'Subtotaal'], [500, '€2.083,52']], ...footer],
  ]);
  assert.deepEqual(brief(doc), [
    ['Onderhoud website', '10.00', null, '22.49', '224.90'],
    ['Netwerkkabel Cat6 5 m', '6.00', null, '309.77', '1858.62'],
  ]);
});

test('a till receipt without a header: one-amount lines and a quantity line under its description', () => {
  const doc = docFromCells([
    [[20, 'SUPERMART'], [120, '12.02.2024']],
    [[20, 'PASTA 500G'], [150, '2.29']],
    [[20, 'BIN BAGS']],
    [[20, '2 x 20.68'], [150, '41.36']],
    [[20, 'SUBTOTAL'], [150, '43.65']],
  ]);
  assert.deepEqual(brief(doc, '.'), [['PASTA 500G', '1', null, '2.29', '2.29'], ['BIN BAGS', '2.00', null, '20.68', '41.36']]);
});

test('an item discount printed as a percentage still makes the numbers fit', () => {
  const doc = docFromCells([
    [[40, 'Articolo'], [280, 'Qtà'], [340, 'Prezzo'], [420, 'Sconto'], [500, 'Importo']],
    [[40, 'Traduzione'], [280, '15'], [340, '31,79'], [420, '3%'], [500, '462,54']],
  ]);
  assert.deepEqual(brief(doc), [['Traduzione', '15.00', null, '31.79', '462.54']]);
});
