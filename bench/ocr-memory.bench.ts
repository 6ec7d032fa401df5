import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';

/**
 * Peak resident memory of an OCR process reading one 300-dpi A4 page (a generated invoice with
 * 16 item rows, rendered with pdfjs and saved as PNG), with ocr.workers = 1 (one tesseract worker,
 * what a sandboxed OCR child needs: the queue runs several children) and = 2 (one per core, the
 * default of a process that has the machine to itself). Each setting runs in a fresh child
 * process; the figure is the kernel's VmHWM (peak RSS) of that child after reading the page
 * `PAGES` times, and VmRSS after the last. The child's heap cap is the sandbox's default.
 * ocr.languages is the default 'auto'; a third run reads a generated German invoice page (A4,
 * 300 dpi) with one worker, which 'auto' re-reads as deu+eng (the worker then holds both models).
 * ocr.orientation is 'auto' (its OSD worker included) unless BENCH_ORIENTATION=off.
 *   [BENCH_ORIENTATION=off] node --import tsx bench/ocr-memory.bench.ts [PAGES=2]
 */
const pages = Math.max(1, Number(process.argv[3] === undefined ? process.argv[2] ?? 2 : process.argv[3]));

function status(): { hwm: number; rss: number } {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) / 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

if (process.argv[2] === '--child') {
  const workers = Number(process.env.BENCH_WORKERS ?? 1);
  const config = loadConfig({ env: {}, overrides: { ocr: { workers, orientation: process.env.BENCH_ORIENTATION === 'off' ? 'off' : 'auto' } } });
  const png = new Uint8Array(readFileSync(process.env.BENCH_PAGE!));
  const before = status();
  let words = 0;
  const t0 = performance.now();
  let language = '';
  for (let i = 0; i < pages; i++) {
    const page = (await readDocumentText(png, { config })).pages[0]!;
    words = page.words.length;
    language = page.language ?? '';
  }
  const after = status();
  await closeOcrPool();
  process.send!({ workers, before, after, words, language, ms: (performance.now() - t0) / pages });
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const fx = await import('../src/document/testing/fixtures.js');
const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-ocr-memory-'));
const page = join(dir, 'a4.png');
const pdf = await fx.makePdf([{ ...fx.A4, lines: fx.invoiceLinesWithItems(16) }]);
writeFileSync(page, await fx.renderPdfToPng(pdf.bytes, 1, 300));
const { generateInvoice } = await import('../src/synth/generate.js');
const german = join(dir, 'a4-de.png');
writeFileSync(german, await fx.renderPdfToPng((await generateInvoice(101, { locales: ['de-DE'], layouts: ['din-window-delivery'] })).pdf, 1, 300));
console.log(`OCR process memory, one 300-dpi A4 page (2480 x 3508 px) read ${pages} time(s), ocr.orientation ${process.env.BENCH_ORIENTATION === 'off' ? 'off' : 'auto'}:`);
for (const [workers, file] of [[1, page], [2, page], [1, german]] as const) {
  const child = fork(self, ['--child', String(pages)], { execArgv: [...process.execArgv, '--max-old-space-size=2048'], env: { ...process.env, BENCH_WORKERS: String(workers), BENCH_PAGE: file } });
  const r = await new Promise<{ workers: number; before: { hwm: number; rss: number }; after: { hwm: number; rss: number }; words: number; language: string; ms: number }>((resolve, reject) => {
    child.on('message', (m) => resolve(m as never));
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  console.log(`  ocr.workers=${workers}: peak RSS ${r.after.hwm.toFixed(0)} MB (before OCR ${r.before.rss.toFixed(0)} MB, after ${r.after.rss.toFixed(0)} MB), `
    + `${r.words} words read as ${r.language}, ${(r.ms / 1000).toFixed(1)} s/page${workers === 1 ? ` (target < 500 MB: ${r.after.hwm < 500 ? 'met' : 'missed'})` : ''}`);
}
rmSync(dir, { recursive: true, force: true });
