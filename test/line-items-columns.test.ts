import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { layoutText, type DocumentText, type RawWord } from '../src/core/document-text.js';
import { readLineItems } from '../src/extract/line-items.js';
import { pageLines } from '../src/extract/record/page-lines.js';
import { docFromCells } from './extract-fixtures.js';

/** Generic table phenomena (constructed layouts, 6pt per character): description, quantity, unit price, amount. */
const brief = (cells: Array<Array<[number, string]>>, mark: ',' | '.' = ',') =>
  readLineItems(pageLines(docFromCells(cells)).lines, mark).map((r) => [r.item.description, num(r.item.quantity), num(r.item.unitPrice), num(r.item.amount)]);
const num = (v: string | null) => (v === null ? null : Number(v));
/** A cell right-aligned at x. */
const right = (x: number, text: string): [number, string] => [x - 6 * text.length, text];

test('column titles wrapped onto a second line are the header, not a total ("Preis" / "netto", "Line" / "Total")', () => {
  assert.deepEqual(brief([
    [[40, 'Beschreibung'], right(260, 'Menge'), right(350, 'Preis'), right(450, 'Gesamt-')],
    [right(350, 'netto'), right(450, 'preis')],
    [[40, 'Gewindeschraube M8'], right(260, '10'), right(350, '0,45'), right(450, '4,50')],
    [[40, 'Unterlegscheibe'], right(260, '20'), right(350, '0,10'), right(450, '2,00')],
    [[300, 'Nettobetrag'], right(450, '6,50')],
  ]), [['Gewindeschraube M8', 10, 0.45, 4.5], ['Unterlegscheibe', 20, 0.1, 2]]);
  assert.deepEqual(brief([
    [[40, 'Item'], right(260, 'Qty'), right(350, 'Price'), right(450, 'Line')],
    [right(450, 'Total')],
    [[40, 'Travel adapter'], right(260, '3'), right(350, '12.00'), right(450, '36.00')],
    [[300, 'Subtotal'], right(450, '36.00')],
  ], '.'), [['Travel adapter', 3, 12, 36]]);
});

test('columns printed after the amount (its tax, the gross amount, the rate as money): the amount is what quantity x price makes', () => {
  assert.deepEqual(brief([
    [[40, 'Description'], right(220, 'Qty'), right(300, 'Price'), right(380, 'Net'), right(450, 'VAT'), right(530, 'Gross')],
    [[40, 'Desk lamp'], right(220, '2'), right(300, '24.50'), right(380, '49.00'), right(450, '9.31'), right(530, '58.31')],
    [[40, 'Paper A4'], right(220, '10'), right(300, '4.20'), right(380, '42.00'), right(450, '7.98'), right(530, '49.98')],
    [[300, 'Subtotal'], right(530, '91.00')],
  ], '.'), [['Desk lamp', 2, 24.5, 49], ['Paper A4', 10, 4.2, 42]]);
  assert.deepEqual(brief([
    [[40, 'Bezeichnung'], right(220, 'Menge'), right(300, 'Preis'), right(380, 'Betrag'), right(450, 'MwSt')],
    [[40, 'Wartung'], right(220, '3'), right(300, '80,00'), right(380, '240,00'), right(450, '19,00')],
    [[300, 'Nettobetrag'], right(450, '240,00')],
  ]), [['Wartung', 3, 80, 240]]);
});

