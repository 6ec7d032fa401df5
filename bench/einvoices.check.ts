import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkEinvoiceDir, locateDataDir } from '../src/einvoice/dev-check.js';

/**
 * Runs the e-invoice fast path over einvoices/dev of the shared data folder (LEDGERLENS_DATA_DIR or
 * ../shared/data; or the folder given as the first argument) and compares every core field of NAME.expected.json.
 * Prints each mismatch and the totals; exits 1 on any mismatch or failure.
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
let fields = 0, matching = 0, wrong = 0, failed = 0;
for (const r of results) {
  fields += r.compared;
  if (r.error) {
    failed++;
    console.log(`FAIL ${r.file}: ${r.error}`);
    continue;
  }
  wrong += r.mismatches.length;
  matching += r.compared - r.mismatches.length;
  for (const m of r.mismatches) console.log(`MISMATCH ${r.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`);
}
const okFiles = results.filter((r) => !r.error && r.mismatches.length === 0).length;
console.log(`files: ${okFiles}/${results.length} fully matching, ${failed} failed; fields: ${matching}/${fields} fields matching (${wrong} mismatched); ${(ms / Math.max(results.length, 1)).toFixed(1)} ms/file`);
process.exit(wrong > 0 || failed > 0 || results.length === 0 ? 1 : 0);
