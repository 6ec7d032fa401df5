import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkEinvoiceDir, locateDataDir } from '../src/einvoice/dev-check.js';

/**
 * Runs the e-invoice fast path over einvoices/dev of the shared data folder (LEDGERLENS_DATA_DIR or
 * ../shared/data; or the folder given as the first argument) and compares every core field of
 * NAME.expected.json, and every version-2 field with an independent reading of the XML
 * (bench/einvoice_reference.py). Prints each mismatch and the totals; exits 1 on any mismatch or
 * failure, or when the independent reading could not run (no python3).
 *   node --import tsx bench/einvoices.check.ts [DIR]
 */
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataDir = locateDataDir(repoRoot);
const dir = process.argv[2] ?? (dataDir === null ? null : join(dataDir, 'einvoices', 'dev'));
if (dir === null || !existsSync(dir)) {
  console.error(`no e-invoice folder (${dir ?? 'set LEDGERLENS_DATA_DIR or pass a folder'})`);
  process.exit(2);
}
const started = performance.now();
const results = await checkEinvoiceDir(dir);
const ms = performance.now() - started;
let fields = 0, matching = 0, wrong = 0, failed = 0, fieldsV2 = 0, wrongV2 = 0;
for (const r of results) {
  fields += r.compared;
  if (r.error) {
    failed++;
    console.log(`FAIL ${r.file}: ${r.error}`);
    continue;
  }
  wrong += r.mismatches.length;
  matching += r.compared - r.mismatches.length;
  fieldsV2 += r.comparedV2;
  wrongV2 += r.mismatchesV2.length;
  for (const m of [...r.mismatches, ...r.mismatchesV2]) console.log(`MISMATCH ${r.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`);
}
const okFiles = results.filter((r) => !r.error && r.mismatches.length === 0 && r.mismatchesV2.length === 0).length;
console.log(`files: ${okFiles}/${results.length} fully matching, ${failed} failed; core fields: ${matching}/${fields} matching (${wrong} mismatched); `
  + `version-2 fields: ${fieldsV2 - wrongV2}/${fieldsV2} matching the independent reading (${wrongV2} mismatched); ${(ms / Math.max(results.length, 1)).toFixed(1)} ms/file`);
if (fieldsV2 === 0) console.log('the independent reading (bench/einvoice_reference.py) did not run: no python3');
process.exit(wrong > 0 || wrongV2 > 0 || failed > 0 || fieldsV2 === 0 || results.length === 0 ? 1 : 0);
