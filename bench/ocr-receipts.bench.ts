import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { DEFAULT_OCR_TUNING, type OcrTuning } from '../src/document/ocr-image.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';
import { foundVerbatim, wordRecall, words } from '../src/document/testing/word-accuracy.js';
import { sharedDataDir } from './data-dir.js';

/**
 * Receipt OCR quality on the SROIE dev images (the last 100 train ids, sorted): each OCR setting
 * through the real document-text stage (readDocumentText with ocrTuning), scored against the
 * dataset's gold OCR lines (box/) and key fields (entities/):
 * - word recall: gold words (whitespace-split) found among the OCR words, micro-averaged;
 * - key fields found verbatim: company, date, address, total, each a substring of the page text
 *   once whitespace runs are single spaces; punctuation counts;
 * - the same, letters and digits only (spaces and punctuation dropped on both sides).
 * SROIE's gold lines and fields are upper-cased (the receipts print mixed case: `No.2, Jalan
 * Temenggung`), so every comparison is made upper-cased on both sides.
 * Settings are chosen on the first 50 dev ids ("tune"); the last 50 ("held") are reported apart.
 * OCR output is cached under /tmp/ledgerlens-ocr-receipts keyed by setting, id and a digest of the
 * OCR code, so re-runs only score.
 *   nice -n 19 node --import tsx bench/ocr-receipts.bench.ts [--set tune|held|all] [--variants base,psm4,...] [--workers 2]
 */
const { values } = parseArgs({ options: {
  set: { type: 'string', default: 'tune' }, variants: { type: 'string', default: 'base' }, workers: { type: 'string', default: '2' },
  misses: { type: 'boolean', default: false },
} });

/** The OCR settings before this bench: tesseract.js's defaults, the image at its own size. */
const BASE: OcrTuning = { psm: 6, threshold: 0, textHeight: 0, maxUpscalePixels: 9_000_000, deskew: false, secondPassBelow: 0, despeckle: false };
/** The settings tried, each one knob away from BASE unless named otherwise (Infinity: no bound on enlarging). */
const VARIANTS: Record<string, Partial<OcrTuning>> = {
  base: {},
  default: DEFAULT_OCR_TUNING,
  keepSpecks: { ...DEFAULT_OCR_TUNING, despeckle: false },
  psm3: { psm: 3 }, psm4: { psm: 4 }, psm11: { psm: 11 },
  otsuTiled: { threshold: 1 }, sauvola: { threshold: 2 },
  h20: { textHeight: 20, maxUpscalePixels: Infinity }, h24: { textHeight: 24, maxUpscalePixels: Infinity }, h32: { textHeight: 32, maxUpscalePixels: Infinity }, h40: { textHeight: 40, maxUpscalePixels: Infinity }, h40cap: { textHeight: 40 }, h48: { textHeight: 48, maxUpscalePixels: Infinity },
  deskew: { deskew: true },
  second60: { secondPassBelow: 0.6 }, second80: { secondPassBelow: 0.8 },
};
for (const arg of values.variants!.split(',')) {
  // combinations: name+name merges the knobs, e.g. h32+psm4
  if (!VARIANTS[arg] && arg.includes('+')) VARIANTS[arg] = Object.assign({}, ...arg.split('+').map((p) => VARIANTS[p] ?? (() => { throw new Error(`unknown variant ${p}`); })()));
  if (!VARIANTS[arg]) throw new Error(`unknown variant ${arg}; known: ${Object.keys(VARIANTS).join(', ')}`);
}

const dataDir = sharedDataDir();
if (!dataDir || !existsSync(join(dataDir, 'sroie/train/img'))) { console.log('no SROIE images (LEDGERLENS_DATA_DIR or ../shared/data): nothing to measure'); process.exit(0); }
const dir = join(dataDir, 'sroie/train');
const dev = readdirSync(join(dir, 'entities')).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort().slice(-100);
const ids = values.set === 'tune' ? dev.slice(0, 50) : values.set === 'held' ? dev.slice(50) : dev;

