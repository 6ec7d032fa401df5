/**
 * One corpus entry: generate an invoice, read it back through the document-text stage, project the
 * printed spans onto the words read, and (optionally) do the same for a degraded scan of each page.
 * Returns the files to write and the corpus lines; no file system access here.
 */
import { createHash } from 'node:crypto';
import type { InvoiceRecord } from '../core/invoice-record.js';
import { generateInvoice, type GenerateOptions } from './generate.js';
import { corpusLines, projectSpans, type CorpusLine, type Coverage } from './label-projection.js';
import { Rng } from './prng.js';
import { degradePage, scanParams } from './scan.js';
import type { TextStage } from './text-stage.js';

export interface EntryOptions extends GenerateOptions {
  /** Read the PDF through the text stage and label its words. */
  label: boolean;
  /** Make a scan of each page (and label its OCR words when label is set). */
  scan: boolean;
}

export interface ManifestEntry {
  name: string;
  seed: number;
  layout: string;
  lang: string;
  kind: string;
  currency: string;
  dateFormat: string;
  numberStyle: string;
  pages: number;
  lineItems: number;
  pdfCoverage: Coverage | null;
  scanCoverage: Coverage | null;
  scan: { dpi: number; angle: number; quality: number } | null;
}

export interface Entry {
  files: { name: string; bytes: Uint8Array | string }[];
  lines: CorpusLine[];
  manifest: ManifestEntry;
}

/** Seeds of a run: index i of a run with seed S, spread so that neighbouring runs do not overlap. */
export function entrySeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca77)) >>> 0;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function buildEntry(seed: number, name: string, options: EntryOptions, stage: TextStage | null): Promise<Entry> {
  const g = await generateInvoice(seed, { ...options, name });
  const files: Entry['files'] = [{ name: `${name}.pdf`, bytes: g.pdf }, { name: `${name}.expected.json`, bytes: json(g.record) }];
  const lines: CorpusLine[] = [];
  const meta = { lang: g.lang, layout: g.layout };
  let pdfCoverage: Coverage | null = null;
  let scanCoverage: Coverage | null = null;
  let scanInfo: ManifestEntry['scan'] = null;
  if (options.label && stage) {
    const text = await stage.read(g.pdf, `${name}.pdf`);
    const projection = projectSpans(text, g.spans);
    pdfCoverage = projection.coverage;
    lines.push(...corpusLines(name, projection.pages, { ...meta, source: 'synth-pdf' }));
  }
  if (options.scan && stage) {
    const rng = new Rng(seed ^ 0x5ca75ca7);
    const params = scanParams(rng);
    scanInfo = { dpi: params.dpi, angle: params.angle, quality: params.quality };
    scanCoverage = { parts: 0, present: 0, labelled: 0 };
    for (let page = 1; page <= g.pages.length; page++) {
      const rendered = await stage.render(g.pdf, page, params.dpi);
      const scan = await degradePage(rendered, params, rng);
      const file = g.pages.length === 1 ? `${name}.scan.jpg` : `${name}.scan-p${page}.jpg`;
      files.push({ name: file, bytes: scan.bytes });
      if (g.pages.length === 1) {
        const record: InvoiceRecord = {
          ...g.record, fields: {},
          source: { file, sha256: createHash('sha256').update(scan.bytes).digest('hex'), mediaType: 'image/jpeg', bytes: scan.bytes.byteLength, pages: 1 },
        };
        files.push({ name: `${name}.scan.expected.json`, bytes: json(record) });
      }
      if (!options.label) continue;
      const text = await stage.read(scan.bytes, file);
      const spans = g.spans.map((s) => ({ ...s, parts: s.parts.filter((q) => q.page === page).map((q) => ({ ...q, page: 1 })) })).filter((s) => s.parts.length > 0);
      const projection = projectSpans(text, spans, { fuzzy: true, toPage: (_p, box) => scan.toImage(box) });
      for (const k of ['parts', 'present', 'labelled'] as const) scanCoverage[k] += projection.coverage[k];
      // Same id as the PDF's page: (id, source) is unique, and splits by invoice keep both together.
      const [pageLine] = corpusLines(name, projection.pages, { ...meta, source: 'synth-scan' });
      if (pageLine) lines.push({ ...pageLine, id: `${name}#p${page}` });
    }
  }
  return {
    files, lines,
    manifest: {
      name, seed, layout: g.layout, lang: g.lang, kind: g.model.kind, currency: g.model.currency, dateFormat: g.dateFormat,
      numberStyle: g.numberStyle, pages: g.pages.length, lineItems: g.record.lineItems.length, pdfCoverage, scanCoverage, scan: scanInfo,
    },
  };
}
