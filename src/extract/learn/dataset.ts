import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, type Config } from '../../config/config.js';
import { layoutText, type DocumentText, type RawWord } from '../../core/document-text.js';
import type { EntitySpan } from '../../core/entity-span.js';
import { getField, type InvoiceRecord } from '../../core/invoice-record.js';
import { readDocumentText } from '../../document/read-document.js';
import { ner as nerStage, ocr as ocrStage } from '../../pipeline/stages.js';
import { generateInvoice } from '../../synth/generate.js';
import { parseDate } from '../normalize-date.js';
import { parseMoney } from '../normalize-money.js';
import { SCORED_FIELDS, type ScoredField } from '../scorer/scorer.js';
import { printedIn } from './truth.js';

/**
 * A labelled document for training and measuring the scorer. `truth` holds the fields this source
 * labels (a missing key: unknown, never trained or scored; null: the document has no such value);
 * `scored` the fields a text-path extractor can be asked for (the value is printed).
 */
export interface LabelledDoc {
  id: string;
  source: 'einvoice' | 'sroie' | 'synth';
  /** The unit of grouped cross-validation: the generator of an e-invoice, the fold of a receipt. */
  group: string;
  text: DocumentText;
  /** Token-classifier spans; null when the classifier was trained on this document (its features would be in-sample). */
  spans: EntitySpan[] | null;
  truth: Partial<Record<ScoredField, string | null>>;
  scored: Set<ScoredField>;
  /** 'ocr': the text came from our own OCR stage (an image), as a scan's would in the product. */
  read?: 'ocr';
}

const CACHE = join(tmpdir(), 'ledgerlens-cache');

/** The document text and spans of a file, cached by content hash (the readers and the classifier are slow). */
async function readCached(key: string, make: () => Promise<{ text: DocumentText; spans: EntitySpan[] }>): Promise<{ text: DocumentText; spans: EntitySpan[] }> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { text: DocumentText; spans: EntitySpan[] };
  const v = await make();
  writeFileSync(file, JSON.stringify(v));
  return v;
}

const digests = new Map<string, string>();
/**
 * The classifier's identity for the cache: a digest of its bundle's files, not its folder (a bundle
 * rebuilt in the same folder would otherwise be served the old bundle's spans).
 */
function modelDigest(config: Config): string {
  const dir = config.model.dir;
  let d = digests.get(dir);
  if (d === undefined) {
    const h = createHash('sha256');
    for (const f of ['model.onnx', 'config.json', 'tokenizer.json']) {
      const file = join(dir, f);
      h.update(f).update(existsSync(file) ? readFileSync(file) : 'missing');
    }
    d = h.digest('hex').slice(0, 16);
    digests.set(dir, d);
  }
  return d;
}

async function spansOf(text: DocumentText, config: Config): Promise<EntitySpan[]> {
  return nerStage(text, { config } as never);
}

/** The generator of an e-invoice file: the word after the first '-' of the name's prefix, lower case. */
export function generatorOf(file: string): string {
  const prefix = file.split('__')[0]!;
  return (prefix.split('-')[1] ?? prefix).toLowerCase();
}

