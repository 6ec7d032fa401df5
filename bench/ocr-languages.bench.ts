import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { AUTO_LANGUAGES, guessLanguage } from '../src/document/ocr-language.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { foundVerbatim, wordRecall, words } from '../src/document/testing/word-accuracy.js';
import type { LocaleId } from '../src/synth/locales.js';
import { generateInvoice } from '../src/synth/generate.js';
import { sharedDataDir } from './data-dir.js';

/**
 * OCR languages: ocr.languages ['eng'] (English only, the setting before 'auto') against 'auto'
 * (read in English, re-read in <lang> alone when the page's words indicate another language), and
 * for the foreign locales the re-reading 'auto' does not do, <lang>+eng, as a third column.
 * 1. Generated invoices (src/synth, page 1, rendered clean at 300 dpi), per locale, report seeds
 *    101.. (the rule's thresholds were chosen on seeds 1-6): recall of the printed words and of
 *    the printed words with accented letters (Latin letters U+00C0-U+024F: umlauts, accents, ß, ñ),
 *    the language 'auto' chose, OCR seconds per page. The guess is also scored with function
 *    words and diacritics alone (without the lexicon's label phrases), from the English reading.
 * 2. Real e-invoices (einvoices/dev, every `--every`-th PDF, page 1 rendered at 300 dpi as a scan)
 *    against their own text layer: the same recalls, and which languages 'auto' chose.
 * 3. SROIE dev receipts (Malaysian English, the last 100 train ids): how many 'auto' re-reads, and
 *    the share of key fields (company, date, address, total) found verbatim, upper-cased, either way.
 * Pages are read one at a time (ocr.workers 1: one tesseract worker, as in a sandbox).
 *   nice -n 19 node --import tsx bench/ocr-languages.bench.ts [--seeds 3] [--every 5] [--receipts 100]
 */
const { values } = parseArgs({ options: {
  seeds: { type: 'string', default: '3' }, every: { type: 'string', default: '5' }, receipts: { type: 'string', default: '100' },
} });
const eng = loadConfig({ env: {}, overrides: { ocr: { workers: 1, languages: ['eng'] } } });
const auto = loadConfig({ env: {}, overrides: { ocr: { workers: 1, languages: 'auto' } } });
const ACCENTED = /[\u00C0-\u024F]/u;

interface Reading { words: string[]; language: string; ms: number }
async function read(bytes: Uint8Array, config: typeof eng): Promise<Reading> {
  const t0 = performance.now();
  const doc = await readDocumentText(bytes, { config });
  return { words: doc.pages.flatMap((p) => p.words.map((w) => w.text)), language: doc.pages.map((p) => p.language ?? '').join(','), ms: performance.now() - t0 };
}

/** Micro-averaged recall: known words found over known words, summed over pages. */
class Recall {
  found = 0; total = 0;
  add(known: readonly string[], got: readonly string[]): void { this.found += wordRecall(known, got) * known.length; this.total += known.length; }
  toString(): string { return this.total ? `${((100 * this.found) / this.total).toFixed(1)}%` : '-'; }
}
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');

// 1. generated invoices
const LOCALES: [LocaleId, string][] = [['de-DE', 'deu'], ['fr-FR', 'fra'], ['es-ES', 'spa'], ['it-IT', 'ita'], ['nl-NL', 'nld'], ['en-GB', 'eng'], ['en-US', 'eng']];
/** CPU time of the guess itself (the scoring of an English reading's words), per page. */
const guessMs: number[] = [];
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => 101 + i);
console.log(`1. Generated invoices, page 1 at 300 dpi, seeds ${seeds[0]}-${seeds.at(-1)} per locale (OCR of one page at a time, 1 worker)`);
console.log('locale | pages | accented words | accented recall eng / auto / <lang>+eng | word recall eng / auto / <lang>+eng | auto chose (right) | guess w/o labels right | s/page eng / auto');
console.log('---|---|---|---|---|---|---|---');
for (const [locale, expected] of LOCALES) {
  const acc = { eng: new Recall(), auto: new Recall(), plus: new Recall() };
  const all = { eng: new Recall(), auto: new Recall(), plus: new Recall() };
  const plusEng = expected === 'eng' ? null : loadConfig({ env: {}, overrides: { ocr: { workers: 1, languages: [expected, 'eng'] } } });
  let right = 0; let rightNoLabels = 0; let msEng = 0; let msAuto = 0;
  const chose: string[] = [];
  for (const seed of seeds) {
    const inv = await generateInvoice(seed, { locales: [locale] });
    const png = await fx.renderPdfToPng(inv.pdf, 1, 300);
    const known = inv.drawn.filter((d) => d.page === 1).flatMap((d) => words(d.text));
    const e = await read(png, eng);
    const a = await read(png, auto);
    acc.eng.add(known.filter((w) => ACCENTED.test(w)), e.words); acc.auto.add(known.filter((w) => ACCENTED.test(w)), a.words);
    all.eng.add(known, e.words); all.auto.add(known, a.words);
    if (plusEng) {
      const p = await read(png, plusEng);
      acc.plus.add(known.filter((w) => ACCENTED.test(w)), p.words); all.plus.add(known, p.words);
    }
    const first = a.language.split('+')[0]!;
    chose.push(first);
    if (first === expected) right++;
    if (guessLanguage(e.words, undefined, { functionWords: true, diacritics: true, labels: false }) === expected) rightNoLabels++;
    const g0 = performance.now();
    guessLanguage(e.words);
    guessMs.push(performance.now() - g0);
    msEng += e.ms; msAuto += a.ms;
  }
  console.log(`${locale} | ${seeds.length} | ${acc.eng.total} | ${acc.eng} / ${acc.auto} / ${acc.plus} | ${all.eng} / ${all.auto} / ${all.plus} | ${chose.join(' ')} (${right}/${seeds.length}) | ${rightNoLabels}/${seeds.length} | ${(msEng / seeds.length / 1000).toFixed(1)} / ${(msAuto / seeds.length / 1000).toFixed(1)}`);
}

