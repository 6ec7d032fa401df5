/**
 * Real e-invoices (../shared/data/einvoices/dev) -> corpus JSONL for evaluation: words and boxes
 * from the document-text stage (PDF text layer only; the embedded XML is ignored), tags from
 * NAME.expected.json for the fields it lists as printed:
 *   vendor.name, customer.name -> ORG; invoiceNumber -> INVOICE_NO; invoiceDate, dueDate -> DATE;
 *   subtotal, tax, total -> MONEY; and, as in the synthetic invoices, every other amount-looking
 *   word is MONEY and every other date-looking word is DATE.
 * Addresses, people and tax ids are not in expected.json, so they stay O: score this corpus on
 * ORG, INVOICE_NO, DATE and MONEY only (train.py --score-types), never train ADDRESS from it.
 * One record per page; `generator` (the file-name prefix before "__") groups the samples.
 *
 *   node --import tsx training/einvoice-corpus.ts OUT.jsonl
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedDataDir } from '../bench/data-dir.js';
import { loadConfig } from '../src/config/config.js';
import { readDocumentText } from '../src/document/read-document.js';

interface Expected {
  vendor: { name: string | null }; customer: { name: string | null };
  invoiceNumber: string | null; invoiceDate: string | null; dueDate: string | null;
  subtotal: string | null; tax: string | null; total: string | null; printed: string[];
}

const norm = (w: string): string => w.normalize('NFKC').replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
const AMOUNT = /^[-(]?(?:€|EUR|\$)?-?(?:\d{1,3}(?:[.,' \u00a0]\d{3})+|\d+)[.,]\d{2}(?:€|EUR)?\)?$/u;
const DATE = /^\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})$|^\d{4}-\d{2}-\d{2}$/;
const MONTHS: Record<string, string[]> = {
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function dateVariants(iso: string): string[][] {
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d) return [];
  const dd = d, mm = m, di = String(Number(d)), mi = String(Number(m)), yy = y.slice(2);
  const single = [`${dd}.${mm}.${y}`, `${di}.${mi}.${y}`, `${dd}.${mm}.${yy}`, `${iso}`, `${dd}/${mm}/${y}`, `${mm}/${dd}/${y}`,
    `${dd}-${mm}-${y}`, `${y}${mm}${dd}`, `${y}/${mm}/${dd}`].map((s) => [s]);
  const multi = Object.values(MONTHS).flatMap((names) => {
    const name = names[Number(m) - 1] ?? '';
    return [[`${di}.`, name, y], [`${dd}.`, name, y], [di, name, y], [name, `${di},`, y]];
  });
  return [...single, ...multi];
}

function amountVariants(value: string): string[] {
  const [int = '', dec = '00'] = value.replace('-', '').split('.');
  const groups = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u0000');
  return [groups.replaceAll('\u0000', '.') + ',' + dec, groups.replaceAll('\u0000', ',') + '.' + dec,
    int + ',' + dec, int + '.' + dec, groups.replaceAll('\u0000', ' ') + ',' + dec];
}

/** Tags every occurrence of a word sequence (compared punctuation- and case-insensitively). */
function tagSequence(words: string[], tags: string[], seq: string[], type: string): boolean {
  const target = seq.map(norm).filter(Boolean);
  if (target.length === 0) return false;
  let found = false;
  for (let i = 0; i < words.length; i++) {
    let k = 0;
    let j = i;
    while (j < words.length && k < target.length) {
      const w = norm(words[j] ?? '');
      if (w === '' && k > 0) { j++; continue; }
      if (w !== target[k]) break;
      k++; j++;
    }
    if (k === target.length && tags.slice(i, j).every((t) => t === 'O' || t.endsWith('MONEY') || t.endsWith('DATE'))) {
      for (let x = i; x < j; x++) tags[x] = `${x === i ? 'B' : 'I'}-${type}`;
      found = true;
      i = j - 1;
    }
  }
  return found;
}

function stripCurrency(w: string): string {
  return w.replace(/^(€|EUR|\$)/u, '').replace(/(€|EUR)$/u, '');
}

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: einvoice-corpus.ts OUT.jsonl');
  const data = sharedDataDir();
  if (!data) throw new Error('no shared data folder (set LEDGERLENS_DATA_DIR)');
  const dir = resolve(data, 'einvoices', 'dev');
  const config = loadConfig();
  const lines: string[] = [];
  const stats: Record<string, [number, number]> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort()) {
    const name = file.replace(/\.pdf$/, '');
    const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
    const doc = await readDocumentText(readFileSync(join(dir, file)), { file, config, ocr: false });
    const fields: [string, string | null, string][] = [
      ['vendor.name', expected.vendor.name, 'ORG'], ['customer.name', expected.customer.name, 'ORG'],
      ['invoiceNumber', expected.invoiceNumber, 'INVOICE_NO'], ['invoiceDate', expected.invoiceDate, 'DATE'],
      ['dueDate', expected.dueDate, 'DATE'], ['subtotal', expected.subtotal, 'MONEY'], ['tax', expected.tax, 'MONEY'],
      ['total', expected.total, 'MONEY'],
    ];
    const matched = new Set<string>();
    const pages = doc.pages.filter((p) => p.words.length > 0).map((page) => {
      const words = page.words.map((w) => w.text);
      const tags = words.map((w) => (AMOUNT.test(w) ? 'B-MONEY' : DATE.test(w) ? 'B-DATE' : 'O'));
      for (const [key, value, type] of fields) {
        if (!value || !expected.printed.includes(key)) continue;
        let ok = false;
        if (type === 'MONEY') {
          const variants = amountVariants(value);
          words.forEach((w, i) => { if (variants.includes(stripCurrency(w))) { tags[i] = 'B-MONEY'; ok = true; } });
        } else if (type === 'DATE') {
          for (const v of dateVariants(value)) ok = tagSequence(words, tags, v, 'DATE') || ok;
        } else {
          ok = tagSequence(words, tags, value.split(/\s+/), type);
        }
        if (ok) matched.add(key);
      }
      const box = (b: number[]) => [b[0]! / page.width, b[1]! / page.height, b[2]! / page.width, b[3]! / page.height]
        .map((v) => Math.max(0, Math.min(1000, Math.round(v * 1000))));
      return { words, boxes: page.words.map((w) => box(w.bbox)), tags, page: page.number };
    });
    for (const [key, value] of fields) {
      if (!value || !expected.printed.includes(key)) continue;
      const s = (stats[key] ??= [0, 0]);
      s[1]++;
      if (matched.has(key)) s[0]++;
    }
    for (const p of pages) {
      lines.push(JSON.stringify({ id: `${name}#p${p.page}`, words: p.words, boxes: p.boxes, tags: p.tags, source: 'einvoice',
        doc: name, generator: name.split('__')[0] }));
    }
  }
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`einvoices: ${lines.length} pages -> ${out}`);
  console.log(`printed fields matched: ${Object.entries(stats).map(([k, [m, n]]) => `${k} ${m}/${n}`).join(', ')}`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
