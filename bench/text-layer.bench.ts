import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { readDocumentText } from '../src/document/read-document.js';
import { sharedDataDir } from './data-dir.js';

/**
 * Text-layer extraction speed on real PDFs: every einvoices/dev/*.pdf read with the document-text
 * stage, OCR off (readDocumentText: type detection, sha256, pdfjs parse, words, reading order).
 * Pass 1 is cold (pdfjs modules, fonts, JIT); passes 2..N are warm. Prints ms per page, wall
 * clock and CPU time of this process (pdfjs's worker runs in-process), the latter being the
 * figure to trust on a shared, loaded machine.
 *   node --import tsx bench/text-layer.bench.ts [PASSES]
 */
const data = sharedDataDir();
if (!data) {
  console.error('no shared data folder (set LEDGERLENS_DATA_DIR)');
  process.exit(2);
}
const dir = join(data, 'einvoices', 'dev');
const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
const inputs = files.map((f) => ({ file: f, bytes: readFileSync(join(dir, f)) }));
const passes = Math.max(2, Number(process.argv[2] ?? 4));
const config = loadConfig({ env: {} });

const perPage: number[] = [];
let warmCpu = 0;
let warmPages = 0;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let textless = 0;
let words = 0;
for (let pass = 1; pass <= passes; pass++) {
  let pages = 0;
  const started = performance.now();
  const cpuStarted = cpuMs();
  for (const { file, bytes } of inputs) {
    const t0 = performance.now();
    const doc = await readDocumentText(bytes, { file, config, ocr: false });
    const ms = performance.now() - t0;
    pages += doc.pages.length;
    if (pass > 1) perPage.push(...doc.pages.map(() => ms / doc.pages.length));
    if (pass === passes) {
      textless += doc.pages.filter((p) => p.words.length === 0).length;
      words += doc.pages.reduce((n, p) => n + p.words.length, 0);
    }
  }
  const ms = performance.now() - started;
  const cpu = cpuMs() - cpuStarted;
  if (pass > 1) { warmCpu += cpu; warmPages += pages; }
  console.log(`pass ${pass} (${pass === 1 ? 'cold' : 'warm'}): ${files.length} PDFs, ${pages} pages, ${(ms / pages).toFixed(1)} ms/page wall, ${(cpu / pages).toFixed(1)} ms/page CPU`);
}
perPage.sort((a, b) => a - b);
const pct = (q: number) => perPage[Math.min(perPage.length - 1, Math.floor(q * perPage.length))]!.toFixed(1);
const mean = perPage.reduce((s, x) => s + x, 0) / perPage.length;
console.log(`warm: wall mean ${mean.toFixed(1)} ms/page (median ${pct(0.5)}, p90 ${pct(0.9)}, max ${pct(1)}); CPU ${(warmCpu / warmPages).toFixed(1)} ms/page (target <= 30 ms/page)`);
console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`${words} words; ${textless} pages without a usable text layer (these would go to OCR)`);
