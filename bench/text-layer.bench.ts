import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { openPdf } from '../src/document/pdf-document.js';
import { readDocumentText } from '../src/document/read-document.js';
import { compareLine, makeSplitPdf, SPLIT_STYLES } from '../src/document/testing/split-pdfs.js';
import { sharedDataDir } from './data-dir.js';

/**
 * Text-layer extraction speed on real PDFs: every einvoices/dev/*.pdf read with the document-text
 * stage, OCR off (readDocumentText: type detection, sha256, pdfjs parse, words, reading order).
 * Pass 1 is cold (pdfjs modules, fonts, JIT); passes 2..N are warm. Prints ms per page, wall
 * clock and CPU time of this process (pdfjs's worker runs in-process), the latter being the
 * figure to trust on a shared, loaded machine.
 *
 * Then the words: (1) einvoices/dev (embedded XML not used: every page through the text layer)
 * against pdfjs's own text layer (getTextContent items split at whitespace, the reading the stage
 * started from): how many words differ, as a bag, and the most common differences; the issue's
 * known split words, counted in both readings. (2) Generated kerning-split PDFs
 * (src/document/testing/split-pdfs.ts) with seeds 1001.. (the tests use 1-3): split-word rate
 * (share of words read that are fragments of a longer printed word) and glued words, per style,
 * for this stage and for pdfjs's own text layer.
 *   node --import tsx bench/text-layer.bench.ts [PASSES] [SPLIT_PDFS]
 */
const data = sharedDataDir();
if (!data) {
  console.error('no shared data folder (set LEDGERLENS_DATA_DIR)');
  process.exit(2);
}
const dir = join(data, 'einvoices', 'dev');
const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
const inputs = files.map((f) => ({ file: f, bytes: readFileSync(join(dir, f)) }));
const passes = Math.max(2, Number(process.argv[2] ?? 4));
const splitPdfs = Math.max(1, Number(process.argv[3] ?? 10));
const config = loadConfig({ env: {} });

const perPage: number[] = [];
let warmCpu = 0;
let warmPages = 0;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let textless = 0;
let words = 0;
for (let pass = 1; pass <= passes; pass++) {
  let pages = 0;
  const started = performance.now();
  const cpuStarted = cpuMs();
  for (const { file, bytes } of inputs) {
    const t0 = performance.now();
    const doc = await readDocumentText(bytes, { file, config, ocr: false });
    const ms = performance.now() - t0;
    pages += doc.pages.length;
    if (pass > 1) perPage.push(...doc.pages.map(() => ms / doc.pages.length));
    if (pass === passes) {
      textless += doc.pages.filter((p) => p.words.length === 0).length;
      words += doc.pages.reduce((n, p) => n + p.words.length, 0);
    }
  }
  const ms = performance.now() - started;
  const cpu = cpuMs() - cpuStarted;
  if (pass > 1) { warmCpu += cpu; warmPages += pages; }
  console.log(`pass ${pass} (${pass === 1 ? 'cold' : 'warm'}): ${files.length} PDFs, ${pages} pages, ${(ms / pages).toFixed(1)} ms/page wall, ${(cpu / pages).toFixed(1)} ms/page CPU`);
}
perPage.sort((a, b) => a - b);
const pct = (q: number) => perPage[Math.min(perPage.length - 1, Math.floor(q * perPage.length))]!.toFixed(1);
const mean = perPage.reduce((s, x) => s + x, 0) / perPage.length;
console.log(`warm: wall mean ${mean.toFixed(1)} ms/page (median ${pct(0.5)}, p90 ${pct(0.9)}, max ${pct(1)}); CPU ${(warmCpu / warmPages).toFixed(1)} ms/page (target <= 30 ms/page)`);
console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`${words} words; ${textless} pages without a usable text layer (these would go to OCR)`);

