/**
 * Extraction accuracy, end to end through the pipeline the CLI runs (ocr -> ner -> extract):
 *  - einvoices/dev with the embedded XML ignored (the text path) against NAME.expected.json:
 *    accuracy "of printed" counts only fields whose value the PDF prints (the "printed" list),
 *    "of all" counts every field of every sample (an expected null is right only when we say null);
 *  - SROIE dev (the last 100 receipts of sroie/train by sorted id) from the images (tesseract OCR):
 *    company and address compared case- and whitespace-insensitively, date as the printed string or
 *    the same ISO date, total as a decimal. Beside it: how often the truth string occurs at all in the
 *    OCR text (case and spaces ignored: roughly what OCR leaves findable), and the extractor alone on the
 *    dataset's own OCR lines (box/*.txt), the input the published SROIE figures use.
 * Usage: node --import tsx bench/accuracy.bench.ts [--limit N] [--only einvoices|sroie] [--misses]
 * Data: ../shared/data relative to the repository root, or LEDGERLENS_DATA_DIR.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config/config.js';
import { layoutText, type DocumentText, type RawWord } from '../src/core/document-text.js';
import { getField, type CoreField, type InvoiceRecord } from '../src/core/invoice-record.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { cmp, isDecimal } from '../src/extract/decimal.js';
import { parseDate } from '../src/extract/normalize-date.js';
import { parseMoney } from '../src/extract/normalize-money.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { processDocument } from '../src/pipeline/process-document.js';
import { stages } from '../src/pipeline/stages.js';

const { values } = parseArgs({ options: { limit: { type: 'string' }, only: { type: 'string' }, misses: { type: 'boolean', default: false } } });
const dataDir = process.env.LEDGERLENS_DATA_DIR ?? resolve(PROJECT_ROOT, '../shared/data');
const limit = values.limit ? Number(values.limit) : Infinity;

const squash = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/\s+/g, '');
const sameDecimal = (a: string | null, b: string | null) => (a === null || b === null ? a === b : isDecimal(a) && isDecimal(b) && cmp(a, b) === 0);
const ms = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), median: s[Math.floor(s.length / 2)] ?? 0 };
};
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}% (${n}/${d})` : 'n/a');

async function timed(bytes: Uint8Array, file: string, config: Config): Promise<{ record: InvoiceRecord | null; text: DocumentText | null; error: string | null; ms: number }> {
  const t0 = performance.now();
  let text: DocumentText | null = null;
  // the real stages, with the page text kept for the OCR-ceiling column
  const seen = { ...stages, ocr: async (...args: Parameters<typeof stages.ocr>) => {
    const r = await stages.ocr(...args);
    if (r.kind === 'text') text = r.text;
    return r;
  } };
  try {
    const record = await processDocument(bytes, { file, config, stages: seen });
    return { record, text, error: null, ms: performance.now() - t0 };
  } catch (err) {
    return { record: null, text, error: (err as Error).message, ms: performance.now() - t0 };
  }
}

/** A receipt's DocumentText from the dataset's own OCR lines (8 coordinates, then the text). */
function boxText(id: string, file: string): DocumentText {
  const boxes = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const p = l.split(','); const c = p.slice(0, 8).map(Number);
    return { x0: Math.min(c[0]!, c[6]!), y0: Math.min(c[1]!, c[3]!), x1: Math.max(c[2]!, c[4]!), y1: Math.max(c[5]!, c[7]!), text: p.slice(8).join(',').trim() };
  }).filter((b) => b.text).sort((a, b) => a.y0 - b.y0);
  const lines: Array<{ y: number; h: number; boxes: typeof boxes }> = [];
  for (const b of boxes) {
    const line = lines.find((l) => Math.abs(l.y - (b.y0 + b.y1) / 2) < l.h * 0.5);
    if (line) line.boxes.push(b); else lines.push({ y: (b.y0 + b.y1) / 2, h: b.y1 - b.y0, boxes: [b] });
  }
  const words: RawWord[] = [];
  lines.forEach((l, i) => l.boxes.sort((a, b) => a.x0 - b.x0).forEach((b) => {
    const cw = (b.x1 - b.x0) / Math.max(1, b.text.length);
    for (const m of b.text.matchAll(/\S+/g)) words.push({ text: m[0], bbox: [b.x0 + m.index! * cw, b.y0, b.x0 + (m.index! + m[0].length) * cw, b.y1], confidence: 1, line: i });
  }));
  const width = Math.max(1, ...boxes.map((b) => b.x1)); const height = Math.max(1, ...boxes.map((b) => b.y1));
  const { pages, text } = layoutText([{ number: 1, width, height, unit: 'px', method: 'ocr', rotation: 0, words }]);
  return { source: { file: id, sha256: '0'.repeat(64), mediaType: 'image/jpeg', bytes: 0, pages: 1 }, pages, text };
}

const EINVOICE_FIELDS: CoreField[] = ['vendor.name', 'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total'];

