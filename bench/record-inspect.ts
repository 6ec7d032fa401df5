/**
 * Development aid for the record finders: prints, for synthetic seeds or einvoices/dev files, the
 * page lines as the finders see them (cells separated by " | "), the line items read against the
 * truth's, and the document type. Meant for development seeds (800000..) and in-sample dev files
 * only: it refuses held-out seeds (900000..) and out-of-sample generators unless --force is given.
 * Usage: node --import tsx bench/record-inspect.ts --seeds 800149,800160 | --files NAME,... [--lines] [--types FROM..TO]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { pageLines } from '../src/extract/record/page-lines.js';
import { loadScorer } from '../src/extract/scorer/load.js';
import { modelIdentity } from '../src/pipeline/stages.js';
import { sharedDataDir } from './data-dir.js';
import { loadDev, loadSynthetic, type BenchDoc } from './record-data.js';
import { DEVELOPMENT_GENERATORS, generatorOf, HELD_OUT_SEED } from './record-split.js';

const { values } = parseArgs({ options: {
  seeds: { type: 'string' }, files: { type: 'string' }, lines: { type: 'boolean', default: false }, types: { type: 'string' }, force: { type: 'boolean', default: false },
} });
const config = loadConfig({ overrides: { embedded: false } });
const scorer = loadScorer(config.model.dir);
const model = modelIdentity(config);

function seedList(): number[] {
  if (values.types) { const [a, b] = values.types.split('..').map(Number); return Array.from({ length: b! - a! + 1 }, (_, i) => a! + i); }
  return (values.seeds ?? '').split(',').filter(Boolean).map(Number);
}
const seeds = seedList();
if (!values.force && seeds.some((s) => s >= HELD_OUT_SEED)) throw new Error('held-out seeds (900000..) are for measuring only');
let docs: BenchDoc[] = await loadSynthetic(seeds, config, false);
if (values.files) {
  const names = values.files.split(',');
  if (!values.force && names.some((n) => !DEVELOPMENT_GENERATORS.has(generatorOf(n)))) throw new Error('out-of-sample generators are for measuring only');
  const dir = sharedDataDir();
  docs = docs.concat((dir ? await loadDev(dir, config, false) : []).filter((d) => names.some((n) => d.id.startsWith(n))));
}
for (const d of docs) {
  const got = extractInvoice(d.text, d.spans, { config, model, scorer });
  if (values.types) { if (got.documentType !== d.truth.documentType) console.log(`${d.id}: type ${got.documentType} want ${d.truth.documentType}`); continue; }
  console.log(`\n===== ${d.id}: type ${got.documentType} (want ${d.truth.documentType})`);
  if (values.lines) for (const l of pageLines(d.text).lines) console.log(`p${l.page} ${l.index} [${l.bbox.map((v) => Math.round(v)).join(',')}] ${l.cells.map((c) => c.text).join(' | ')}`);
  console.log('-- truth items');
  for (const i of d.truth.lineItems) console.log(`  ${JSON.stringify([i.description, i.quantity, i.unit, i.unitPrice, i.amount, i.productCode])}`);
  console.log('-- extracted items');
  for (const i of got.lineItems) console.log(`  ${JSON.stringify([i.description, i.quantity, i.unit, i.unitPrice, i.amount, i.productCode])}`);
}
