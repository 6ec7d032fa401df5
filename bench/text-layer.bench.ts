import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { readDocumentText } from '../src/document/read-document.js';
import { sharedDataDir } from './data-dir.js';

/**
 * Text-layer extraction speed on real PDFs: every einvoices/dev/*.pdf read with the document-text
 * stage, OCR off (readDocumentText: type detection, sha256, pdfjs parse, words, reading order).
 * Pass 1 is cold (pdfjs modules, fonts, JIT); passes 2..N are warm. Prints ms per page.
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
let textless = 0;
let words = 0;
for (let pass = 1; pass <= passes; pass++) {
  let pages = 0;
  const started = performance.now();
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
  console.log(`pass ${pass} (${pass === 1 ? 'cold' : 'warm'}): ${files.length} PDFs, ${pages} pages, ${(ms / pages).toFixed(1)} ms/page`);
}
perPage.sort((a, b) => a - b);
const pct = (q: number) => perPage[Math.min(perPage.length - 1, Math.floor(q * perPage.length))]!.toFixed(1);
const mean = perPage.reduce((s, x) => s + x, 0) / perPage.length;
console.log(`warm: mean ${mean.toFixed(1)} ms/page, median ${pct(0.5)}, p90 ${pct(0.9)}, max ${pct(1)} (target <= 30 ms/page)`);
console.log(`${words} words; ${textless} pages without a usable text layer (these would go to OCR)`);
