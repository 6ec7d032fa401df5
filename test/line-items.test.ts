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

test('a header by its structure (unlisted column words) over rows that multiply out; the items\' subtotal under any name ends the table', () => {
  const doc = docFromCells([
    [[40, '#'], [60, 'Particulars'], [330, 'Units'], [400, 'Unit Cost'], [500, 'Value']],
    [[40, '1'], [60, 'Steel bracket'], [330, '19 m'], [400, '1.46'], [500, '27.74']],
    [[40, '2'], [60, 'Bottled water'], [330, '10'], [400, '11.90'], [500, '119.00']],
    [[300, 'Goods value'], [500, '146.74']],
    [[300, 'Delivery'], [500, '12.00']],
    [[300, 'Grand Tot.'], [500, '158.74']],
  ]);
  assert.deepEqual(brief(doc, '.'), [['Steel bracket', '19.00', 'm', '1.46', '27.74'], ['Bottled water', '10.00', null, '11.90', '119.00']]);
  // a single item: a following row with only the same amount is its subtotal
  const one = docFromCells([
    [[60, 'Particulars'], [330, 'Hrs'], [400, 'Cost'], [500, 'Value']],
    [[60, 'Design work'], [330, '2'], [400, '50.00'], [500, '100.00']],
    [[300, 'Subtot.'], [500, '100.00']],
  ]);
  assert.deepEqual(brief(one, '.'), [['Design work', '2.00', null, '50.00', '100.00']]);
  // digit-free rows that stand over no multiplying row are no header (an address block, a tax table)
  const none = docFromCells([
    [[40, 'Seller'], [200, 'Buyer'], [400, 'Delivery']],
    [[40, 'Nordlicht'], [200, 'Weber'], [400, 'Hamburg']],
    [[300, 'Rate'], [400, 'Net'], [500, 'Tax']],
    [[300, '20%'], [400, '100.00'], [500, '20.00']],
  ]);
  assert.deepEqual(brief(none, '.'), []);
});

test('equal quantity and row number: the quantity is the one next to the price; an abbreviated quantity header counts', () => {
  const doc = docFromCells([
    [[40, 'Regel'], [80, 'Beschrijving'], [330, 'Aant.'], [400, 'Prijs'], [500, 'Subtotaal']],
    [[40, '1'], [80, 'Onderhoud website'], [330, '1'], [400, '94,97'], [500, '94,97']],
    [[40, '2'], [80, 'Hosting'], [330, '2 m'], [400, '5,00'], [500, '10,00']],
    [[300, 'Totaal'], [500, '104,97']],
  ]);
  assert.deepEqual(brief(doc), [['Onderhoud website', '1.00', null, '94.97', '94.97'], ['Hosting', '2.00', 'm', '5.00', '10.00']]);
});

test('amounts: two marked amounts run together in a cell, negatives in parentheses around the marker, never an IBAN\'s digits', () => {
  const doc = docFromCells([
    [[40, 'Description'], [300, 'Qty'], [360, 'Price'], [470, 'Amount']],
    [[40, 'Tonerkartusche schwarz'], [300, "8 Psch. -CHF 3'998.96 -CHF 31'991.68"]],
    [[40, 'Safety gloves'], [300, '287'], [360, '(£3.53)'], [470, '(£1,013.11)']],
    [],
    [[40, 'Suite 731'], [200, 'GB42 IPRM 1063 5689 0200 08']],
    [[300, 'Total'], [470, '33,004.79']],
  ]);
  assert.deepEqual(brief(doc, '.'), [['Tonerkartusche schwarz', '8.00', 'Psch.', '-3998.96', '-31991.68'], ['Safety gloves', '287.00', null, '-3.53', '-1013.11']]);
});

