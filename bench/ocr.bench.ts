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
// Without the native CLI there is nothing to compare against (Debian: apt-get install tesseract-ocr).
await run('tesseract', ['--version']).catch(() => {
  console.error('no native `tesseract` on PATH (Debian: apt-get install -y tesseract-ocr): nothing to compare against');
  process.exit(2);
});
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

interface Timed { ms: number; cpu: number; text: string }

/** Native CLI; its CPU time comes from bash's `times` (children's user and system seconds). */
async function native(file: string, tessdata: string | null): Promise<Timed> {
  const args = [file, 'stdout', '-l', 'eng', '--psm', '3', ...(tessdata ? ['--tessdata-dir', tessdata, '--oem', '1'] : [])];
  const script = `tesseract ${args.map((a) => `'${a}'`).join(' ')} || exit $?; echo '@@TIMES'; times`;
  const t0 = performance.now();
  const { stdout } = await run('bash', ['-c', script], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  const [text = '', times = ''] = stdout.split('@@TIMES');
  const child = times.trim().split('\n')[1] ?? '';
  const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  return { ms, cpu: secs * 1000, text };
}

const single = loadConfig({ env: {}, overrides: { ocr: { workers: 1 } } });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
/** tesseract.js, one job at a time; CPU time of this process (its worker thread included). */
async function js(png: Uint8Array): Promise<Timed> {
  const t0 = performance.now();
  const c0 = cpuMs();
  const page = await recognize(png, single);
  const ms = performance.now() - t0;
  return { ms, cpu: cpuMs() - c0, text: tesseractWords(page, 1).map((w) => w.text).join(' ') };
}

const t0 = performance.now();
await js(pages[2]!.png); // start the one-worker pool (not timed per page)
console.log(`tesseract.js pool start + first short page: ${(performance.now() - t0).toFixed(0)} ms`);

type Row = { js: number[]; fast: number[]; same: number[]; cpu: Record<string, number[]>; acc: Record<string, [number, number]> };
const rows: Row[] = pages.map(() => ({ js: [], fast: [], same: [], cpu: { js: [], fast: [], same: [] }, acc: {} }));
for (let r = 0; r < rounds; r++) {
  for (const [i, p] of pages.entries()) {
    const row = rows[i]!;
    const results = { js: await js(p.png), fast: await native(p.file, null), same: await native(p.file, jsModelDir) };
    for (const [k, v] of Object.entries(results) as [keyof typeof results, Timed][]) {
      row[k].push(v.ms);
      row.cpu[k]!.push(v.cpu);
      row.acc[k] = [wordAccuracy(p.known, words(v.text)), bagAccuracy(p.known, words(v.text))];
    }
  }
}
await closeOcrPool();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pctf = (x: number) => `${(100 * x).toFixed(1)}%`;
const sum = { js: 0, fast: 0, same: 0 };
const sumCpu = { js: 0, fast: 0, same: 0 };
console.log(`\nper page, one core each, median of ${rounds} (wall ms / CPU ms; accuracy = 1-WER / bag-of-words):`);
for (const [i, p] of pages.entries()) {
  const row = rows[i]!;
  const cell = (k: 'js' | 'fast' | 'same') => {
    const m = median(row[k]);
    const c = median(row.cpu[k]!);
    sum[k] += m;
    sumCpu[k] += c;
    return `${m.toFixed(0)} / ${c.toFixed(0)} [${row.acc[k]!.map(pctf).join(' / ')}]`;
  };
  console.log(`  ${p.name} (${p.known.length} words): tesseract.js ${cell('js')} | native, Debian model ${cell('fast')} | native, same model ${cell('same')}`);
}
const ratio = (k: 'fast' | 'same') => `${(sum.js / sum[k]).toFixed(2)}x wall, ${(sumCpu.js / sumCpu[k]).toFixed(2)}x CPU`;
console.log(`ratio tesseract.js / native, time per page (sums of medians): vs Debian's eng model ${ratio('fast')}; `
  + `vs the same model ${ratio('same')} (target <= 1.0x at equal or better word recall)`);

// throughput of the pool at its default size
const config = loadConfig({ env: {} });
const batch = [...pages, ...pages];
await recognize(pages[2]!.png, config); // start the pool
const tp = performance.now();
await Promise.all(batch.map((p) => recognize(p.png, config)));
const s = (performance.now() - tp) / 1000;
console.log(`pool of ${config.ocr.workers} workers: ${batch.length} pages in ${s.toFixed(1)} s = ${(batch.length / s).toFixed(2)} pages/s`);
const os = await import('node:os');
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
await closeOcrPool();
rmSync(dir, { recursive: true, force: true });
