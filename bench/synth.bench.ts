/**
 * Synthetic invoice throughput, one run: invoices per second for
 *  1. generation only (PDF + record), in this thread;
 *  2. generation + labelling through the document-text stage, in this thread;
 *  3. the CLI's corpus runner with worker threads (PDF + labels), as `ledgerlens synth` runs it;
 *  4. with scans: render, degrade, OCR and fuzzy labelling (few invoices: OCR is slow).
 * Usage: node --import tsx bench/synth.bench.ts [--n 200] [--scans 3] [--jobs 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { buildEntry, entrySeed } from '../src/synth/corpus-build.js';
import { runCorpus } from '../src/synth/corpus-run.js';
import { generateInvoice } from '../src/synth/generate.js';
import { loadTextStage } from '../src/synth/text-stage.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '200' }, scans: { type: 'string', default: '3' }, jobs: { type: 'string', default: '2' } } });
const n = Number(values.n);
const scans = Number(values.scans);
const jobs = Number(values.jobs);
const rate = (count: number, ms: number) => (count / (ms / 1000));
// CPU time (all threads of this process) is reported beside wall time: the machine is shared, so
// wall-clock rates depend on the load; CPU ms per invoice do much less.
let cpu0 = process.cpuUsage();
const line = (what: string, count: number, ms: number) => {
  const c = process.cpuUsage(cpu0);
  const cpuMs = (c.user + c.system) / 1000 / count;
  console.log(`${what.padEnd(46)} ${String(count).padStart(5)} invoices ${(ms / 1000).toFixed(1).padStart(7)} s wall ${rate(count, ms).toFixed(2).padStart(7)} /s  50k in ${(50_000 / rate(count, ms) / 3600).toFixed(2)} h  | CPU ${cpuMs.toFixed(0)} ms/invoice`);
};
const mark = () => { cpu0 = process.cpuUsage(); return performance.now(); };
console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`);

await generateInvoice(1); // warm-up: faker locales, fonts
let t = mark();
for (let i = 0; i < n; i++) await generateInvoice(entrySeed(11, i));
const genMs = performance.now() - t;
line('generate (PDF + record), 1 thread', n, genMs);

const config = loadConfig({ overrides: { ocr: { workers: 1 } } });
const stage = await loadTextStage(config);
await buildEntry(1, 'warm', { label: true, scan: false }, stage);
const m = Math.max(1, Math.round(n / 2));
t = mark();
let parts = 0;
let labelled = 0;
for (let i = 0; i < m; i++) {
  const e = await buildEntry(entrySeed(12, i), `b${i}`, { label: true, scan: false }, stage);
  parts += e.manifest.pdfCoverage!.present;
  labelled += e.manifest.pdfCoverage!.labelled;
}
line('generate + text stage + labels, 1 thread', m, performance.now() - t);
console.log(`  PDF label coverage: ${labelled}/${parts} = ${(labelled / parts).toFixed(4)}`);

const out = mkdtempSync(join(tmpdir(), 'synth-bench-'));
try {
  t = mark();
  await runCorpus({ count: n, seed: 13, out, jobs, label: true, scan: false, scanShare: 0 });
  line(`corpus runner, PDF + labels, ${jobs} worker threads`, n, performance.now() - t);
  if (scans > 0) {
    t = mark();
    let sp = 0;
    let sl = 0;
    for (let i = 0; i < scans; i++) {
      const e = await buildEntry(entrySeed(14, i), `s${i}`, { label: true, scan: true, layouts: ['letterhead-left', 'two-column-parties', 'till-receipt'] }, stage);
      sp += e.manifest.scanCoverage!.present;
      sl += e.manifest.scanCoverage!.labelled;
    }
    line('PDF + scan + OCR + labels, 1 thread', scans, performance.now() - t);
    console.log(`  scan label coverage (fuzzy): ${sl}/${sp} = ${(sl / Math.max(1, sp)).toFixed(4)}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  await stage.close();
}
console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
