import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/**
 * The document-text stage's figures (issue 11) in one run: each bench below runs in a child process
 * of its own (fresh memory; its output is shown as it comes), then one table of the figures against
 * the targets. The children are the benches the README's sections describe:
 *  - text-layer.bench.ts: split-word rate on generated kerning-split PDFs, words changed on
 *    einvoices/dev, CPU ms per text-layer page;
 *  - ocr-receipts.bench.ts: word recall against the SROIE dev gold text and the share of key-field
 *    values found verbatim in the OCR text (what OCR lets extraction find), all 100 dev receipts;
 *  - extract.bench.ts --e2e: SROIE dev end to end from the images (5-fold), and einvoices/dev
 *    leave-one-generator-out through the text layer (no regression);
 *  - ocr.bench.ts: tesseract.js against Debian's native tesseract CLI on the same pages;
 *  - cli-jobs.bench.ts --sroie: receipts per second for the 100-file batch, --jobs 1 (before) and
 *    the default --jobs (after);
 *  - ocr-memory.bench.ts: peak RSS of an OCR process with one tesseract worker, under tsx and built
 *    (`npm run build`, then dist/: what the package's bin and `ledgerlens worker` run).
 * The native comparison needs Debian's tesseract-ocr; without it that row says failed.
 * Measured: 25.6 minutes on the idle 2-core machine with cold OCR caches, 20.2 with warm ones. Run
 * nothing else meanwhile: the speed figures share the cores.
 *   node --import tsx bench/text-stage.bench.ts [--skip NAME,NAME]
 */
interface Step {
  name: string;
  /** A shell command, run in the repository root. */
  command: string;
  /** Rows of [figure, measured, target] from the child's output. */
  figures(out: string): string[][];
}

const need = (out: string, re: RegExp, what: string): RegExpMatchArray => {
  const m = out.match(re);
  if (!m) throw new Error(`${what}: the bench's output has no line matching ${re}`);
  return m;
};
/** The "all fields" cell of a field table: the first table after `heading`. */
const allFields = (out: string, heading: string, what: string) => {
  const at = out.indexOf(heading);
  if (at < 0) throw new Error(`${what}: no "${heading}" section`);
  return need(out.slice(at), /\| \*\*all fields\*\* \| \*\*([^*]+)\*\*/, what)[1]!;
};