const codeDigest = (() => {
  const h = createHash('sha256');
  for (const f of ['ocr-image.ts', 'ocr-pool.ts', 'ocr-words.ts', 'image-reader.ts', 'read-document.ts']) h.update(readFileSync(join(PROJECT_ROOT, 'src/document', f)));
  return h.digest('hex').slice(0, 12);
})();
const cacheDir = join(tmpdir(), 'ledgerlens-ocr-receipts', codeDigest);
mkdirSync(cacheDir, { recursive: true });

const config = loadConfig({ env: {}, overrides: { ocr: { workers: Number(values.workers) } } });
const FIELDS = ['company', 'date', 'address', 'total'] as const;
const up = (s: string) => s.toUpperCase();
const alnum = (s: string) => up(s).replace(/[^\p{L}\p{N}]+/gu, '');
const gold = new Map(ids.map((id) => {
  const lines = readFileSync(join(dir, 'box', `${id}.txt`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.split(',').slice(8).join(',').trim());
  const entities = JSON.parse(readFileSync(join(dir, 'entities', `${id}.txt`), 'utf8')) as Record<string, string>;
  return [id, { words: lines.flatMap(words).map(up), entities }];
}));

interface Result { text: string; ms: number }
async function ocr(id: string, name: string, tuning: OcrTuning): Promise<Result> {
  const file = join(cacheDir, `${createHash('sha256').update(JSON.stringify(tuning, (_, v) => (v === Infinity ? 'Infinity' : v))).digest('hex').slice(0, 12)}-${id}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Result;
  const bytes = new Uint8Array(readFileSync(join(dir, 'img', `${id}.jpg`)));
  const t0 = performance.now();
  const doc = await readDocumentText(bytes, { file: `${id}.jpg`, config, ocrTuning: tuning });
  const r = { text: doc.text, ms: performance.now() - t0 };
  writeFileSync(file, JSON.stringify(r));
  return r;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`SROIE dev, ${values.set} (${ids.length} receipts), OCR code ${codeDigest}`);
console.log('| setting | word recall | key fields verbatim | company | date | address | total | letters+digits only | s/receipt (2 workers, shared CPU) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const name of values.variants!.split(',')) {
  const tuning: OcrTuning = { ...BASE, ...VARIANTS[name] };
  const results = new Map<string, Result>();
  const queue = [...ids];
  await Promise.all(Array.from({ length: config.ocr.workers }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) results.set(id, await ocr(id, name, tuning));
  }));
  let goldWords = 0; let found = 0; let ms = 0; let loose = 0;
  const hits: Record<string, [number, number]> = Object.fromEntries(FIELDS.map((f) => [f, [0, 0]]));
  for (const id of ids) {
    const g = gold.get(id)!; const r = results.get(id)!;
    const rec = wordRecall(g.words, words(up(r.text)));
    goldWords += g.words.length; found += rec * g.words.length; ms += r.ms;
    for (const f of FIELDS) {
      const v = g.entities[f];
      if (!v) continue;
      hits[f]![1]++;
      if (alnum(r.text).includes(alnum(v))) loose++;
      if (foundVerbatim(up(v), up(r.text))) hits[f]![0]++;
      else if (values.misses) console.log(`  miss ${name} ${id} ${f}: ${JSON.stringify(v)}`);
    }
  }
  const all = FIELDS.reduce((a, f) => [a[0]! + hits[f]![0], a[1]! + hits[f]![1]], [0, 0]);
  console.log(`| ${name} ${JSON.stringify(VARIANTS[name], (_, v) => (v === Infinity ? "Infinity" : v))} | ${pct(found / goldWords)} | ${pct(all[0]! / all[1]!)} (${all[0]}/${all[1]}) | ${FIELDS.map((f) => pct(hits[f]![0] / hits[f]![1])).join(' | ')} | ${pct(loose / all[1]!)} | ${(ms / ids.length / 1000).toFixed(1)} |`);
}
await closeOcrPool();