test('a description continued in its column under codes and GTINs; a correction\'s negative quantity; a description line over its numbers only from right above', () => {
  const doc = docFromCells([
    [[40, 'Pos'], [80, 'Beschreibung'], [300, 'Nettopreis'], [380, 'Menge'], [500, 'Betrag']],
    [[40, '1'], [80, 'Kunstrasen'], [300, '3,3333'], [380, '3 m²'], [500, '10,00']],
    [[50, 'KR3M'], [80, 'grün 3m']],
    [[50, '4012345001235'], [140, 'breit']],
    [[50, '(GLN)']],
    [[100, 'Bruttopreis : 4,0000']],
    [[40, '2'], [80, 'Zitronensäure 100ml'], [300, '1,0000'], [380, '-5 Stk'], [500, '-5,00']],
    [[300, 'Summe'], [500, '5,00']],
  ]);
  const items = rows(doc);
  assert.deepEqual(items.map((i) => [i.description, i.quantity, i.unitPrice, i.amount, i.productCode]), [
    ['Kunstrasen grün 3m breit', '3.00', '3.3333', '10.00', 'KR3M'],
    ['Zitronensäure 100ml', '-5.00', '1.0000', '-5.00', null],
  ]);
});

test('allowance, charge and tax lines among the rows are the document\'s, not items, unless they multiply out; grouped 4-decimal prices read', () => {
  const doc = docFromCells([
    [[40, 'Pos'], [80, 'Beschreibung'], [300, 'Nettopreis'], [380, 'Menge'], [500, 'Betrag']],
    [[40, '1'], [80, 'Abrechnungskreis 1'], [300, '15.387,0800'], [380, '1 Stk'], [500, '15.387,08']],
    [[40, 'Abschlag'], [80, 'Sondernachlass'], [300, '10,00'], [500, '-1,00']],
    [[40, 'Zuschlag'], [80, 'Versandkosten'], [500, '5,80']],
    [[40, 'Umsatzsteuer (S)'], [300, '15.391,88'], [380, '19'], [500, '2.924,46']],
    [[300, 'Rechnungsbetrag'], [500, '18.316,34']],
  ]);
  assert.deepEqual(brief(doc), [['Abrechnungskreis 1', '1.00', 'Stk', '15387.0800', '15387.08']]);
});

test('codes-only rows take their description from under them; a two-line header over a note; a day-and-month date is no amount', () => {
  const doc = docFromCells([
    [[40, 'GTIN'], [112, 'Art-Nr-Lieferant'], [240, 'Menge'], [300, 'VKE'], [360, 'Nettopreis'], [500, 'Nettowert']],
    [[40, 'Art-Nr-Kunde'], [112, 'Artikelbezeichnung']],
    [[40, 'Wichtige Information: Lieferung bis zum 19.12. garantiert.']],
    [[40, '4123456000014'], [112, 'ZS997'], [240, '100,0000 Stk.'], [300, '1'], [360, '1,0000'], [500, '100,00']],
    [[112, 'Zitronensäure 100ml']],
    [[112, 'Verpackung : Flasche']],
    [[112, 'Lieferung in 4 Kartons']],
    [[40, '4123456000021'], [112, 'GZ250'], [240, '50,0000 Stk.'], [300, '1'], [360, '1,4500'], [500, '72,50']],
    [[112, 'Gelierzucker Extra 250g']],
    [[300, 'Warenwert'], [500, '172,50']],
  ]);
  assert.deepEqual(rows(doc).map((i) => [i.description, i.quantity, i.unitPrice, i.amount, i.productCode]), [
    ['Zitronensäure 100ml', '100.0000', '1.0000', '100.00', 'ZS997'],
    ['Gelierzucker Extra 250g', '50.0000', '1.4500', '72.50', 'GZ250'],
  ]);
});