const STEPS: Step[] = [
  {
    name: 'text-layer', command: 'node --import tsx bench/text-layer.bench.ts 3 10',
    figures(out) {
      const split = need(out, /all\s+(\d+) printed words: split-word rate ([\d.]+)%, glued (\d+)/, 'split words');
      const changed = need(out, /as a bag, (\d+) of pdfjs's words \(([\d.]+)%\) are read differently/, 'einvoices words');
      const cpu = need(out, /CPU ([\d.]+) ms\/page \(target/, 'text-layer speed');
      return [
        ['split-word rate, generated kerning-split PDFs', `${split[2]}% of ${split[1]} printed words, ${split[3]} amounts glued`, '0'],
        ['einvoices/dev words read differently from pdfjs\'s own text layer', `${changed[1]} (${changed[2]}%)`, 'only split or spaced-out words'],
        ['PDF text layer, CPU per page (einvoices/dev, warm)', `${cpu[1]} ms`, '<= 30 ms'],
      ];
    },
  },
  {
    name: 'ocr-receipts', command: 'node --import tsx bench/ocr-receipts.bench.ts --set all --variants default',
    figures(out) {
      const row = need(out, /^\| default .*? \| ([\d.]+%) \| ([\d.]+% \(\d+\/\d+\)) \|/m, 'receipt OCR');
      return [
        ['SROIE dev receipts (100), word recall against the gold text', row[1]!, ''],
        ['same, key-field values found verbatim in the OCR text (OCR-findable)', row[2]!, ''],
      ];
    },
  },
  {
    name: 'extract', command: 'node --import tsx bench/extract.bench.ts --learned-only --e2e --synth-test 0',
    figures(out) {
      return [
        ['SROIE dev end to end from the images, key fields (5-fold)', allFields(out, '## SROIE dev, 100 images end to end', 'end to end'), '>= 88%'],
        ['einvoices/dev through the text layer, leave-one-generator-out', allFields(out, '## einvoices/dev, leave-one-generator-out', 'einvoices'), 'no regression'],
      ];
    },
  },
  {
    name: 'ocr-native', command: 'node --import tsx bench/ocr.bench.ts',
    figures(out) {
      const r = need(out, /vs the same model ([\d.]+)x wall, ([\d.]+)x CPU/, 'native ratio');
      const d = need(out, /vs Debian's eng model ([\d.]+)x wall, ([\d.]+)x CPU/, 'native ratio');
      // per page: tesseract.js ms / ms [1-WER / bag] | native, Debian model ... [..] | native, same model ... [..]
      const bags = [...out.matchAll(/\[[\d.]+% \/ ([\d.]+)%\]/g)].map((m) => Number(m[1]));
      const js = bags.filter((_, i) => i % 3 === 0);
      const same = bags.filter((_, i) => i % 3 === 2);
      if (!js.length) throw new Error('native ratio: no per-page accuracies');
      return [
        ['OCR time per page, tesseract.js / native tesseract, same model', `${r[1]}x wall, ${r[2]}x CPU (vs Debian's model ${d[1]}x wall); `
          + `words right (bag) lowest page ${Math.min(...js)}% / ${Math.min(...same)}%`, '<= 1.0x at equal word recall'],
      ];
    },
  },
  {
    name: 'cli-jobs', command: 'node --import tsx bench/cli-jobs.bench.ts 100 --sroie',
    figures(out) {
      const pipeline = need(out, /^\| [^|]*(?:pipeline|extract)[^|]* \| ([\d.]+) \([\d.]+\) \| ([\d.]+) \([\d.]+\) \| ([\d.]+)x \| ([\d.]+) \|/m, 'batch');
      const docs = Number(need(out, /^(\d+) /m, 'batch size')[1]);
      return [
        [`${docs}-receipt batch, receipts/s, --jobs 1 (before) -> default --jobs (after)`, `${(docs / Number(pipeline[1])).toFixed(2)} -> ${pipeline[4]} (${pipeline[3]}x)`, 'close to 2x on 2 cores'],
      ];
    },
  },
  {
    name: 'ocr-memory', command: 'node --import tsx bench/ocr-memory.bench.ts 2',
    figures(out) {
      const one = need(out, /ocr\.workers=1: peak RSS (\d+) MB/, 'OCR memory');
      return [['OCR process peak RSS, 300-dpi A4 page, one tesseract worker, under tsx (development)', `${one[1]} MB`, '< 500 MB']];
    },
  },
  {
    // what `ledgerlens worker` runs: the package's bin is the build (dist/)
    name: 'ocr-memory-built', command: 'npm run build --silent && node dist/bench/ocr-memory.bench.js 2',
    figures(out) {
      const one = need(out, /ocr\.workers=1: peak RSS (\d+) MB/, 'OCR memory');
      return [['same, built (dist/, as `ledgerlens worker` runs)', `${one[1]} MB`, '< 500 MB']];
    },
  },
];

const skip = new Set((process.argv.find((a, i) => process.argv[i - 1] === '--skip') ?? '').split(',').filter(Boolean));
const unknown = [...skip].filter((s) => !STEPS.some((st) => st.name === s));
if (unknown.length) {
  console.error(`unknown step(s) ${unknown.join(', ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

function run(step: Step): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', step.command], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b; process.stdout.write(b); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${step.name} exited with ${code}`))));
  });
}

const rows: string[][] = [];
const started = performance.now();
for (const step of STEPS) {
  if (skip.has(step.name)) continue;
  console.log(`\n===== ${step.name}: ${step.command}`);
  const t0 = performance.now();
  try {
    rows.push(...step.figures(await run(step)));
  } catch (err) {
    rows.push([step.name, `failed: ${(err as Error).message}`, '']);
  }
  console.log(`===== ${step.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`\n## The document-text stage (issue 11), one run: ${((performance.now() - started) / 60_000).toFixed(1)} min, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
console.log('| figure | measured | target |\n|---|---|---|');
for (const [figure, measured, target] of rows) console.log(`| ${figure} | ${measured} | ${target} |`);
if (rows.some((r) => r[1]!.startsWith('failed'))) process.exitCode = 1;
