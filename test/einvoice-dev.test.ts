import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkEinvoiceDir, locateDataDir } from '../src/einvoice/dev-check.js';

/** The fast path over ../shared/data/einvoices/dev: every core field of every expected record. */
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataDir = locateDataDir(repoRoot);
const devDir = dataDir === null ? null : join(dataDir, 'einvoices', 'dev');
const skip = devDir === null || !existsSync(devDir) ? 'no shared data folder (einvoices/dev)' : false;

test('einvoices/dev: the fast path reproduces every NAME.expected.json core field and every version-2 field of an independent reading', { skip }, async () => {
  const results = await checkEinvoiceDir(devDir!);
  assert.ok(results.length > 0, 'the folder holds PDFs');
  const problems = results.flatMap((r) => r.error
    ? [`${r.file}: ${r.error}`]
    : [...r.mismatches, ...r.mismatchesV2].map((m) => `${r.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`));
  assert.deepEqual(problems, []);
  assert.ok(results.every((r) => r.compared >= 9), 'each expected record names the nine core fields');
  // the independent reading (bench/einvoice_reference.py) needs a python3; the CI image has Debian's
  assert.ok(results.every((r) => r.comparedV2 >= 14), 'every record compared on its version-2 fields');
});