/** einvoices/dev: truth from NAME.expected.json, and the addresses and the seller's tax id from the embedded XML. */
export async function loadEinvoices(dataDir: string, config: Config, log: (s: string) => void = () => {}): Promise<LabelledDoc[]> {
  const dir = join(dataDir, 'einvoices/dev');
  if (!existsSync(dir)) return [];
  const out: LabelledDoc[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
  const reader = sourceDigest('src/document');
  for (const [i, f] of files.entries()) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    const sha = createHash('sha256').update(bytes).digest('hex');
    const { text, spans } = await readCached(`einvoice:v2:${sha}:${reader}:${modelDigest(config)}`, async () => {
      const text = await readDocumentText(bytes, { file: f, config: { ...config, embedded: false } });
      return { text, spans: await spansOf(text, config) };
    });
    const xml = await readCached(`einvoice-xml:v1:${sha}`, async () => {
      const r = await ocrStage(bytes, { file: f }, { config: { ...config, embedded: true } } as never);
      return { text: (r.kind === 'record' ? r.record : null) as unknown as DocumentText, spans: [] };
    });
    const record = xml.text as unknown as InvoiceRecord | null;
    const expected = JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expected.json')), 'utf8')) as Record<string, unknown> & { printed: string[] };
    const truth: LabelledDoc['truth'] = {};
    const scored = new Set<ScoredField>();
    for (const field of SCORED_FIELDS) {
      const fromXml = ['vendor.address', 'customer.address', 'vendor.taxId'].includes(field);
      const want = fromXml ? (record ? getField(record as never, field) : undefined) : getField(expected as never, field);
      // the XML's null says only that the XML has no value, not that the PDF prints none: unknown
      if (want === undefined || want === null) continue;
      truth[field] = want;
      if (want !== null && (fromXml ? printedIn(field, want, text.text) : expected.printed.includes(field))) scored.add(field);
    }
    out.push({ id: f, source: 'einvoice', group: generatorOf(f), text, spans, truth, scored });
    if ((i + 1) % 10 === 0) log(`einvoices: ${i + 1}/${files.length}`);
  }
  return out;
}