async function einvoices(config: Config): Promise<void> {
  const dir = join(dataDir, 'einvoices/dev');
  if (!existsSync(dir)) { console.log(`einvoices: ${dir} not found, skipped`); return; }
  const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
  const stats = new Map<CoreField, { printedOk: number; printed: number; allOk: number; all: number }>();
  const times: number[] = [];
  let failed = 0;
  for (const f of files) {
    const expected = JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expected.json')), 'utf8')) as Record<string, unknown> & { printed: string[] };
    const { record, error, ms: t } = await timed(new Uint8Array(readFileSync(join(dir, f))), f, config);
    times.push(t);
    if (error) { failed++; console.log(`  ${f}: ERROR ${error}`); }
    for (const field of EINVOICE_FIELDS) {
      const want = getField(expected as never, field);
      const got = record ? getField(record, field) : null;
      const ok = field === 'vendor.name' ? (want === null ? got === null : squash(got) === squash(want))
        : ['subtotal', 'tax', 'total'].includes(field) ? sameDecimal(got, want) : got === want;
      const s = stats.get(field) ?? { printedOk: 0, printed: 0, allOk: 0, all: 0 };
      s.all++; if (ok) s.allOk++;
      if (expected.printed.includes(field)) { s.printed++; if (ok) s.printedOk++; else if (values.misses) console.log(`  miss ${f} ${field}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`); }
      stats.set(field, s);
    }
  }
  const total = [...stats.values()].reduce((a, s) => ({ p: a.p + s.printedOk, pn: a.pn + s.printed, o: a.o + s.allOk, on: a.on + s.all }), { p: 0, pn: 0, o: 0, on: 0 });
  const t = ms(times);
  console.log(`\neinvoices/dev, text path (--no-embedded): ${files.length} PDFs, ${failed} failed, ${t.mean.toFixed(0)} ms/doc mean, ${t.median.toFixed(0)} ms median`);
  console.log('| field | of printed | of all |\n|---|---|---|');
  for (const [field, s] of stats) console.log(`| ${field} | ${pct(s.printedOk, s.printed)} | ${pct(s.allOk, s.all)} |`);
  console.log(`| **all fields** | **${pct(total.p, total.pn)}** | **${pct(total.o, total.on)}** |`);
}

async function sroie(config: Config): Promise<void> {
  const dir = join(dataDir, 'sroie/train');
  if (!existsSync(join(dir, 'img'))) { console.log(`sroie: ${dir}/img not found, skipped`); return; }
  const ids = readdirSync(join(dir, 'entities')).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  const dev = ids.slice(-100).slice(0, limit);
  const keys = ['company', 'date', 'address', 'total'] as const;
  const ok: Record<(typeof keys)[number], number> = { company: 0, date: 0, address: 0, total: 0 };
  const inOcr: Record<(typeof keys)[number], number> = { company: 0, date: 0, address: 0, total: 0 };
  const boxOk: Record<(typeof keys)[number], number> = { company: 0, date: 0, address: 0, total: 0 };
  const times: number[] = [];
  let failed = 0;
  for (const id of dev) {
    const truth = JSON.parse(readFileSync(join(dir, 'entities', `${id}.txt`), 'utf8')) as Record<string, string>;
    const { record, text, error, ms: t } = await timed(new Uint8Array(readFileSync(join(dir, 'img', `${id}.jpg`))), `${id}.jpg`, config);
    times.push(t);
    if (error) { failed++; console.log(`  ${id}: ERROR ${error}`); }
    const truthDate = truth.date ? parseDate(truth.date, { order: 'DMY' })?.iso ?? null : null;
    const truthTotal = truth.total ? parseMoney(truth.total)?.value ?? null : null;
    const judge = (r: InvoiceRecord | null) => {
      const got = { company: r?.vendor.name ?? null, address: r?.vendor.address ?? null, date: r?.invoiceDate ?? null, total: r?.total ?? null };
      return {
        got,
        right: {
          company: !!got.company && squash(got.company) === squash(truth.company),
          address: !!got.address && squash(got.address) === squash(truth.address),
          date: !!got.date && (got.date === truthDate || squash(got.date) === squash(truth.date)),
          total: !!got.total && sameDecimal(got.total, truthTotal),
        },
      };
    };
    const { got, right } = judge(record);
    const boxes = join(dir, 'box', `${id}.txt`);
    const fromBoxes = existsSync(boxes) ? judge(extractInvoice(boxText(id, boxes), [], { config, model: { name: 'rules-only', version: '0' } })).right : null;
    const ocrText = squash((text as DocumentText | null)?.text);
    for (const k of keys) {
      if (right[k]) ok[k]++;
      else if (values.misses) console.log(`  miss ${id} ${k}: got ${JSON.stringify(got[k])} want ${JSON.stringify(truth[k])}`);
      if (fromBoxes?.[k]) boxOk[k]++;
      const printed = k === 'total' ? squash(truth.total).replace(/^(?:rm|\$)/, '') : squash(truth[k]);
      if (printed && ocrText.includes(printed)) inOcr[k]++;
    }
  }
  const t = ms(times);
  const n = dev.length;
  console.log(`\nSROIE dev (last 100 of sroie/train${n < 100 ? `, first ${n}` : ''}), from images: ${n} receipts, ${failed} failed, ${t.mean.toFixed(0)} ms/doc mean, ${t.median.toFixed(0)} ms median`);
  console.log('| field | accuracy, end to end (tesseract OCR) | truth found verbatim in the OCR text | extractor on the dataset\'s own OCR lines |\n|---|---|---|---|');
  for (const k of keys) console.log(`| ${k} | ${pct(ok[k], n)} | ${pct(inOcr[k], n)} | ${pct(boxOk[k], n)} |`);
  const sum = (r: Record<string, number>) => keys.reduce((a, k) => a + r[k]!, 0);
  console.log(`| **all fields** | **${pct(sum(ok), n * keys.length)}** | ${pct(sum(inOcr), n * keys.length)} | **${pct(sum(boxOk), n * keys.length)}** |`);
}

const config = loadConfig({ overrides: { embedded: false } });
try {
  console.log(`model: ${config.model.dir}${existsSync(join(config.model.dir, 'model.onnx')) ? '' : ' (not installed: rules only)'}`);
  if (!values.only || values.only === 'einvoices') await einvoices(config);
  if (!values.only || values.only === 'sroie') await sroie(config);
} finally {
  await closeOcrPool();
}
