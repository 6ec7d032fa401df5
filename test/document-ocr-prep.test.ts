import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { DEFAULT_OCR_TUNING, estimateTextHeight, ocrGray, textScale } from '../src/document/ocr-image.js';
import { turnGray } from '../src/document/ocr-orientation.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import * as fx from '../src/document/testing/fixtures.js';
import { foundVerbatim, wordAccuracy, wordRecall } from '../src/document/testing/word-accuracy.js';

// The scan page's text is 12-16 pt Helvetica; rendered at 150 and 300 dpi its characters are about
// 2x apart in pixels. One OCR pool, small pages.
const config = loadConfig({ env: {}, overrides: { ocr: { workers: 1 } } });
const scans: Record<number, { gray: Uint8Array; width: number; height: number; words: fx.KnownWord[] }> = {};
before(async () => {
  for (const dpi of [100, 150, 300]) {
    const s = await fx.makeScanPng(dpi);
    scans[dpi] = { ...(await fx.toGray(s.png)), words: s.words };
  }
});
after(() => closeOcrPool());

describe('OCR preparation', () => {
  test('text height is estimated from the characters, in proportion to the resolution', () => {
    const h150 = estimateTextHeight(scans[150]!.gray, scans[150]!.width, scans[150]!.height)!;
    const h300 = estimateTextHeight(scans[300]!.gray, scans[300]!.width, scans[300]!.height)!;
    // 12 pt at 300 dpi: cap height (0.718 em) is 36 px, x-height (0.523 em) 26 px
    assert.ok(h300 >= 20 && h300 <= 45, `300 dpi: ${h300} px`);
    assert.ok(Math.abs(h300 / h150 - 2) < 0.35, `300 vs 150 dpi: ${h300} / ${h150}`);
  });

  test('a blank page has no text height, and no scaling', () => {
    const blank = new Uint8Array(400 * 300).fill(255);
    assert.equal(estimateTextHeight(blank, 400, 300), null);
    assert.equal(textScale(blank, 400, 300, 32, 1e9), 1);
  });

  test('the scale factor is clamped and never exceeds the pixel limit', () => {
    const s = scans[100]!;
    assert.equal(textScale(s.gray, s.width, s.height, 0, 1e9), 1, 'off');
    const up = textScale(s.gray, s.width, s.height, 1000, 1e9);
    assert.equal(up, 4, 'clamped at 4x');
    const limited = textScale(s.gray, s.width, s.height, 1000, s.width * s.height * 2);
    assert.ok(Math.abs(limited - Math.SQRT2) < 1e-9, `pixel limit: ${limited}`);
    assert.ok(textScale(s.gray, s.width, s.height, 1, 1e9) === 0.25, 'clamped at 1/4');
    const bounded = textScale(s.gray, s.width, s.height, 1000, 1e9, s.width * s.height * 4);
    assert.ok(Math.abs(bounded - 2) < 1e-9, `enlarging bounded by maxUpscalePixels: ${bounded}`);
    assert.equal(textScale(s.gray, s.width, s.height, 1000, 1e9, 10), 1, 'a page over the bound is not enlarged');
    assert.equal(textScale(s.gray, s.width, s.height, 1, 1e9, 10), 0.25, 'but still shrunk');
  });

  test('a page scaled for recognition gives boxes in the input image\'s pixels', async () => {
    const s = scans[100]!; // small text: scaled up about 2-3x to reach 32 px
    assert.ok(textScale(s.gray, s.width, s.height, 32, config.limits.maxImagePixels, DEFAULT_OCR_TUNING.maxUpscalePixels) > 1.5);
    const { words } = await ocrGray(s, config, 1, { ...DEFAULT_OCR_TUNING, textHeight: 32 });
    assert.ok(wordAccuracy(s.words.map((w) => w.text), words.map((w) => w.text)) >= 0.9);
    let checked = 0;
    for (const k of s.words) {
      const expected = k.bbox.map((v) => (v * 100) / 72);
      const tol = 0.4 * (expected[3]! - expected[1]!);
      const w = words.find((x) => x.text === k.text && Math.abs(x.bbox[0] - expected[0]!) < 3 * tol);
      if (!w) continue;
      checked++;
      for (let i = 0; i < 4; i++) assert.ok(Math.abs(w.bbox[i]! - expected[i]!) <= tol, `${k.text}: ${w.bbox} vs ${expected}`);
    }
    assert.ok(checked >= 0.8 * s.words.length, `${checked} of ${s.words.length} boxes checked`);
    // the same boxes in PDF points when asked for (a rendered page: 72/dpi)
    const { words: inPoints } = await ocrGray(s, config, 72 / 100, { ...DEFAULT_OCR_TUNING, textHeight: 32 });
    assert.ok(Math.abs(inPoints[0]!.bbox[0] - (words[0]!.bbox[0] * 72) / 100) < 0.02);
  });
});

test('turnGray: quarter turns clockwise, sizes swapped; four turns give the image back', () => {
  // 3 x 2:  1 2 3 / 4 5 6
  const img = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  const r90 = turnGray(img, 3, 2, 90);
  assert.deepEqual([r90.width, r90.height, [...r90.gray]], [2, 3, [4, 1, 5, 2, 6, 3]]);
  assert.deepEqual([...turnGray(img, 3, 2, 180).gray], [6, 5, 4, 3, 2, 1]);
  const r270 = turnGray(img, 3, 2, 270);
  assert.deepEqual([r270.width, r270.height, [...r270.gray]], [2, 3, [3, 6, 2, 5, 1, 4]]);
  let back = { gray: img, width: 3, height: 2 };
  for (let i = 0; i < 4; i++) back = turnGray(back.gray, back.width, back.height, 90);
  assert.deepEqual([back.width, back.height, [...back.gray]], [3, 2, [...img]]);
});

describe('receipt scoring helpers', () => {
  test('word recall counts each known word once', () => {
    assert.equal(wordRecall(['RM', '7.70', 'RM'], ['RM', '7.70']), 2 / 3);
    assert.equal(wordRecall([], ['x']), 1);
  });
  test('verbatim: whitespace runs and line ends are one space; case and punctuation count', () => {
    assert.ok(foundVerbatim('12, JALAN TAMPOI 7/4,KAWASAN', 'x\n12, JALAN  TAMPOI\n7/4,KAWASAN y'));
    assert.ok(!foundVerbatim('12, JALAN TAMPOI', '12. JALAN TAMPOI'));
    assert.ok(!foundVerbatim('Sdn Bhd', 'SDN BHD'));
    assert.ok(!foundVerbatim('  ', 'anything'));
  });
});