/** A receipt's DocumentText from the SROIE dataset's own OCR lines (8 coordinates, then the text). */
export function sroieBoxText(id: string, file: string): DocumentText {
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

function sroieTruth(dir: string, id: string): LabelledDoc['truth'] {
  const t = JSON.parse(readFileSync(join(dir, 'entities', `${id}.txt`), 'utf8')) as Record<string, string>;
  return {
    'vendor.name': t.company ?? null, 'vendor.address': t.address ?? null,
    invoiceDate: t.date ? parseDate(t.date, { order: 'DMY' })?.iso ?? null : null,
    total: t.total ? parseMoney(t.total)?.value ?? null : null,
  };
}

/** SROIE train ids, sorted; the token classifier trained on all but the last 100 (the dev split). */
export function sroieIds(dataDir: string): string[] {
  const dir = join(dataDir, 'sroie/train/entities');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort() : [];
}

/** SROIE from the dataset's OCR lines, k folds by sorted id; no token-classifier spans (it trained on these). */
export function loadSroieBoxes(dataDir: string, folds = 5): LabelledDoc[] {
  const dir = join(dataDir, 'sroie/train');
  return sroieIds(dataDir).map((id, i) => {
    const truth = sroieTruth(dir, id);
    const text = sroieBoxText(id, join(dir, 'box', `${id}.txt`));
    const scored = new Set(Object.entries(truth).filter(([, v]) => v !== null).map(([k]) => k as ScoredField));
    return { id, source: 'sroie' as const, group: `sroie-${i % folds}`, text, spans: null, truth, scored };
  });
}

/**
 * The SROIE images (the 100 dev receipts, the only ones ../shared/data has) through the whole text
 * stage: tesseract OCR, then the classifier, which never saw them.
 */
export async function loadSroieImages(dataDir: string, config: Config, log: (s: string) => void = () => {}): Promise<LabelledDoc[]> {
  const dir = join(dataDir, 'sroie/train');
  if (!existsSync(join(dir, 'img'))) return [];
  const ids = sroieIds(dataDir).slice(-100);
  const index = new Map(sroieIds(dataDir).map((id, i) => [id, i]));
  const reader = sourceDigest('src/document');
  const out: LabelledDoc[] = [];
  for (const [i, id] of ids.entries()) {
    const bytes = new Uint8Array(readFileSync(join(dir, 'img', `${id}.jpg`)));
    const { text, spans } = await readCached(`sroie-img:v2:${id}:${reader}:${modelDigest(config)}`, async () => {
      const text = await readDocumentText(bytes, { file: `${id}.jpg`, config });
      return { text, spans: await spansOf(text, config) };
    });
    const truth = sroieTruth(dir, id);
    const scored = new Set(Object.entries(truth).filter(([, v]) => v !== null).map(([k]) => k as ScoredField));
    // grouped with the same receipt's dataset lines (loadSroieBoxes), so no inner fold holds both
    out.push({ id, source: 'sroie', group: `sroie-${index.get(id)! % 5}`, text, spans, truth, scored, read: 'ocr' });
    if ((i + 1) % 10 === 0) log(`sroie images: ${i + 1}/${ids.length}`);
  }
  return out;
}

/** A digest of a source folder: cached documents are stale once the code that read or made them changes. */
function sourceDigest(...folders: string[]): string {
  const h = createHash('sha256');
  for (const folder of folders) {
    const dir = join(PROJECT_ROOT, folder);
    for (const f of readdirSync(dir, { recursive: true }).map(String).filter((x) => x.endsWith('.ts')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Synthetic invoices from seeds (the classifier trained on seed-1 corpora; use other seeds).
 * `vendorOf` makes vendor histories: seeds with the same vendor seed are one vendor's invoices
 * (grouped by vendor); `ner: false` skips the classifier (its spans stay null).
 */
export async function loadSynth(seeds: number[], config: Config, log: (s: string) => void = () => {}, options: { vendorOf?: (seed: number) => number; ner?: boolean } = {}): Promise<LabelledDoc[]> {
  const out: LabelledDoc[] = [];
  const digest = sourceDigest('src/synth', 'src/document');
  const ner = options.ner ?? true;
  for (const [i, seed] of seeds.entries()) {
    let layout = '';
    const vendorSeed = options.vendorOf?.(seed);
    const key = vendorSeed === undefined ? `${seed}` : `${seed}-v${vendorSeed}`;
    const { text, spans } = await readCached(`synth:v3:${key}:${digest}:${ner ? modelDigest(config) : 'no-ner'}`, async () => {
      const g = await generateInvoice(seed, vendorSeed === undefined ? {} : { vendorSeed });
      const text = await readDocumentText(g.pdf, { file: `synth-${seed}.pdf`, config: { ...config, embedded: false } });
      writeFileSync(join(CACHE, `synth-${key}-${digest}.record.json`), JSON.stringify({ record: g.record, layout: g.layout }));
      return { text, spans: ner ? await spansOf(text, config) : [] };
    });
    const { record, layout: l } = JSON.parse(readFileSync(join(CACHE, `synth-${key}-${digest}.record.json`), 'utf8')) as { record: InvoiceRecord; layout: string };
    layout = l;
    const truth: LabelledDoc['truth'] = {};
    const scored = new Set<ScoredField>();
    for (const field of SCORED_FIELDS) {
      const want = getField(record as never, field);
      truth[field] = want;
      if (want !== null && (['subtotal', 'tax', 'total', 'invoiceDate', 'dueDate'].includes(field) || printedIn(field, want, text.text))) scored.add(field);
    }
    out.push({ id: `synth-${key}`, source: 'synth', group: vendorSeed === undefined ? `synth-${layout}` : `vendor-${vendorSeed}`, text, spans: ner ? spans : null, truth, scored });
    if ((i + 1) % 25 === 0) log(`synth: ${i + 1}/${seeds.length}`);
  }
  return out;
}

/**
 * Synthetic vendor histories for the layout-memory model: `vendors` vendors (vendor seeds 700000+),
 * `perVendor` invoices each (seeds 710000 + 10 * vendor + i), without the classifier's spans.
 */
export function loadVendorHistories(vendors: number, config: Config, log: (s: string) => void = () => {}, perVendor = 5): Promise<LabelledDoc[]> {
  const seeds = Array.from({ length: vendors * perVendor }, (_, i) => 710000 + 10 * Math.floor(i / perVendor) + (i % perVendor));
  return loadSynth(seeds, config, log, { vendorOf: (s) => 700000 + Math.floor((s - 710000) / 10), ner: false });
}
