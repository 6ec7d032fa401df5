import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCashRoundingOf } from '../src/extract/features.js';

test('cash rounding to 5 cents: 7.72 is paid as 7.70, 14.18 as 14.20, 27.27 as 27.25', () => {
  assert.equal(isCashRoundingOf(770, new Set([772, 2000])), true);
  assert.equal(isCashRoundingOf(1420, new Set([1418])), true);
  assert.equal(isCashRoundingOf(2725, new Set([2727])), true);
});

test('not a rounding: another 5-cent step, a difference over 2 cents, or an amount that is not a multiple of 5', () => {
  assert.equal(isCashRoundingOf(770, new Set([773])), false, '7.73 rounds to 7.75');
  assert.equal(isCashRoundingOf(770, new Set([765, 775, 767])), false);
  assert.equal(isCashRoundingOf(772, new Set([770])), false);
  assert.equal(isCashRoundingOf(770, new Set([770])), false, 'the same amount twice is no rounding');
});
