/**
 * NER throughput: document tokens per second and documents per second for window lengths
 * 128/256/512 and batch sizes 1..32, with the tiny fixture bundle and (when present) the default
 * bundle in models/ledgerlens-invoice; plus the process's resident memory.
 *
 *   nice -n 10 node --import tsx bench/ner.bench.ts [--model DIR]... [--docs N] [--words N] [--provider cpu|cuda|webgpu]
 *
 * Each document is a synthetic invoice-like text of `--words` OCR words (default 400, about 1,000
 * tokens with the tiny tokenizer), so every window length needs several stride windows (stride 32).
 * Tokens counted are the documents' own tokens (overlap is not counted twice). One warm-up pass per
 * setting, then the fastest of at least 3 passes (and at least 1 s in all); documents classified one per call, then all in one
 * call (their windows sharing batches, as a worker draining a queue can).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_DIR, PROJECT_ROOT } from '../src/config/config.js';
import { loadModelBundle, type ExecutionProvider, type ModelBundle } from '../src/ner/model-bundle.js';
import { classifyWordSequences, type InputWord } from '../src/ner/token-classifier.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true }, docs: { type: 'string', default: '8' }, words: { type: 'string', default: '400' },
    provider: { type: 'string', default: 'cpu' }, batches: { type: 'string', default: '1,2,4,8,16,32' }, windows: { type: 'string', default: '128,256,512' },
  },
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A deterministic invoice-like document: lines of header, parties, dates, items and totals. */
function makeDoc(seed: number, nWords: number): InputWord[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const parts = [
    () => ['Invoice', 'from', ...pick([['Acme', 'GmbH'], ['Globex', 'Corporation'], ['Initech', 'Ltd']])],
    () => ['dated', `${1 + Math.floor(rand() * 28)}.0${1 + Math.floor(rand() * 9)}.2024`],
    () => ['Total', `${Math.floor(rand() * 9000)}.${10 + Math.floor(rand() * 89)}`, pick(['EUR', 'USD', 'CHF'])],
    () => ['Consulting', 'services', 'March', 'quantity', String(1 + Math.floor(rand() * 9))],
    () => ['Please', 'pay', 'within', '30', 'days', 'to', 'account', 'DE89370400440532013000'],
  ];
  const words: InputWord[] = [];
  let line = 0;
  while (words.length < nWords) {
    const ws = pick(parts)();
    ws.forEach((text, i) => words.push({ text, bbox: [50 + 90 * i, Math.min(1000, 20 + 14 * (line % 70)), 130 + 90 * i, Math.min(1000, 32 + 14 * (line % 70))] }));
    line++;
  }
  return words.slice(0, nWords);
}

async function benchModel(bundle: ModelBundle, docs: InputWord[][], windows: number[], batches: number[]): Promise<void> {
  const tokens = docs.reduce((n, d) => n + d.reduce((m, w) => m + bundle.tokenizer.tokenizeWord(w.text).ids.length, 0), 0);
  console.log(`\n### ${bundle.name} ${bundle.version} (${bundle.dir}; ${bundle.modelType}, ${bundle.labels.length} labels, provider ${bundle.provider})`);
  console.log(`${docs.length} documents, ${docs[0]!.length} words and ${Math.round(tokens / docs.length)} tokens each; stride 32\n`);
  console.log('| window | batch | windows/doc | tokens/s (1 doc/call) | docs/s (1 doc/call) | tokens/s (all docs/call) | docs/s (all docs/call) | RSS |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const maxLength of windows.filter((w) => w <= bundle.maxLength)) {
    const windowsPerDoc = Math.ceil((tokens / docs.length - 32) / (maxLength - 2 - 32));
    for (const batchSize of batches) {
      const options = { aggregation: 'first' as const, maxLength, batchSize, stride: 32 };
      const cells: string[] = [];
      // 1 doc/call: batches hold one document's windows; all docs/call: every document's windows share batches.
      for (const perCall of [1, docs.length]) {
        await classifyWordSequences(bundle, docs.slice(0, perCall), options); // warm-up
        // The fastest of at least 3 passes (and 1 s): the machine is shared, slower passes measure the neighbours.
        let best = Infinity;
        let total = 0;
        for (let pass = 0; pass < 3 || total < 1000; pass++) {
          const started = performance.now();
          for (let i = 0; i < docs.length; i += perCall) await classifyWordSequences(bundle, docs.slice(i, i + perCall), options);
          const ms = performance.now() - started;
          best = Math.min(best, ms);
          total += ms;
        }
        const seconds = best / 1000;
        cells.push(String(Math.round(tokens / seconds)), (docs.length / seconds).toFixed(1));
      }
      console.log(`| ${maxLength} | ${batchSize} | ~${windowsPerDoc} | ${cells.join(' | ')} | ${mb(process.memoryUsage().rss)} |`);
    }
  }
}

const rssStart = process.memoryUsage().rss;
const dirs = values.model ?? [resolve(PROJECT_ROOT, 'test/fixtures/tiny-model/layout'), ...(existsSync(DEFAULT_MODEL_DIR) ? [DEFAULT_MODEL_DIR] : [])];
const docs = Array.from({ length: Number(values.docs) }, (_, i) => makeDoc(i + 1, Number(values.words)));
console.log(`node ${process.version}, ${availableParallelism()} cores, onnxruntime-node default threads; RSS at start ${mb(rssStart)}`);
if (!existsSync(DEFAULT_MODEL_DIR) && !values.model) console.log(`(default bundle ${DEFAULT_MODEL_DIR} not present: tiny bundle only)`);
for (const dir of dirs) {
  const before = process.memoryUsage().rss;
  const bundle = await loadModelBundle(dir, { provider: values.provider as ExecutionProvider });
  console.log(`loaded ${dir}: RSS +${mb(process.memoryUsage().rss - before)}`);
  await benchModel(bundle, docs, values.windows.split(',').map(Number), values.batches.split(',').map(Number));
}
console.log(`\npeak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
