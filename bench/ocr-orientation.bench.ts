import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { pageOrientation } from '../src/document/ocr-image.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { MIN_ORIENTATION_CONFIDENCE, SURE_ORIENTATION_CONFIDENCE, type Orientation } from '../src/document/ocr-orientation.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { wordRecall, words } from '../src/document/testing/word-accuracy.js';
import { generateInvoice } from '../src/synth/generate.js';
import { sharedDataDir } from './data-dir.js';

/**
 * Orientation detection (ocr.orientation 'auto', src/document/ocr-orientation.ts) on pages given
 * sideways or upside down with no EXIF tag (turned 90, 180 and 270 degrees clockwise) and as they are:
 * 1. Detection: how often tesseract's OSD names the turn that makes the page upright, per
 *    confidence threshold, and how often it would turn a page that is already upright (the cost
 *    of a wrong turn is a page of garbage). Generated invoices (page 1 at 300 dpi; tune seeds
 *    1..--tune chose MIN_ORIENTATION_CONFIDENCE, report seeds 101..) and the SROIE dev receipts
 *    (the last 100 train ids; real photos and scans, taken as upright as they are).
 * 2. Reading: word recall with ocr.orientation 'off' against 'auto', and seconds per page, of
 *    upright and of turned pages: generated invoices (report seeds) and the last 50 SROIE dev
 *    receipts (the rule's thresholds were set after part 1's table of all 100). One worker.
 *   nice -n 19 node --import tsx bench/ocr-orientation.bench.ts [--tune 8] [--report 16] [--receipts 100] [--read 4] [--read-receipts 50]
 */
const { values } = parseArgs({ options: {
  tune: { type: 'string', default: '8' }, report: { type: 'string', default: '16' }, receipts: { type: 'string', default: '100' }, read: { type: 'string', default: '4' }, 'read-receipts': { type: 'string', default: '50' }, parts: { type: 'string', default: '1,2' },
} });
const auto = loadConfig({ env: {}, overrides: { ocr: { workers: 1, orientation: 'auto' } } });
const off = loadConfig({ env: {}, overrides: { ocr: { workers: 1, orientation: 'off' } } });
const TURNS = [0, 90, 180, 270] as const;
const THRESHOLDS = [0, 1, 2, 3, 5, 7];

/** One detection: the page turned `angle` clockwise, so `(360 - angle) % 360` makes it upright. */
interface Detection { angle: number; found: Orientation | null }

async function detectAll(png: Uint8Array): Promise<Detection[]> {
  const out: Detection[] = [];
  for (const angle of TURNS) {
    const turned = angle === 0 ? png : new Uint8Array(await sharp(png).rotate(angle).png().toBuffer());
    out.push({ angle, found: await pageOrientation(await fx.toGray(turned), auto) });
  }
  return out;
}

function table(label: string, ds: Detection[]): void {
  const turned = ds.filter((d) => d.angle !== 0);
  const upright = ds.filter((d) => d.angle === 0);
  console.log(`\n${label}: ${upright.length} pages, each also turned 90/180/270 (${turned.length})`);
  console.log('min confidence | turned pages made upright | turned pages turned wrong | upright pages turned (false turns)');
  console.log('---|---|---|---');
  for (const t of THRESHOLDS) {
    const applies = (d: Detection) => d.found !== null && d.found.turn !== 0 && d.found.confidence >= t;
    const right = turned.filter((d) => applies(d) && d.found!.turn === (360 - d.angle) % 360).length;
    const wrong = turned.filter((d) => applies(d) && d.found!.turn !== (360 - d.angle) % 360).length;
    const falseTurns = upright.filter(applies).length;
    const mark = t === MIN_ORIENTATION_CONFIDENCE ? ' (tried, both readings compared)' : t === SURE_ORIENTATION_CONFIDENCE ? ' (turned without comparing)' : '';
    console.log(`${t}${mark} | ${right}/${turned.length} | ${wrong}/${turned.length} | ${falseTurns}/${upright.length}`);
  }
}

const page1 = async (seed: number) => fx.renderPdfToPng((await generateInvoice(seed)).pdf, 1, 300);
const tuneSeeds = Array.from({ length: Number(values.tune) }, (_, i) => 1 + i);
const reportSeeds = Array.from({ length: Number(values.report) }, (_, i) => 101 + i);

