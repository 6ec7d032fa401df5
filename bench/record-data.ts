/**
 * Documents for the record benchmarks, each with its truth record: einvoices/dev (the page text
 * read with embedded reading off, the truth from the embedded XML through the fast path) and
 * synthetic invoices (the generator's own record). Page text and token-classifier spans are cached
 * by content hash in the system temp folder (the readers and the classifier are slow).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/config/config.js';
import type { DocumentText } from '../src/core/document-text.js';
import type { EntitySpan } from '../src/core/entity-span.js';
import type { InvoiceRecord } from '../src/core/invoice-record.js';
import { readDocumentText } from '../src/document/read-document.js';
import { findEmbeddedInvoiceXml, parseInvoiceXml } from '../src/einvoice/einvoice.js';
import { ner } from '../src/pipeline/stages.js';
import { generateInvoice } from '../src/synth/generate.js';

export interface BenchDoc { id: string; text: DocumentText; spans: EntitySpan[]; truth: InvoiceRecord }

const CACHE = join(tmpdir(), 'ledgerlens-record-bench');

async function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  const v = await make();
  writeFileSync(file, JSON.stringify(v));
  return v;
}

async function textAndSpans(bytes: Uint8Array, file: string, config: Config, withSpans: boolean): Promise<{ text: DocumentText; spans: EntitySpan[] }> {
  const sha = createHash('sha256').update(bytes).digest('hex');
  return cached(`text:v1:${sha}:${withSpans ? config.model.dir : 'no-spans'}`, async () => {
    const text = await readDocumentText(bytes, { file, config: { ...config, embedded: false } });
    return { text, spans: withSpans ? await ner(text, { config } as never) : [] };
  });
}

/** einvoices/dev PDFs that carry XML: page text (embedded reading off) and the fast path's record as truth. */
export async function loadDev(dataDir: string, config: Config, withSpans: boolean, log: (s: string) => void = () => {}): Promise<BenchDoc[]> {
  const dir = join(dataDir, 'einvoices', 'dev');
  if (!existsSync(dir)) return [];
  const out: BenchDoc[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();
  for (const [i, f] of files.entries()) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    const found = await findEmbeddedInvoiceXml(bytes);
    if (!found) continue;
    const source = { file: f, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType: 'application/pdf' as const, bytes: bytes.byteLength, pages: 0 };
    const truth = parseInvoiceXml(found.xml, source);
    const { text, spans } = await textAndSpans(bytes, f, config, withSpans);
    out.push({ id: f, text, spans, truth });
    if ((i + 1) % 20 === 0) log(`einvoices/dev: ${i + 1}/${files.length}`);
  }
  return out;
}

/** Synthetic invoices from `seeds`: the rendered PDF's text and the generator's record. */
export async function loadSynthetic(seeds: number[], config: Config, withSpans: boolean, log: (s: string) => void = () => {}): Promise<BenchDoc[]> {
  const out: BenchDoc[] = [];
  for (const [i, seed] of seeds.entries()) {
    // generated every time (fast): the text cache is keyed by the PDF's bytes, so a generator change is never served stale
    const g = await generateInvoice(seed);
    const { text, spans } = await textAndSpans(g.pdf, `synth-${seed}.pdf`, config, withSpans);
    out.push({ id: `synth-${seed}`, text, spans, truth: g.record });
    if ((i + 1) % 50 === 0) log(`synthetic: ${i + 1}/${seeds.length}`);
  }
  return out;
}
