import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../src/config/config.js';
import { closeOcrPool, languageDir, recognize } from '../src/document/ocr-pool.js';
import { tesseractWords } from '../src/document/ocr-words.js';
import * as fx from '../src/document/testing/fixtures.js';
import { bagAccuracy, wordAccuracy, words } from '../src/document/testing/word-accuracy.js';

/**
 * OCR speed and accuracy: tesseract.js (the pool) against Debian's native `tesseract` CLI on the
 * same 300 dpi page images (generated invoice pages rendered with pdfjs, known text).
 * - time per page, one page at a time: tesseract.js with one worker vs native with
 *   OMP_THREAD_LIMIT=1 (both one core), interleaved page by page; native runs twice: with Debian's
 *   eng model (tessdata_fast) and with the very traineddata tesseract.js loads (same model).
 * - throughput: pages/s of the pool (config.ocr.workers = cores) over all pages at once.
 * Accuracy: 1 - WER in reading order, and order-free bag-of-words accuracy (tables may be read
 * column-wise by tesseract's layout analysis), both against the drawn text.
 *   node --import tsx bench/ocr.bench.ts [ROUNDS]
 */
const run = promisify(execFile);
const DPI = 300;
const rounds = Math.max(1, Number(process.argv[2] ?? 2));
const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-ocr-bench-'));

// the same traineddata as tesseract.js, for a same-model native run
const jsModelDir = join(dir, 'tessdata-js');
mkdirSync(jsModelDir);
writeFileSync(join(jsModelDir, 'eng.traineddata'), gunzipSync(readFileSync(join(languageDir('eng'), 'eng.traineddata.gz'))));

const specs = [
  { name: 'invoice A4', page: { ...fx.A4, lines: fx.INVOICE_LINES } },
  { name: 'invoice A4, 16 items', page: { ...fx.A4, lines: fx.invoiceLinesWithItems(16) } },
  { name: 'short page', page: { ...fx.SCAN_PAGE, lines: fx.SCAN_LINES } },
];
const pages: { name: string; file: string; png: Uint8Array; known: string[] }[] = [];
for (const spec of specs) {
  const pdf = await fx.makePdf([spec.page]);
  const png = await fx.renderPdfToPng(pdf.bytes, 1, DPI);
  const file = join(dir, `${pages.length}.png`);
  writeFileSync(file, png);
  pages.push({ name: spec.name, file, png, known: pdf.words.map((w) => w.text) });
}

async function native(file: string, tessdata: string | null): Promise<{ ms: number; text: string }> {
  const args = [file, 'stdout', '-l', 'eng', '--psm', '3', ...(tessdata ? ['--tessdata-dir', tessdata, '--oem', '1'] : [])];
  const t0 = performance.now();
  const { stdout } = await run('tesseract', args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
  return { ms: performance.now() - t0, text: stdout };
}

const single = loadConfig({ env: {}, overrides: { ocr: { workers: 1 } } });
async function js(png: Uint8Array): Promise<{ ms: number; text: string }> {
  const t0 = performance.now();
  const page = await recognize(png, single);
  const ms = performance.now() - t0;
  return { ms, text: tesseractWords(page, 1).map((w) => w.text).join(' ') };
}

const t0 = performance.now();
await js(pages[2]!.png); // start the one-worker pool (not timed per page)
console.log(`tesseract.js pool start + first short page: ${(performance.now() - t0).toFixed(0)} ms`);

type Row = { js: number[]; fast: number[]; same: number[]; acc: Record<string, [number, number]> };
const rows: Row[] = pages.map(() => ({ js: [], fast: [], same: [], acc: {} }));
for (let r = 0; r < rounds; r++) {
  for (const [i, p] of pages.entries()) {
    const row = rows[i]!;
    const results = { js: await js(p.png), fast: await native(p.file, null), same: await native(p.file, jsModelDir) };
    for (const [k, v] of Object.entries(results) as [keyof typeof results, { ms: number; text: string }][]) {
      row[k].push(v.ms);
      row.acc[k] = [wordAccuracy(p.known, words(v.text)), bagAccuracy(p.known, words(v.text))];
    }
  }
}
await closeOcrPool();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pctf = (x: number) => `${(100 * x).toFixed(1)}%`;
let sum = { js: 0, fast: 0, same: 0 };
console.log(`\nper page, one core each, median of ${rounds} (ms; accuracy = 1-WER / bag-of-words):`);
for (const [i, p] of pages.entries()) {
  const row = rows[i]!;
  const m = { js: median(row.js), fast: median(row.fast), same: median(row.same) };
  sum = { js: sum.js + m.js, fast: sum.fast + m.fast, same: sum.same + m.same };
  console.log(`  ${p.name} (${p.known.length} words): tesseract.js ${m.js.toFixed(0)} [${row.acc.js!.map(pctf).join(' / ')}]`
    + ` | native fast model ${m.fast.toFixed(0)} [${row.acc.fast!.map(pctf).join(' / ')}]`
    + ` | native same model ${m.same.toFixed(0)} [${row.acc.same!.map(pctf).join(' / ')}]`);
}
console.log(`ratio tesseract.js / native, time per page (sum of medians): ${(sum.js / sum.fast).toFixed(2)}x vs Debian model, `
  + `${(sum.js / sum.same).toFixed(2)}x vs the same model (target <= 1.3x)`);

// throughput of the pool at its default size
const config = loadConfig({ env: {} });
const batch = [...pages, ...pages];
await recognize(pages[2]!.png, config); // start the pool
const tp = performance.now();
await Promise.all(batch.map((p) => recognize(p.png, config)));
const s = (performance.now() - tp) / 1000;
console.log(`pool of ${config.ocr.workers} workers: ${batch.length} pages in ${s.toFixed(1)} s = ${(batch.length / s).toFixed(2)} pages/s`);
await closeOcrPool();
rmSync(dir, { recursive: true, force: true });