const parts = new Set(values.parts!.split(','));
const dataDir = sharedDataDir();
const sroie = dataDir ? join(dataDir, 'sroie/train') : '';
if (parts.has('1')) {
const tune: Detection[] = [];
for (const seed of tuneSeeds) tune.push(...await detectAll(await page1(seed)));
table(`1a. Generated invoices, tune seeds ${tuneSeeds[0]}-${tuneSeeds.at(-1)}`, tune);
const report: Detection[] = [];
for (const seed of reportSeeds) report.push(...await detectAll(await page1(seed)));
table(`1b. Generated invoices, report seeds ${reportSeeds[0]}-${reportSeeds.at(-1)}`, report);

if (sroie && existsSync(join(sroie, 'img'))) {
  const ids = readdirSync(join(sroie, 'entities')).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort().slice(-100).slice(0, Number(values.receipts));
  const ds: Detection[] = [];
  for (const id of ids) {
    const png = new Uint8Array(await sharp(readFileSync(join(sroie, 'img', `${id}.jpg`))).rotate().png().toBuffer());
    ds.push(...await detectAll(png));
  }
  table('1c. SROIE dev receipts', ds);
  const none = ds.filter((d) => d.found === null).length;
  console.log(`no orientation found (too little text for OSD): ${none}/${ds.length}`);
} else {
  console.log('\n1c. no SROIE images (LEDGERLENS_DATA_DIR or ../shared/data): skipped');
}

}

// 2. reading pages upright and turned, orientation 'off' against 'auto'
interface Tally { found: number; total: number; ms: number; pages: number }
const tally = (): Tally => ({ found: 0, total: 0, ms: 0, pages: 0 });
async function readBoth(png: Uint8Array, known: string[], angle: number, into: Record<string, Tally>): Promise<void> {
  const turned = angle === 0 ? png : new Uint8Array(await sharp(png).rotate(angle).png().toBuffer());
  for (const [name, config] of [['off', off], ['auto', auto]] as const) {
    const t0 = performance.now();
    const doc = await readDocumentText(turned, { config });
    const t = into[`${name} ${angle === 0 ? 'upright' : 'turned'}`]!;
    t.ms += performance.now() - t0; t.pages++;
    t.found += wordRecall(known, doc.text.toUpperCase().split(/\s+/).filter(Boolean)) * known.length; t.total += known.length;
  }
}
function report2(label: string, into: Record<string, Tally>): void {
  console.log(`\n${label}`);
  console.log('pages | orientation | pages read | word recall | s/page');
  console.log('---|---|---|---|---');
  for (const [k, t] of Object.entries(into)) {
    const [name, kind] = k.split(' ');
    console.log(`${kind} | ${name} | ${t.pages} | ${t.total ? ((100 * t.found) / t.total).toFixed(1) : '-'}% | ${(t.ms / Math.max(1, t.pages) / 1000).toFixed(2)}`);
  }
}
if (parts.has('2')) {
const slots = () => Object.fromEntries(['off upright', 'auto upright', 'off turned', 'auto turned'].map((k) => [k, tally()]));
const readSeeds = reportSeeds.slice(0, Number(values.read));
const gen = slots();
for (const seed of readSeeds) {
  const inv = await generateInvoice(seed);
  const known = inv.drawn.filter((d) => d.page === 1).flatMap((d) => words(d.text)).map((w) => w.toUpperCase());
  const png = await fx.renderPdfToPng(inv.pdf, 1, 300);
  for (const angle of TURNS) await readBoth(png, known, angle, gen);
}
report2(`2a. Generated invoices, report seeds ${readSeeds[0]}-${readSeeds.at(-1)}, page 1 upright and turned 90/180/270 (words upper-cased)`, gen);

// SROIE dev receipts (the only ones with images here): the last --read-receipts of the 100
if (sroie && existsSync(join(sroie, 'img'))) {
  const all = readdirSync(join(sroie, 'entities')).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  const fresh = all.slice(-100).slice(-Number(values['read-receipts']));
  const rec = slots();
  for (const [i, id] of fresh.entries()) {
    const known = readFileSync(join(sroie, 'box', `${id}.txt`), 'utf8').split('\n').filter((l) => l.trim())
      .flatMap((l) => words(l.split(',').slice(8).join(',').trim())).map((w) => w.toUpperCase());
    const png = new Uint8Array(await sharp(readFileSync(join(sroie, 'img', `${id}.jpg`))).rotate().png().toBuffer());
    await readBoth(png, known, 0, rec);
    await readBoth(png, known, TURNS[1 + (i % 3)]!, rec); // each receipt turned one way: 90, 180, 270 in turn
  }
  report2(`2b. SROIE dev receipts (the last ${fresh.length}), as they are and each turned once (90, 180, 270 in turn); gold lines, upper-cased`, rec);
}
}
await closeOcrPool();
