import assert from 'node:assert/strict';
import { test } from 'node:test';
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
