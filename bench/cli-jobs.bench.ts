import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { mapInOrder } from '../src/cli/ordered-pool.js';
import { loadConfig } from '../src/config/config.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { processDocument } from '../src/pipeline/process-document.js';
import { sharedDataDir } from './data-dir.js';

/**
 * What `--jobs` buys `ledgerlens extract` / `ledgerlens text` on a batch of single-page scans
 * (A4 invoices rendered to PNG at 300 dpi): the batch one document at a time (--jobs 1, the loop
 * before issue 13) against `cores` documents at once (the default), in this process, on the one OCR
 * pool (ocr.workers = cores), as the CLI runs them. Prints wall time, CPU time of the process (all
 * threads: OCR workers, onnxruntime) and the speed-up, for the text stage alone and for the whole
 * pipeline. A warm-up document first, so that pool start-up and model load are not counted.
 * With --sroie the batch is the SROIE dev receipts (the last DOCS train ids with an image, at most
 * the 100 that ../shared/data holds), the "100-file batch" of receipts.
 *   nice -n 10 node --import tsx bench/cli-jobs.bench.ts [DOCS=8] [JOBS=cores] [--sroie]
 */
const args = process.argv.slice(2).filter((a) => a !== '--sroie');
const sroie = process.argv.includes('--sroie');
const jobs = Math.max(2, Number(args[1] ?? availableParallelism()));
const config = loadConfig();

const invoice = await fx.makeInvoicePdf();
const scan = await fx.renderPdfToPng(invoice.bytes, 1, 300);
const inputs = sroie ? sroieReceipts(Number(args[0] ?? 100)) : Array.from({ length: Math.max(2, Number(args[0] ?? 8)) }, () => scan);
const docs = inputs.length;
const what = sroie ? 'SROIE dev receipt images' : 'single-page A4 scans (300 dpi)';

function sroieReceipts(n: number): Uint8Array[] {
  const data = sharedDataDir();
  const img = data && join(data, 'sroie/train/img');
  if (!img || !existsSync(img)) throw new Error('no SROIE images: set LEDGERLENS_DATA_DIR or put ../shared/data beside the checkout');
  const ids = readdirSync(img).filter((f) => f.endsWith('.jpg')).sort().slice(-Math.max(2, n));
  return ids.map((f) => new Uint8Array(readFileSync(join(img, f))));
}

async function timed(limit: number, run: (bytes: Uint8Array) => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapInOrder(inputs, limit, run, () => {});
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

const text = (bytes: Uint8Array) => readDocumentText(bytes, { file: null, config });
const extract = (bytes: Uint8Array) => processDocument(bytes, { file: null, config });
await extract(scan); // warm-up: OCR pool, pdfjs, model bundle

console.log(`${docs} ${what}, ${availableParallelism()} cores, ocr.workers ${config.ocr.workers}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
console.log('| stage | --jobs 1 wall s (CPU s) | --jobs %d wall s (CPU s) | speed-up (wall) | docs/s at --jobs %d |'.replace(/%d/g, String(jobs)));
console.log('|---|---|---|---|---|');
for (const [name, run] of [['text (OCR)', text], ['extract (whole pipeline)', extract]] as const) {
  // alternate the two settings so that a change of machine load hits both
  const one = await timed(1, run);
  const many = await timed(jobs, run);
  console.log(`| ${name} | ${one.wall.toFixed(1)} (${one.cpu.toFixed(1)}) | ${many.wall.toFixed(1)} (${many.cpu.toFixed(1)}) | ${(one.wall / many.wall).toFixed(2)}x | ${(docs / many.wall).toFixed(2)} |`);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
await closeOcrPool();