guessMs.sort((a, b) => a - b);
console.log(`the language guess: median ${guessMs[guessMs.length >> 1]!.toFixed(2)} ms, max ${guessMs.at(-1)!.toFixed(2)} ms per page (the first call compiles the lexicon)`);

const dataDir = sharedDataDir();
// 2. real e-invoices rendered as scans
const einvoiceDir = dataDir ? join(dataDir, 'einvoices/dev') : '';
if (einvoiceDir && existsSync(einvoiceDir)) {
  const pdfs = readdirSync(einvoiceDir).filter((f) => f.endsWith('.pdf')).sort().filter((_, i) => i % Number(values.every) === 0);
  const acc = { eng: new Recall(), auto: new Recall() };
  const all = { eng: new Recall(), auto: new Recall() };
  const chose = new Map<string, number>();
  let msEng = 0; let msAuto = 0;
  for (const f of pdfs) {
    const bytes = new Uint8Array(readFileSync(join(einvoiceDir, f)));
    const layer = await readDocumentText(bytes, { config: eng, ocr: false });
    const known = (layer.pages[0]?.words ?? []).map((w) => w.text);
    const png = await fx.renderPdfToPng(bytes, 1, 300);
    const e = await read(png, eng);
    const a = await read(png, auto);
    acc.eng.add(known.filter((w) => ACCENTED.test(w)), e.words); acc.auto.add(known.filter((w) => ACCENTED.test(w)), a.words);
    all.eng.add(known, e.words); all.auto.add(known, a.words);
    chose.set(a.language, (chose.get(a.language) ?? 0) + 1);
    msEng += e.ms; msAuto += a.ms;
  }
  console.log(`\n2. Real e-invoices (einvoices/dev, every ${values.every}th PDF: ${pdfs.length}), page 1 rendered at 300 dpi, against the page's text layer`);
  console.log(`  accented words ${acc.eng.total}: recall eng ${acc.eng} / auto ${acc.auto}; all words ${all.eng.total}: recall eng ${all.eng} / auto ${all.auto}`);
  console.log(`  auto read them as: ${[...chose].map(([k, v]) => `${k} ${v}`).join(', ')}; s/page eng ${(msEng / pdfs.length / 1000).toFixed(1)} / auto ${(msAuto / pdfs.length / 1000).toFixed(1)}`);
}

// 3. SROIE receipts
const sroie = dataDir ? join(dataDir, 'sroie/train') : '';
if (sroie && existsSync(join(sroie, 'img'))) {
  const ids = readdirSync(join(sroie, 'entities')).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort().slice(-100).slice(0, Number(values.receipts));
  const FIELDS = ['company', 'date', 'address', 'total'] as const;
  let fields = 0; let verbatimEng = 0; let verbatimAuto = 0; let reread = 0; let msAuto = 0;
  const rereadAs = new Map<string, number>();
  for (const id of ids) {
    const bytes = new Uint8Array(readFileSync(join(sroie, 'img', `${id}.jpg`)));
    const entities = JSON.parse(readFileSync(join(sroie, 'entities', `${id}.txt`), 'utf8')) as Record<string, string>;
    const a = await read(bytes, auto);
    msAuto += a.ms;
    // under 'auto' an English page is read once, exactly as with ['eng']: only re-read pages need the English reading
    const e = a.language === 'eng' ? a : await read(bytes, eng);
    if (a.language !== 'eng') { reread++; rereadAs.set(a.language, (rereadAs.get(a.language) ?? 0) + 1); }
    for (const k of FIELDS) {
      const v = entities[k];
      if (!v) continue;
      fields++;
      if (foundVerbatim(v.toUpperCase(), e.words.join(' ').toUpperCase())) verbatimEng++;
      if (foundVerbatim(v.toUpperCase(), a.words.join(' ').toUpperCase())) verbatimAuto++;
    }
  }
  console.log(`\n3. SROIE dev receipts (${ids.length}): 'auto' re-read ${reread}${reread ? ` (${[...rereadAs].map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; `
    + `key fields verbatim eng ${pct(verbatimEng, fields)} / auto ${pct(verbatimAuto, fields)} of ${fields}; auto s/receipt ${(msAuto / ids.length / 1000).toFixed(1)}`);
}
console.log(`\n'auto' chooses among eng and ${AUTO_LANGUAGES.join(', ')}.`);
await closeOcrPool();
