import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvoiceRecord } from '../src/core/invoice-record.js';
import { docFromCells } from './extract-fixtures.js';
import { completeOn } from './record-fixtures.js';

type Cells = Array<Array<[number, string]>>;
const rows = (cells: Cells, over: Partial<InvoiceRecord>) =>
  completeOn(docFromCells(cells), over).taxBreakdown.map((r) => [r.rate, r.base, r.amount, r.category]);

test('tax breakdown: a discount line whose percentage fits its amounts is no row; the rows the tax total confirms are', () => {
  const cells: Cells = [
    [[40, 'Rechnungsrabatt 2,00% Basisbetrag: 280,00'], [400, '-5,60']],
    [[40, 'Bei Zahlung innerhalb 14 Tagen 3% Skonto von 60,00'], [400, '1,80']],
    [[40, 'Nettobetrag'], [300, '321,40'], [400, '127,59']],
    [[40, 'MwSt 19%'], [300, '321,40'], [400, '61,07']],
    [[40, 'MwSt 7%'], [300, '127,59'], [400, '8,93']],
    [[40, 'Gesamtbetrag'], [400, '518,99']],
  ];
  assert.deepEqual(rows(cells, { subtotal: '448.99', tax: '70.00', total: '518.99' }), [['19', '321.40', '61.07', 'S'], ['7', '127.59', '8.93', 'S']]);
  // a tax total that no set of rows reaches refutes them all: no breakdown rather than a wrong one
  assert.deepEqual(rows(cells, { subtotal: '448.99', tax: '75.00', total: '523.99' }), []);
  // without a tax total, labelled rows whose bases sum to the net amount stand
  assert.deepEqual(rows(cells, { subtotal: '448.99', tax: null, total: null }), [['19', '321.40', '61.07', 'S'], ['7', '127.59', '8.93', 'S']]);
});

test('tax breakdown: two different sets that fit the totals equally are no breakdown', () => {
  const cells: Cells = [
    [[40, 'USt 10% von 100,00'], [400, '10,00']],
    [[40, 'Steuer 10% von 100,00'], [400, '10,00']],
  ];
  // the same row printed twice is one row
  assert.deepEqual(rows(cells, { subtotal: '100.00', tax: '10.00', total: '110.00' }), [['10', '100.00', '10.00', 'S']]);
  const ambiguous: Cells = [
    [[40, 'USt 10% von 100,00'], [400, '10,00']],
    [[40, 'USt 5% von 200,00'], [400, '10,00']],
  ];
  assert.deepEqual(rows(ambiguous, { tax: '10.00' }), []);
});

test('tax breakdown: under a tax-rate column heading the rate stands without "%"; each cell is read on its own', () => {
  const cells: Cells = [
    [[40, 'Warenwert'], [150, 'Nettobetrag'], [250, 'MwSt-Betrag MwSt-%'], [400, 'Endbetrag']],
    [[40, '-5,00'], [100, '0,15'], [150, '-4,85'], [250, '-0,92'], [330, '19,0'], [400, '-5,77']],
    [[40, '-2,85'], [100, '0,03'], [150, '-2,82'], [250, '-0,20'], [330, '7,0'], [400, '-3,02']],
  ];
  // 7% of 2,85 and of 2,82 both round to 0,20 (the first nearer 0,20 still): the base is the amount beside the tax
  assert.deepEqual(rows(cells, { tax: '-1.12', total: '-8.79' }), [['19', '4.85', '0.92', 'S'], ['7', '2.82', '0.20', 'S']]);
  // "15387,08 19 2923,55" read as one string loses the tax to a digit-group reading
  const glued: Cells = [[[40, 'Umsatzsteuer (S)'], [200, '15387,08'], [300, '19'], [400, '2923,55']]];
  assert.deepEqual(rows(glued, { subtotal: '15387.08', tax: '2923.55', total: '18310.63' }), [['19', '15387.08', '2923.55', 'S']]);
  // with no tax label on the line nor a heading above, a bare number is no rate
  const bare: Cells = [[[40, 'Warenwert'], [200, '15387,08'], [300, '19'], [400, '2923,55']]];
  assert.deepEqual(rows(bare, { subtotal: '15387.08', tax: '2923.55', total: '18310.63' }), []);
});

