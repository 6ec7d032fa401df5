import { resolve } from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { loadEinvoices } from '../src/extract/learn/dataset.js';
import { prepare, scoreAll } from '../src/extract/decide.js';
import { RuleScorer } from '../src/extract/scorer/rule-scorer.js';
const config = loadConfig({ overrides: { embedded: false } });
const docs = await loadEinvoices(resolve(PROJECT_ROOT, '../shared/data'), config);
const pick = process.argv[2] ?? 'Einfach';
const fields = (process.argv[3] ?? 'vendor.name,customer.name').split(',');
for (const d of docs.filter((x) => x.id.includes(pick)).slice(0, 1)) {
  console.log(d.id, JSON.stringify(d.truth));
  const p = prepare(d.text, null);
  console.log(p.ctx.layout.lines.slice(0, 40).map((l) => `${l.index}: ${l.cells.map((c) => c.text).join(' | ')}  [${p.ctx.labelsByLine[l.index]!.map((h) => h.concept).join(',')}]`).join('\n'));
  for (const o of scoreAll(p, new RuleScorer(), fields as never)) {
    console.log(o.field, o.options.map((x) => `${x.c.value} ${x.p.toFixed(2)} ${JSON.stringify(Object.fromEntries(Object.entries(p.rows.get(x.c)!).filter(([k]) => /^(sc|lc|ab|bh|own)/.test(k))))}`).join('\n   '));
  }
  console.log('names:', p.candidates.name.slice(0, 30).map((c) => c.value).join(' | '));
}
