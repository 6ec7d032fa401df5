import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawWord } from '../src/core/document-text.js';
import { withoutSpecks } from '../src/document/ocr-words.js';

// Words of a receipt-like page: 60 px text, three lines, with the noise tesseract reads off a scan.
const word = (text: string, x0: number, y0: number, x1: number, y1: number, line: number, confidence = 0.9): RawWord => ({ text, bbox: [x0, y0, x1, y1], confidence, line });
const page = (): RawWord[] => [
  word('TAMAN', 1800, 1770, 2060, 1830, 0), word('SKUDAI', 2090, 1770, 2350, 1830, 0), word('BARU,', 2380, 1770, 2600, 1832, 0),
  word('81300', 1950, 1870, 2150, 1930, 1), word('SKUDAI,', 2180, 1870, 2460, 1932, 1),
  word('a', 4530, 1908, 4570, 1950, 1, 0), // a mark at the receipt's edge, read as a guess
  word('JOHOR', 2080, 1965, 2330, 2028, 2), word(':', 3937, 2003, 3943, 2008, 2, 0.5), // a speck of dust
  word('ee', 1386, 2262, 1740, 2271, 3, 0), // a dotted rule read as letters
  word('TOTAL', 1380, 2300, 1600, 2360, 4), word('-', 1700, 2326, 1740, 2334, 4, 0.9), word('12.00', 1800, 2300, 2000, 2362, 4),
  word('.', 2010, 2350, 2018, 2358, 4, 0.1), word('x', 2040, 2300, 2080, 2360, 4, 0.1),
];

test('scanning noise goes: specks, rules read as letters, guessed marks far from their line', () => {
  const kept = withoutSpecks(page()).map((w) => w.text);
  assert.deepEqual(kept, ['TAMAN', 'SKUDAI', 'BARU,', '81300', 'SKUDAI,', 'JOHOR', 'TOTAL', '-', '12.00', 'x']);
});

test('printed text stays: a dash is wide, a guessed word beside its neighbours keeps its place', () => {
  const kept = withoutSpecks(page());
  assert.ok(kept.some((w) => w.text === '-'), 'a minus sign is thin but as wide as a letter');
  assert.ok(kept.some((w) => w.text === 'x'), 'a guess next to the amount is part of the line');
});

test('pages with too few words to know their text height are returned as they are', () => {
  const few = [word(':', 0, 0, 2, 2, 0), word('AB', 10, 0, 50, 40, 0)];
  assert.deepEqual(withoutSpecks(few), few);
});
