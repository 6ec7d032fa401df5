/** Corpus statistics: how varied a generated corpus is, and how well its labels cover the fields. */
import type { ManifestEntry } from './corpus-build.js';
import type { Coverage, CorpusLine } from './label-projection.js';

export interface CorpusStats {
  invoices: number;
  pages: number;
  by: Record<'layout' | 'lang' | 'currency' | 'dateFormat' | 'numberStyle' | 'kind', Record<string, number>>;
  /** Corpus lines per source, entities (B- tags) and tagged words per label. */
  lines: Record<string, number>;
  entities: Record<string, number>;
  words: Record<string, number>;
  /** Labelled / present span parts, as a fraction with 4 decimals (null without labelling). */
  coverage: { pdf: number | null; scan: number | null };
}

const bump = (o: Record<string, number>, k: string, n = 1) => { o[k] = (o[k] ?? 0) + n; };

export function statsOf(entries: Iterable<ManifestEntry>, lines: Iterable<CorpusLine> | null): CorpusStats {
  const s: CorpusStats = {
    invoices: 0, pages: 0, by: { layout: {}, lang: {}, currency: {}, dateFormat: {}, numberStyle: {}, kind: {} },
    lines: {}, entities: {}, words: {}, coverage: { pdf: null, scan: null },
  };
  const pdf: Coverage = { parts: 0, present: 0, labelled: 0 };
  const scan: Coverage = { parts: 0, present: 0, labelled: 0 };
  let anyPdf = false;
  let anyScan = false;
  for (const e of entries) {
    s.invoices++;
    s.pages += e.pages;
    for (const k of Object.keys(s.by) as (keyof CorpusStats['by'])[]) bump(s.by[k], String(e[k]));
    if (e.pdfCoverage) { anyPdf = true; for (const k of ['parts', 'present', 'labelled'] as const) pdf[k] += e.pdfCoverage[k]; }
    if (e.scanCoverage) { anyScan = true; for (const k of ['parts', 'present', 'labelled'] as const) scan[k] += e.scanCoverage[k]; }
  }
  const frac = (c: Coverage) => (c.present ? Math.round((c.labelled / c.present) * 10_000) / 10_000 : null);
  s.coverage = { pdf: anyPdf ? frac(pdf) : null, scan: anyScan ? frac(scan) : null };
  for (const line of lines ?? []) {
    bump(s.lines, line.source);
    for (const t of line.tags) {
      bump(s.words, t);
      if (t.startsWith('B-')) bump(s.entities, t.slice(2));
    }
  }
  return s;
}

function table(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = rows.reduce((t, [, n]) => t + n, 0) || 1;
  const width = Math.max(...rows.map(([k]) => k.length), title.length);
  return [`${title}`, ...rows.map(([k, n]) => `  ${k.padEnd(width)}  ${String(n).padStart(7)}  ${((n / total) * 100).toFixed(1).padStart(5)}%`)].join('\n');
}

export function formatStats(s: CorpusStats): string {
  const parts = [
    `invoices ${s.invoices}, pages ${s.pages}`,
    `label coverage (labelled / present span parts): PDF ${s.coverage.pdf ?? '-'}, scan ${s.coverage.scan ?? '-'}`,
    table('layout', s.by.layout), table('language', s.by.lang), table('currency', s.by.currency),
    table('date format', s.by.dateFormat), table('number format', s.by.numberStyle), table('document kind', s.by.kind),
  ];
  if (Object.keys(s.lines).length) {
    parts.push(table('corpus lines (pages) by source', s.lines), table('entities by label', s.entities), table('words by tag', s.words));
  }
  return `${parts.join('\n\n')}\n`;
}
