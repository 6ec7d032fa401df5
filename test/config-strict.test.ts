import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { suggestName } from '../src/config/suggest.js';
import { LedgerlensError } from '../src/core/errors.js';

const invalid = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof LedgerlensError && err.code === 'INVALID_CONFIG', String(err));
    return err.message;
  }
  assert.fail('expected INVALID_CONFIG');
};

test('config: unknown keys are INVALID_CONFIG, each named with its path and a did-you-mean, all at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-config-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ ocr: { langs: 'deu' }, limts: { maxPages: 3 }, api: { port: 'x' }, export: { datev: { expenseAcount: '4900' } }, colour: true }));
    const message = invalid(() => loadConfig({ env: {}, file }));
    assert.match(message, new RegExp(`invalid configuration \\(${file.replace(/[.]/g, '\\.')}\\)`));
    assert.match(message, /ocr\.langs: unknown key \(did you mean ocr\.languages\?\)/);
    assert.match(message, /limts: unknown key \(did you mean limits\?\)/);
    assert.match(message, /export\.datev\.expenseAcount: unknown key \(did you mean export\.datev\.expenseAccount\?\)/);
    assert.match(message, /colour: unknown key\n|colour: unknown key$/);
    assert.doesNotMatch(message, /colour: unknown key \(did you mean/);
    assert.match(message, /api\.port: /, 'other problems reported together');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.match(invalid(() => loadConfig({ env: {}, overrides: { queue: { concurrency: { ocrr: 2 } } } as never })), /queue\.concurrency\.ocrr: unknown key \(did you mean queue\.concurrency\.ocr\?\)/);
  // known keys still parse, the export section included
  const config = loadConfig({ env: {}, overrides: { export: { csv: { delimiter: ';' }, datev: { clientNumber: 42 } } } });
  assert.equal(config.export.csv.delimiter, ';');
  assert.equal(config.export.datev.clientNumber, 42);
});

test('suggestName: close typos and abbreviations, nothing for unrelated names', () => {
  assert.equal(suggestName('langs', ['languages', 'workers', 'dpi']), 'languages');
  assert.equal(suggestName('wrokers', ['languages', 'workers', 'dpi']), 'workers');
  assert.equal(suggestName('DPI', ['languages', 'workers', 'dpi']), 'dpi');
  assert.equal(suggestName('colour', ['limits', 'ocr', 'embedded', 'model']), null);
});