test('text printed up the margin and read into the rows stays out of them; a labelled GTIN leaves the description', () => {
  // a turned word: as narrow as one glyph, as tall as its letters
  const words: RawWord[] = [];
  const put = (line: number, x: number, text: string, w = 6 * text.length, h = 10) => words.push({ text, bbox: [x, 40 + line * 14, x + w, 40 + line * 14 + h], confidence: 1, line });
  ['Pos', 'Artikel', 'Menge', 'Preis', 'Betrag'].forEach((t, k) => put(0, [46, 90, 300, 380, 500][k]!, t));
  put(1, 20, 'AWV', 5, 12); put(1, 46, '1'); put(1, 90, 'Trennblätter'); put(1, 170, 'GTIN:'); put(1, 205, '4012345001235'); put(1, 300, '20'); put(1, 380, '9,90'); put(1, 500, '198,00');
  put(2, 300, 'Summe'); put(2, 500, '198,00');
  words.sort((a, b) => a.line - b.line || a.bbox[0] - b.bbox[0]);
  const { pages, text } = layoutText([{ number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  const doc: DocumentText = { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
  assert.deepEqual(brief(doc), [['Trennblätter', '20.00', null, '9.90', '198.00']]);
});

test('the header names quantity and price when they do not multiply out (a gross amount); a hyphen-broken word rejoins; a label is no continuation', () => {
  const doc = docFromCells([
    [[40, 'Pos'], [80, 'Beschreibung'], [300, 'Nettopreis'], [380, 'Menge'], [500, 'Betrag']],
    [[40, '1'], [80, 'Kfz-'], [300, '67,2244'], [380, '1 Stk'], [500, '80,00']],
    [[80, 'Haftpflicht']],
    [[80, 'SF25 (30 %)']],
    [[80, 'Preisbasis:'], [200, '1 Stk']],
    [[300, 'Summe'], [500, '80,00']],
  ]);
  assert.deepEqual(brief(doc), [['Kfz-Haftpflicht SF25 (30 %)', '1.00', 'Stk', '67.2244', '80.00']]);
});

test('bank and contact details in a column beside the table stay out of the rows; a description that names a payment word stays', () => {
  const doc = docFromCells([
    [[40, 'Bank details'], [220, 'Description'], [330, 'Qty'], [400, 'Price'], [500, 'Amount']],
    [[40, '1253 4777 5153'], [220, 'Cleaning service'], [330, '18 pcs'], [400, '13.18'], [500, '237.24']],
    [[40, 'SWIFT FUHEMYKL'], [220, 'Safety gloves (pair)'], [330, '1'], [400, '329.17'], [500, '329.17']],
    [[40, 'IT71I967300400576984I509R64'], [220, 'Toner black'], [330, '2'], [400, '20.80'], [500, '41.60']],
    [[220, 'Bank transfer fee'], [330, '1'], [400, '5.00'], [500, '5.00']],
    [[40, 'Subtotal'], [500, '613.01']],
  ]);
  assert.deepEqual(rows(doc, '.').map((i) => [i.description, i.quantity, i.unitPrice, i.amount, i.productCode]), [
    ['Cleaning service', '18.00', '13.18', '237.24', null],
    ['Safety gloves (pair)', '1.00', '329.17', '329.17', null],
    ['Toner black', '2.00', '20.80', '41.60', null],
    ['Bank transfer fee', '1.00', '5.00', '5.00', null],
  ]);
});

test('rows the reader put on one line (wrapped descriptions, rows glued by margin text) are read one visual row at a time', () => {
  const words: RawWord[] = [];
  const put = (line: number, y: number, x: number, text: string, w = 6 * text.length, h = 9) => words.push({ text, bbox: [x, y, x + w, y + h], confidence: 1, line });
  ['GTIN', 'Art-Nr', 'Menge', 'Nettopreis', 'Betrag'].forEach((t, k) => put(0, 40, [40, 130, 300, 380, 500][k]!, t));
  put(0, 52, 130, 'Artikelbezeichnung');
  // one line of the reader: the codes row, its description under it, a packing note; margin text turned on its side beside them
  put(1, 70, 14, 'Copyright', 6, 40);
  put(1, 70, 40, '4123456000021'); put(1, 70, 130, 'GZ250'); put(1, 70, 300, '-2,0000'); put(1, 70, 380, '1,4500'); put(1, 70, 500, '-2,90');
  put(1, 79, 130, 'Gelierzucker'); put(1, 79, 210, 'Extra'); put(1, 79, 245, '250g');
  put(1, 88, 130, 'Verpackung:'); put(1, 88, 205, 'Karton');
  // digit codes only (a GTIN and an article number), the description under them with a number of its own
  put(2, 104, 40, '4260331811362'); put(2, 104, 130, '2031'); put(2, 104, 300, '27,5000'); put(2, 104, 380, '10,5000'); put(2, 104, 500, '288,75');
  put(3, 113, 40, 'K6521'); put(3, 113, 130, 'Kommissionierer'); put(3, 113, 225, '1250032'); put(3, 113, 275, 'D.'); put(3, 113, 290, 'Muster');
  put(4, 140, 300, 'Summe'); put(4, 140, 500, '285,85');
  words.sort((a, b) => a.line - b.line || a.bbox[0] - b.bbox[0]);
  const { pages, text } = layoutText([{ number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  const doc: DocumentText = { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
  assert.deepEqual(rows(doc).map((i) => [i.description, i.quantity, i.unitPrice, i.amount, i.productCode]), [
    ['Gelierzucker Extra 250g', '-2.0000', '1.4500', '-2.90', 'GZ250'],
    ['Kommissionierer 1250032 D. Muster', '27.5000', '10.5000', '288.75', '2031'],
  ]);
});

test('a letter without a table header: the amounts above a tax line named by a compound (Versicherungsteuer) are the items', () => {
  const doc = docFromCells([
    [[70, 'Beitragsrechnung'], [420, '24. Januar 2014']],
    [[70, 'Folgende Risiken sind versichert:']],
    [[70, 'Privathaftpflicht'], [295, '50,00 €']],
    [[70, 'Lebensgefährte/in zur Privathaftpflicht'], [300, '0,00 €']],
    [[70, 'Gesamtbeitrag'], [295, '50,00 €']],
    [[70, 'Versicherungsteuer 19 %'], [300, '9,50 €']],
    [[70, 'Rechnungsbeitrag'], [295, '59,50 €']],
  ]);
  assert.deepEqual(brief(doc), [['Privathaftpflicht', '1', null, '50.00', '50.00'], ['Lebensgefährte/in zur Privathaftpflicht', '1', null, '0.00', '0.00']]);
});

test('a description wrapped in a narrow column: numbers and short text inside the column, a cut line, a word broken at its hyphen', () => {
  const doc = docFromCells([
    [[40, 'Pos'], [150, 'Beschreibung'], [330, 'Nettopreis'], [410, 'Menge'], [500, 'Betrag']],
    [[40, '1'], [150, 'Stadtfahrt'], [330, '2,0000'], [410, '6,5 Stk'], [500, '13,00']],
    [[150, '- 2,00']],
    [[150, 'Euro je']],
    [[40, '2'], [150, 'Vollkasko SF25 (30'], [330, '117,6471'], [410, '1 Stk'], [500, '117,65']],
    [[150, '%)']],
    [[150, 'Typkl. 21']],
    [[40, '3'], [150, '4-'], [330, '8,4100'], [410, '1 Stk'], [500, '8,41']],
    [[150, 'Fahrten']],
    [[150, '-Karte']],
    [[40, '4'], [150, 'Ballons: various colors,'], [330, '0,79'], [410, '400'], [500, '316,00']],
    [[150, '~2000ml']],
    [[40, '5'], [150, 'Design (hours): Of a sample'], [330, '160,00'], [410, '1'], [500, '160,00']],
    [[150, 'invoice']],
    [[330, 'Summe'], [500, '615,06']],
  ]);
  assert.deepEqual(rows(doc).map((i) => i.description), [
    'Stadtfahrt - 2,00 Euro je', 'Vollkasko SF25 (30 %) Typkl. 21', '4-Fahrten-Karte', 'Ballons: various colors, ~2000ml', 'Design (hours): Of a sample invoice',
  ]);
});

test('words under the header\'s article-number column leave the description; an amount inside a sentence is no row', () => {
  const doc = docFromCells([
    [[50, 'Pos Art-Nr-Lief.'], [160, 'Beschreibung'], [260, 'Nettopreis'], [360, 'Menge'], [500, 'Betrag']],
    [[50, '1'], [74, 'Toolbox 0815'], [166, 'Stahlcoil'], [260, '100,0000'], [360, '10 Stk'], [500, '1000,00']],
    [[50, '2'], [74, 'BR-4529-ZF'], [166, 'Stoßfänger'], [260, '100,0000'], [360, '10 Stk'], [500, '1000,00']],
    [[50, 'Zahlungsbedingungen:']],
    [[50, 'Der Betrag in Höhe von EUR 2.000,00 wird am 20.03.2018 eingezogen.']],
    [[300, 'Positionssumme'], [500, '2000,00']],
  ]);
  assert.deepEqual(rows(doc).map((i) => [i.description, i.quantity, i.unitPrice, i.amount, i.productCode]), [
    ['Stahlcoil', '10.00', '100.0000', '1000.00', null],
    ['Stoßfänger', '10.00', '100.0000', '1000.00', 'BR-4529-ZF'],
  ]);
});

test('a numbered row is an item whatever it names; a wrapped line of digits no wider than the line above continues it', () => {
  const doc = docFromCells([
    [[50, 'Pos'], [150, 'Beschreibung'], [280, 'Nettopreis'], [360, 'Menge'], [500, 'Betrag']],
    [[50, '1'], [150, 'Wirkarbeit HT'], [280, '0,0520'], [360, '10000 KWH'], [500, '520,00']],
    [[50, '2'], [150, 'Ökosteuer'], [280, '0,0205'], [360, '10000 KWH'], [500, '20,50']],
    [[50, '3'], [150, 'Kommissionierer'], [280, '10,5000'], [360, '27,5 Std'], [500, '288,75']],
    [[150, '1250032 D.']],
    [[150, 'Muster']],
    [[150, 'Abrechnung über 2 Zeiträume 2013']],
    [[300, 'Positionssumme'], [500, '829,25']],
  ]);
  assert.deepEqual(rows(doc).map((i) => [i.description, i.quantity, i.unitPrice, i.amount]), [
    ['Wirkarbeit HT', '10000.00', '0.0520', '520.00'],
    ['Ökosteuer', '10000.00', '0.0205', '20.50'],
    ['Kommissionierer 1250032 D. Muster', '27.50', '10.5000', '288.75'],
  ]);
});

test('a rate printed without its % sign under the header\'s tax column is the item\'s tax rate', () => {
  const doc = docFromCells([
    [[40, 'Bezeichnung'], [250, 'Menge'], [330, 'Nettopreis'], [420, 'MwSt-%'], [500, 'Nettowert']],
    [[40, 'Zitronensäure 100ml'], [250, '100 Stk.'], [330, '1,0000'], [425, '19,0'], [500, '100,00']],
    [[40, 'Gelierzucker Extra 250g'], [250, '50 Stk.'], [330, '1,4500'], [430, '7,0'], [500, '72,50']],
    [[300, 'Warenwert'], [500, '172,50']],
  ]);
  assert.deepEqual(rows(doc).map((i) => [i.description, i.taxRate]), [['Zitronensäure 100ml', '19'], ['Gelierzucker Extra 250g', '7']]);
});

test('under a header with a unit column, the short word in the cell after the quantity is the unit', () => {
  const doc = docFromCells([
    [[40, 'Artikelbeschreibung'], [250, 'Menge'], [300, 'Einheit'], [380, 'Preis'], [500, 'Betrag']],
    [[40, 'Pfand'], [250, '20'], [300, 'Stk.'], [380, '2,77'], [500, '55,40']],
    [[40, 'Schweinesteak'], [250, '5,000'], [300, 'kg'], [380, '5,50'], [500, '27,50']],
    [[300, 'Zwischensumme'], [500, '82,90']],
  ]);
  assert.deepEqual(brief(doc), [['Pfand', '20.00', 'Stk.', '2.77', '55.40'], ['Schweinesteak', '5.000', 'kg', '5.50', '27.50']]);
});

test('a description column the reader read apart from the numbers on the same baseline is joined to its row', () => {
  const words: RawWord[] = [];
  const put = (line: number, y: number, x: number, text: string) => words.push({ text, bbox: [x, y, x + 6 * text.length, y + 9], confidence: 1, line });
  // the reader's lines: the bank details and the description column first, then the number columns
  put(0, 40, 16, 'SWIFT'); put(0, 40, 56, 'PAVDSZA7XXX');
  put(1, 60, 180, 'Beschreibung');
  put(2, 77, 180, 'Kopierpapier'); put(2, 77, 258, 'A4'); put(2, 77, 274, '80g');
  put(3, 94, 180, 'Arbeitsstunden'); put(3, 94, 270, 'Techniker');
  put(4, 60, 360, 'Anz.'); put(4, 60, 400, 'ME'); put(4, 60, 440, 'Einzelpreis'); put(4, 60, 530, 'Gesamtpreis');
  put(5, 77, 360, '18'); put(5, 77, 400, 'Std.'); put(5, 77, 440, '33.15'); put(5, 77, 530, '596.70');
  put(6, 94, 360, '1'); put(6, 94, 400, 'm'); put(6, 94, 440, '346.24'); put(6, 94, 530, '346.24');
  put(7, 120, 440, 'Netto'); put(7, 120, 530, '942.94');
  const { pages, text } = layoutText([{ number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  const doc: DocumentText = { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
  assert.deepEqual(brief(doc, '.'), [['Kopierpapier A4 80g', '18.00', 'Std.', '33.15', '596.70'], ['Arbeitsstunden Techniker', '1.00', 'm', '346.24', '346.24']]);
});

test('a tax breakdown table under the items (rate x base = tax, also of a gross base) gives no items; a currency alone is no description', () => {
  const doc = docFromCells([
    [[60, 'Details'], [250, 'Quantity'], [330, 'Price'], [420, 'Code'], [500, 'Line Total']],
    [[60, 'Office chair ergonomic'], [250, '1'], [330, '113.60'], [420, 'AA'], [500, '113.60']],
    [[60, 'Spare parts kit'], [250, '1'], [330, '14.26'], [420, 'S'], [500, '14.26']],
    [[250, 'Code'], [330, 'GST Rate'], [420, 'Net sum'], [500, 'V.A.T.']],
    [[250, 'AA'], [330, '28%'], [420, '113.60'], [500, '31.81']],
    [[250, 'S'], [330, '20 %'], [420, '17.11'], [500, '2.85']],
    [[420, 'Subtot.'], [500, '127.86']],
  ]);
  assert.deepEqual(brief(doc, '.'), [['Office chair ergonomic', '1.00', null, '113.60', '113.60'], ['Spare parts kit', '1.00', null, '14.26', '14.26']]);
  const receipt = docFromCells([
    [[10, 'SUPERMART']],
    [[10, 'NOTEBOOK A5'], [160, '6.97 RM']],
    [[10, 'BANANAS']],
    [[21, '5 x 10.57 RM'], [160, '52.85 RM']],
    [[10, 'NET AMOUNT'], [160, '59.82 RM']],
  ]);
  assert.deepEqual(brief(receipt, '.'), [['NOTEBOOK A5', '1', null, '6.97', '6.97'], ['BANANAS', '5.00', null, '10.57', '52.85']]);
});

test('a header with bank details printed beside it in a side column is still the header', () => {
  const doc = docFromCells([
    [[16, 'ES98 5007 7497 0905 0076 0046'], [190, 'Línea Concepto'], [330, 'Cantidad'], [400, 'Precio'], [500, 'Total']],
    [[16, 'Código BIC: TPDQZMZ4'], [190, '1 Guantes de seguridad (par)'], [340, '1'], [400, '5.806,37'], [500, '5.806,37']],
    [[190, '2 Catering 20 personas'], [340, '8'], [400, '29,88'], [500, '239,04']],
    [[317, 'Suma:'], [500, '6.045,41']],
  ]);
  assert.deepEqual(brief(doc), [['Guantes de seguridad (par)', '1.00', null, '5806.37', '5806.37'], ['Catering 20 personas', '8.00', null, '29.88', '239.04']]);
});