test('tax breakdown: several rates on one line, each with its own base and tax', () => {
  const cells: Cells = [[[40, 'Steuerbasisbetrag USt. 7% 19%'], [250, '275,00 198,00 473,00 19,25 37,62']]];
  assert.deepEqual(rows(cells, { subtotal: '473.00', tax: '56.87', total: '529.87' }), [['7', '275.00', '19.25', 'S'], ['19', '198.00', '37.62', 'S']]);
});

test('tax breakdown: a zero rate needs bases that sum to the net amount; its category from an exemption phrase around it', () => {
  const cells: Cells = [
    [[40, 'Art (Kategorie)'], [250, 'Basisbetrag'], [350, 'USt. %'], [450, 'Steuerbetrag']],
    [[40, 'Umsatzsteuerbefreit nach §4'], [250, '220,00'], [350, '0'], [450, '0,00']],
  ];
  assert.deepEqual(rows(cells, { subtotal: '220.00', tax: '0.00', total: '220.00' }), [['0', '220.00', '0.00', 'E']]);
  assert.deepEqual(rows(cells, { subtotal: '300.00', tax: '0.00', total: '300.00' }), []);
  // the reason printed under the row
  const below: Cells = [
    [[40, 'Art'], [200, 'Basisbetrag'], [300, 'USt. %'], [400, 'Steuerbetrag']],
    [[40, 'Steuer bei'], [200, '2000,00'], [300, '0'], [400, '0,00']],
    [[40, 'innergemeinschaftlichen Lieferungen']],
  ];
  assert.deepEqual(rows(below, { subtotal: '2000.00', tax: '0.00', total: '2000.00' }), [['0', '2000.00', '0.00', 'K']]);
});

test('tax breakdown: a tax line that prints only the tax takes its base from the items at its rate (net or gross prices)', () => {
  const net: Cells = [
    [[40, 'Beschreibung'], [200, 'Menge'], [260, 'Preis'], [330, 'IVA'], [400, 'Importo']],
    [[40, 'Installazione'], [200, '2'], [260, '100,00'], [330, '10%'], [400, '200,00']],
    [[40, 'Manutenzione'], [200, '3'], [260, '50,00'], [330, '4%'], [400, '150,00']],
    [[40, 'Totale Merce'], [400, '350,00']],
    [[40, 'Importo IVA 10%'], [400, '20,00']],
    [[40, 'Importo IVA 4%'], [400, '6,00']],
    [[40, 'Totale'], [400, '376,00']],
  ];
  assert.deepEqual(rows(net, { subtotal: '350.00', tax: '26.00', total: '376.00' }), [['10', '200.00', '20.00', 'S'], ['4', '150.00', '6.00', 'S']]);
  const gross: Cells = [
    [[40, 'Details'], [200, 'Qty'], [260, 'Rate'], [330, 'Tax %'], [400, 'Amount']],
    [[40, 'Laptop stand'], [200, '2'], [260, '64.00'], [330, '28%'], [400, '128.00']],
    [[40, 'Courier'], [200, '1'], [260, '118.00'], [330, '18%'], [400, '118.00']],
    [[40, 'Gross Total'], [400, '246.00']],
    [[40, 'incl. GST 28%'], [400, '28.00']],
    [[40, 'incl. GST 18%'], [400, '18.00']],
  ];
  assert.deepEqual(rows(gross, { subtotal: '200.00', tax: '46.00', total: '246.00' }), [['28', '100.00', '28.00', 'S'], ['18', '100.00', '18.00', 'S']]);
});