/** pdfjs's own words: its text items, split at whitespace, per page. */
async function pdfjsWords(bytes: Uint8Array): Promise<string[][]> {
  const doc = await openPdf(bytes, 1000);
  try {
    const pages: string[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' ').split(/\s+/).filter(Boolean));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

function bagDiff(a: string[], b: string[]): { gone: Map<string, number>; added: Map<string, number> } {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const gone = new Map<string, number>();
  const added = new Map<string, number>();
  for (const [w, k] of ca) if (k > (cb.get(w) ?? 0)) gone.set(w, k - (cb.get(w) ?? 0));
  for (const [w, k] of cb) if (k > (ca.get(w) ?? 0)) added.set(w, k - (ca.get(w) ?? 0));
  return { gone, added };
}

const KNOWN_SPLITS = ['Rechn ungsbetrag', 'Gesamtbetr ag', 'Muster firma'];
let pdfjsTotal = 0;
let ourTotal = 0;
let goneTotal = 0;
let addedTotal = 0;
const knownPdfjs = new Map(KNOWN_SPLITS.map((k) => [k, 0]));
const knownOurs = new Map(KNOWN_SPLITS.map((k) => [k, 0]));
const changes = new Map<string, number>();
for (const { file, bytes } of inputs) {
  const ours = (await readDocumentText(bytes, { file, config, ocr: false })).pages.map((p) => p.words.map((w) => w.text));
  const theirs = await pdfjsWords(bytes);
  ours.forEach((page, i) => {
    const { gone, added } = bagDiff(theirs[i] ?? [], page);
    ourTotal += page.length;
    pdfjsTotal += (theirs[i] ?? []).length;
    goneTotal += [...gone.values()].reduce((x, y) => x + y, 0);
    addedTotal += [...added.values()].reduce((x, y) => x + y, 0);
    if (gone.size + added.size > 0) {
      const key = `${[...gone.keys()].slice(0, 6).join(' ')} -> ${[...added.keys()].slice(0, 4).join(' ')}`;
      changes.set(key, (changes.get(key) ?? 0) + 1);
    }
    for (const k of KNOWN_SPLITS) {
      if ((theirs[i] ?? []).join(' ').includes(k)) knownPdfjs.set(k, knownPdfjs.get(k)! + 1);
      if (page.join(' ').includes(k)) knownOurs.set(k, knownOurs.get(k)! + 1);
    }
  });
}
console.log(`\neinvoices/dev words: ${ourTotal} read here, ${pdfjsTotal} by pdfjs's own text layer; as a bag, ${goneTotal} of pdfjs's words (${(100 * goneTotal / Math.max(1, pdfjsTotal)).toFixed(2)}%) are read differently, as ${addedTotal} words`);
for (const [k, v] of [...changes].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${v} page(s): ${k}`);
console.log(`known split words (pages showing them): ${KNOWN_SPLITS.map((k) => `"${k}" pdfjs ${knownPdfjs.get(k)}, here ${knownOurs.get(k)}`).join('; ')}`);

const perStyle = new Map(SPLIT_STYLES.map((s) => [s, { printed: 0, read: 0, fragments: 0, glued: 0, pjRead: 0, pjFragments: 0, pjGlued: 0 }]));
for (let seed = 1001; seed < 1001 + splitPdfs; seed++) {
  const pdf = await makeSplitPdf({ seed, pages: 1, linesPerPage: 25 });
  const lines = (await readDocumentText(pdf.bytes, { config, ocr: false })).text.split('\n');
  // pdfjs's words per generated line, by baseline
  const doc = await openPdf(pdf.bytes, 10);
  const content = await (await doc.getPage(1)).getTextContent();
  await doc.destroy();
  const byBaseline = new Map<number, string[]>();
  for (const item of content.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    const y = Math.round(item.transform[5]!);
    byBaseline.set(y, [...(byBaseline.get(y) ?? []), ...item.str.split(/\s+/).filter(Boolean)]);
  }
  pdf.pages[0]!.forEach((line, i) => {
    const st = perStyle.get(line.style)!;
    const read = (lines[i] ?? '').split(' ').filter(Boolean);
    const pj = byBaseline.get(Math.round(841.89 - line.y)) ?? [];
    const c = compareLine(line.words, read);
    const cp = compareLine(line.words, pj);
    st.printed += line.words.length; st.read += read.length; st.fragments += c.fragments; st.glued += c.glued;
    st.pjRead += pj.length; st.pjFragments += cp.fragments; st.pjGlued += cp.glued;
  });
}
const share = (a: number, b: number) => `${(100 * a / Math.max(1, b)).toFixed(1)}%`;
console.log(`\ngenerated kerning-split PDFs (${splitPdfs}, seeds 1001..${1000 + splitPdfs}, 25 lines each, fonts Helvetica, Times, Courier, embedded Liberation Sans):`);
let all = { printed: 0, read: 0, fragments: 0, glued: 0, pjRead: 0, pjFragments: 0, pjGlued: 0 };
for (const [style, st] of perStyle) {
  console.log(`  ${style.padEnd(14)} ${String(st.printed).padStart(4)} printed words: split-word rate ${share(st.fragments, st.read)}, glued ${st.glued} | pdfjs text layer: split-word rate ${share(st.pjFragments, st.pjRead)}, glued ${st.pjGlued}`);
  all = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v + st[k as keyof typeof st]])) as typeof all;
}
console.log(`  ${'all'.padEnd(14)} ${String(all.printed).padStart(4)} printed words: split-word rate ${share(all.fragments, all.read)}, glued ${all.glued} | pdfjs text layer: split-word rate ${share(all.pjFragments, all.pjRead)}, glued ${all.pjGlued}`);
