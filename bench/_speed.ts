import { resolve } from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { loadEinvoices } from '../src/extract/learn/dataset.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { prepare, scoreAll } from '../src/extract/decide.js';
import { loadScorer } from '../src/extract/scorer/load.js';
const config = loadConfig({ overrides: { embedded: false } });
const docs = await loadEinvoices(resolve(PROJECT_ROOT, '../shared/data'), config);
const scorer = loadScorer(config.model.dir);
const pages = docs.reduce((n, d) => n + d.text.pages.length, 0);
for (let rep = 0; rep < 2; rep++) {
  let tPrep = 0, tScore = 0, tAll = 0;
  for (const d of docs) {
    const t0 = performance.now(); const p = prepare(d.text, d.spans); const t1 = performance.now(); scoreAll(p, scorer); const t2 = performance.now();
    extractInvoice(d.text, d.spans ?? [], { config, model: { name: 'x', version: '0' }, scorer }); const t3 = performance.now();
    tPrep += t1 - t0; tScore += t2 - t1; tAll += t3 - t2;
  }
  console.log(`per page: prepare ${(tPrep / pages).toFixed(2)} ms, score ${(tScore / pages).toFixed(2)} ms, extractInvoice ${(tAll / pages).toFixed(2)} ms`);
}
