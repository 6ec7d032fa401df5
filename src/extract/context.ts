import type { BBox, DocumentText } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import { labels, languageScores, wordClasses } from '../lexicon/index.js';
import type { LabelConcept } from '../lexicon/concepts.js';
import { detectCountry } from './locale.js';
import { buildLayout, unionBox, type Layout } from './layout.js';
import { inferDateOrder, type DateOrder } from './normalize-date.js';
import { detectDecimalMark, type DecimalMark } from './normalize-money.js';

/** A label phrase printed on a line: the concept it names and where it stands. */
export interface LabelHit {
  concept: LabelConcept;
  start: number;
  end: number;
  line: number;
  /** Index of the cell of its line that holds it. */
  cell: number;
  bbox: BBox;
  /** The label starts its cell (a form label or a header), not mid-sentence. */
  atCellStart: boolean;
  /** The label is all its cell prints (punctuation aside): a header or a label with its value elsewhere. */
  wholeCell: boolean;
}

/** Everything the candidate finders and the features read about one document, computed once. */
export interface DocContext {
  text: DocumentText;
  layout: Layout;
  /** Label hits per line index, left to right. */
  labelsByLine: LabelHit[][];
  /** Word classes (legal form, street word...) per line index: class -> count. */
  classesByLine: Array<Map<string, number>>;
  lang: string | null;
  country: string | null;
  mark: DecimalMark | undefined;
  order: DateOrder;
  /** Median word height of the document, for relative font size. */
  wordHeight: number;
  /** Token-classifier spans; null when features must not use them (no model, or masked). */
  spans: EntitySpan[] | null;
}

/** Common OCR letter slips inside words ("TotaI", "T0TAL", "[otal"), replaced one character for one. */
export function foldOcr(text: string): string {
  return text.replace(/(?<=\p{Ll})I(?=\p{Ll}|\b)/gu, 'l').replace(/(?<=\p{Lu})0(?=\p{Lu})/gu, 'O')
    .replace(/(^|[^\p{L}])[[(|Il1]otal\b/gu, '$1Total').replace(/\bT[o0]ta[l1I|]\b/gu, 'Total');
}

function median(xs: number[]): number {
  if (!xs.length) return 10;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Builds the document context; `spans` null turns the token-classifier features off. */
export function docContext(text: DocumentText, spans: EntitySpan[] | null): DocContext {
  const layout = buildLayout(text);
  const matcher = labels();
  const classes = wordClasses();
  const ocr = new Set(text.pages.filter((p) => p.method === 'ocr').map((p) => p.number));
  const labelsByLine: LabelHit[][] = [];
  const classesByLine: Array<Map<string, number>> = [];
  for (const line of layout.lines) {
    // OCR letter slips ("TotaI") are folded before matching; the fold keeps every offset
    const lineText = ocr.has(line.page) ? foldOcr(line.text) : line.text;
    const hits: LabelHit[] = [];
    for (const h of matcher.find(lineText)) {
      // a compound's head ("Kosten|rechnung") labels the whole word
      let from = h.start;
      while (from > 0 && /\p{L}/u.test(lineText[from - 1]!)) from--;
      const start = line.start + from; const end = line.start + h.end;
      const cellIndex = Math.max(0, line.cells.findIndex((c) => start >= c.start && start < c.end));
      const cell = line.cells[cellIndex]!;
      const words = line.words.filter((w) => w.end > start && w.start < end);
      const before = layout.text.slice(cell.start, start).replace(/[\s:.#|*-]+/g, '');
      const after = layout.text.slice(end, cell.end).replace(/[\s:.#|*()/-]+/g, '');
      hits.push({
        concept: h.key as LabelConcept, start, end, line: line.index, cell: cellIndex,
        bbox: words.length ? unionBox(words.map((w) => w.bbox)) : cell.bbox,
        atCellStart: before.length === 0, wholeCell: before.length === 0 && after.length === 0,
      });
    }
    labelsByLine.push(hits);
    const counts = new Map<string, number>();
    for (const h of classes.find(line.text)) counts.set(h.key, (counts.get(h.key) ?? 0) + 1);
    classesByLine.push(counts);
  }
  const scores = languageScores(text.text);
  const ranked = Object.entries(scores).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const lang = ranked[0]?.[0] ?? null;
  const country = detectCountry(text.text, null);
  const plainLang = lang === 'en-my' ? 'en' : lang;
  return {
    text, layout, labelsByLine, classesByLine, lang, country,
    mark: detectDecimalMark(text.text),
    order: inferDateOrder(text.text, { country, lang: plainLang }),
    wordHeight: median(text.pages.flatMap((p) => p.words.map((w) => w.bbox[3] - w.bbox[1]))),
    spans,
  };
}
