import { loadConfig } from '/work/wt-rec/src/config/config.js';
import { loadSynthetic } from '/work/wt-rec/bench/record-data.js';
const config = loadConfig({ overrides: { embedded: false } });
const docs = await loadSynthetic([800680, 801589], config, false, () => {});
for (const d of docs) { const p = (d.text as any).pages[0]; console.log(d.id, p.width, p.height, p.method, (d.text as any).text.slice(0, 300).replace(/\n/g, ' / ')); }