/** A page from strings placed at [x, y] (top of a 10pt word), in the reader's order: each string is one reader line. */
function placed(strings: Array<[number, number, string]>): DocumentText {
  const words: RawWord[] = [];
  strings.forEach(([x0, y, text], line) => {
    let x = x0;
    for (const part of text.split(/(\s+)/)) {
      if (/^\s+$/.test(part)) { x += 6 * part.length; continue; }
      if (part) words.push({ text: part, bbox: [x, y, x + 6 * part.length, y + 10], confidence: 1, line });
      x += 6 * part.length;
    }
  });
  const { pages, text } = layoutText([{ number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  return { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
}
const itemsOf = (doc: DocumentText, mark: ',' | '.' = ',') => readLineItems(pageLines(doc).lines, mark).map((r) => [r.item.description, num(r.item.quantity), num(r.item.unitPrice), num(r.item.amount)]);

test('a table read column by column (its descriptions wrap): wrapped lines go back under their row, by position on the page', () => {
  // the reader's order: the description column top to bottom, then the number columns' lines
  const doc = placed([
    [40, 100, 'Beschreibung'],
    [40, 114, 'Gewindeschraube M8'],
    [40, 125, 'verzinkt, DIN 933'],
    [40, 140, 'Unterlegscheibe'],
    [40, 151, 'Edelstahl A2'],
    [300, 100, 'Menge'], [360, 100, 'Einzelpreis'], [460, 100, 'Gesamt'],
    [300, 114, '10'], [360, 114, '0,45'], [460, 114, '4,50'],
    [300, 140, '20'], [360, 140, '0,10'], [460, 140, '2,00'],
    [360, 170, 'Nettobetrag'], [460, 170, '6,50'],
  ]);
  assert.deepEqual(itemsOf(doc), [['Gewindeschraube M8 verzinkt, DIN 933', 10, 0.45, 4.5], ['Unterlegscheibe Edelstahl A2', 20, 0.1, 2]]);
});

/** A table of rows with description lines at 11pt pitch, the numbers beside line `at(n)` of each n-line row (fractions: between lines). */
function alignedTable(rows: Array<[string[], string, string, string]>, at: (n: number) => number, pad: number): DocumentText {
  const strings: Array<[number, number, string]> = [[40, 100, 'Beschreibung'], [300, 100, 'Menge'], [360, 100, 'Einzelpreis'], [460, 100, 'Gesamt']];
  let y = 115;
  for (const [lines, q, p, a] of rows) {
    lines.forEach((t, k) => strings.push([40, y + 11 * k, t]));
    const ny = y + 11 * at(lines.length);
    strings.push([300, ny, q], [360, ny, p], [460, ny, a]);
    y += 11 * lines.length + pad;
  }
  strings.push([360, y + 10, 'Nettobetrag'], [460, y + 10, '999,99']);
  return placed(strings);
}
const ROWS: Array<[string[], string, string, string]> = [
  [['Gewindeschraube M8', 'verzinkt', 'DIN 933'], '10', '0,45', '4,50'],
  [['Unterlegscheibe', 'Edelstahl A2'], '20', '0,10', '2,00'],
  [['Sechskantmutter M8'], '10', '0,12', '1,20'],
  [['Dübel 8 mm', 'Nylon'], '5', '0,30', '1,50'],
];
const WANT = [['Gewindeschraube M8 verzinkt DIN 933', 10, 0.45, 4.5], ['Unterlegscheibe Edelstahl A2', 20, 0.1, 2], ['Sechskantmutter M8', 10, 0.12, 1.2], ['Dübel 8 mm Nylon', 5, 0.3, 1.5]];

test('numbers centred on their rows (an HTML table\'s cells): the description lines over and under them are the row\'s', () => {
  assert.deepEqual(itemsOf(alignedTable(ROWS, (n) => (n - 1) / 2, 0)), WANT);
  assert.deepEqual(itemsOf(alignedTable(ROWS, (n) => (n - 1) / 2, 4)), WANT);
});

test('numbers on their rows\' last line, rows parted by padding: the lines over the numbers open the row', () => {
  assert.deepEqual(itemsOf(alignedTable(ROWS, (n) => n - 1, 4)), WANT);
});

test('numbers on the first line stay read as before (continuation lines under them), padded or not', () => {
  assert.deepEqual(itemsOf(alignedTable(ROWS, () => 0, 0)), WANT);
  assert.deepEqual(itemsOf(alignedTable(ROWS, () => 0, 4)), WANT);
});

test('a row\'s numbers set in a larger font on the text\'s baseline are one row with it', () => {
  const words: RawWord[] = [];
  const put = (x: number, bottom: number, size: number, text: string, line: number) => {
    let at = x;
    for (const part of text.split(' ')) { words.push({ text: part, bbox: [at, bottom - size, at + 0.55 * size * part.length, bottom], confidence: 1, line }); at += 0.55 * size * (part.length + 1); }
  };
  // the reader kept the description and the numbers apart (their heights differ by more than a quarter)
  put(40, 110, 9, 'Description', 0); put(300, 110, 9, 'Qty', 0); put(360, 110, 9, 'Price', 0); put(460, 110, 9, 'Amount', 0);
  put(40, 125, 9, 'Desk lamp', 1); put(300, 125, 13, '2', 2); put(360, 125, 13, '24.50', 2); put(460, 125, 13, '49.00', 2);
  put(40, 140, 9, 'Paper A4', 3); put(300, 140, 13, '10', 4); put(360, 140, 13, '4.20', 4); put(460, 140, 13, '42.00', 4);
  put(360, 160, 9, 'Subtotal', 5); put(460, 160, 9, '91.00', 5);
  const { pages, text } = layoutText([{ number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  const doc: DocumentText = { source: { file: 'f.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
  assert.deepEqual(itemsOf(doc, '.'), [['Desk lamp', 2, 24.5, 49], ['Paper A4', 10, 4.2, 42]]);
});

test('the quantity and unit price printed under a row that states its amount are that row\'s ("1,5 x 162,42" under "Beratung  243,63")', () => {
  assert.deepEqual(brief([
    [[40, 'Leistung'], right(260, 'Menge'), right(350, 'Preis'), right(450, 'Betrag')],
    [[40, 'Beratung vor Ort'], right(450, '243,63')],
    [[52, '1,5 x 162,42']],
    [[40, 'Anfahrt'], right(450, '30,00')],
    [[52, '2 Stk x 15,00']],
    [[300, 'Nettobetrag'], right(450, '273,63')],
  ]), [['Beratung vor Ort', 1.5, 162.42, 243.63], ['Anfahrt', 2, 15, 30]]);
});

test('a quantity printed with its unit in one word ("5kg", "3m²", "20Stk", "2x") is the quantity, its letters the unit', () => {
  const rows = readLineItems(pageLines(docFromCells([
    [[40, 'Beschreibung'], right(260, 'Menge'), right(350, 'Preis'), right(450, 'Betrag')],
    [[40, 'Kupferdraht'], right(260, '5kg'), right(350, '10,00'), right(450, '50,00')],
    [[40, 'Kunstrasen'], right(260, '3m²'), right(350, '4,00'), right(450, '12,00')],
    [[40, 'Montage'], right(260, '1,5h'), right(350, '60,00'), right(450, '90,00')],
    [[40, 'Anfahrt'], right(260, '2x'), right(350, '15,00'), right(450, '30,00')],
    [[300, 'Nettobetrag'], right(450, '182,00')],
  ])).lines, ',').map((r) => [r.item.description, num(r.item.quantity), r.item.unit, num(r.item.unitPrice), num(r.item.amount)]);
  assert.deepEqual(rows, [['Kupferdraht', 5, 'kg', 10, 50], ['Kunstrasen', 3, 'm²', 4, 12], ['Montage', 1.5, 'h', 60, 90], ['Anfahrt', 2, null, 15, 30]]);
});

test('an amount in a cell of its own that a row stating only its amount does not use is no part of the description', () => {
  assert.deepEqual(brief([
    [[40, 'Beschreibung'], right(350, 'Preis'), right(450, 'Betrag')],
    [[40, 'Pauschale Einrichtung'], right(350, '10,00'), right(450, '50,00')],
    [[300, 'Nettobetrag'], right(450, '50,00')],
  ]).map((r) => r[0]), ['Pauschale Einrichtung']);
});

test('a discount column printing the amount taken off: quantity x price less the discount is the amount', () => {
  assert.deepEqual(brief([
    [[40, 'Description'], right(220, 'Qty'), right(300, 'Price'), right(380, 'Discount'), right(450, 'Net'), right(530, 'VAT')],
    [[40, 'Office chair'], right(220, '2'), right(300, '150.00'), right(380, '-30.00'), right(450, '270.00'), right(530, '51.30')],
    [[40, 'Desk'], right(220, '1'), right(300, '320.00'), right(450, '320.00'), right(530, '60.80')],
    [[300, 'Subtotal'], right(530, '590.00')],
  ], '.'), [['Office chair', 2, 150, 270], ['Desk', 1, 320, 320]]);
});

test('a note right over the first row ("All amounts in EUR") stays out of its description when no later row shows lower-set numbers', () => {
  const doc = placed([
    [40, 100, 'Description'], [300, 100, 'Qty'], [360, 100, 'Price'], [460, 100, 'Amount'],
    [40, 111, 'All amounts in EUR'],
    [40, 122, 'Bananas'], [300, 122, '1'], [360, 122, '14.57'], [460, 122, '14.57'],
    [40, 133, 'Apples'], [300, 133, '2'], [360, 133, '3.00'], [460, 133, '6.00'],
    [360, 150, 'Subtotal'], [460, 150, '20.57'],
  ]);
  assert.deepEqual(itemsOf(doc, '.'), [['Bananas', 1, 14.57, 14.57], ['Apples', 2, 3, 6]]);
});
