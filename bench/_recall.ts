import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../src/config/config.js';
import { loadSroieBoxes } from '../src/extract/learn/dataset.js';
import { prepareDoc } from '../src/extract/learn/fit.js';
import { sameValue } from '../src/extract/learn/truth.js';
const docs = loadSroieBoxes(resolve(PROJECT_ROOT, '../shared/data')).slice(0, 200);
let a = 0, n = 0, nm = 0;
for (const d of docs) {
  const p = prepareDoc(d, false).prep;
  if (d.truth['vendor.address']) { n++; if (p.candidates.address.some((c) => sameValue('vendor.address', c.value, d.truth['vendor.address']!))) a++; else if (n < 200 && a < 1000 && Math.random() < 0.05) console.log('miss', d.truth['vendor.address'], '|', p.candidates.address.slice(0, 3).map((c) => c.value).join(' || ')); }
  if (p.candidates.name.some((c) => sameValue('vendor.name', c.value, d.truth['vendor.name'] ?? null))) nm++;
}
console.log(`address recall ${a}/${n}, name recall ${nm}/${docs.length}`);
