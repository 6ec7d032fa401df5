import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { layoutText } from '../src/core/document-text.js';
import { LedgerlensError, toErrorInfo } from '../src/core/errors.js';

test('config: defaults, env and overrides, later wins', () => {
  const config = loadConfig({ env: { LEDGERLENS_MAX_PAGES: '10', LEDGERLENS_OCR_LANGUAGES: 'eng+deu' }, overrides: { limits: { maxFileBytes: 1000 } } });
  assert.equal(config.limits.maxPages, 10);
  assert.equal(config.limits.maxFileBytes, 1000);
  assert.deepEqual(config.ocr.languages, ['eng', 'deu']);
  assert.equal(config.embedded, true);
});

test('config: every problem is reported together', () => {
  assert.throws(
    () => loadConfig({ env: { LEDGERLENS_MAX_PAGES: '-1', LEDGERLENS_PROVIDER: 'tpu' } }),
    (err: unknown) => err instanceof LedgerlensError && err.code === 'INVALID_CONFIG'
      && /limits\.maxPages/.test(err.message) && /model\.provider/.test(err.message),
  );
});

test('layoutText: offsets map back to words across lines and pages', () => {
  const page = (n: number, words: [string, number][]) => ({
    number: n, width: 100, height: 100, unit: 'pt' as const, method: 'text-layer' as const, rotation: 0,
    words: words.map(([text, line]) => ({ text, line, bbox: [0, 0, 1, 1] as [number, number, number, number], confidence: 1 })),
  });
  const { pages, text } = layoutText([page(1, [['Invoice', 0], ['42', 0], ['Total', 1]]), page(2, [['EUR', 0]])]);
  assert.equal(text, 'Invoice 42\nTotal\fEUR');
  for (const p of pages) for (const w of p.words) assert.equal(text.slice(w.start, w.end), w.text);
});

test('errors: permanent codes and info', () => {
  assert.equal(new LedgerlensError('CORRUPT_DOCUMENT').permanent, true);
  assert.equal(new LedgerlensError('OCR_FAILED').permanent, false);
  assert.deepEqual(toErrorInfo(new Error('boom')), { code: 'INTERNAL', message: 'boom' });
});

test('editDistance: characters and words', async () => {
  const { editDistance } = await import('../src/core/edit-distance.js');
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance(['Total', 'EUR', '12.00'], ['Total', '12.00']), 1);
});
