import type { BBox, DocumentText, Word } from '../core/document-text.js';

/**
 * Layout view of a document for the extractor: lines, and cells within lines. A cell is a run of
 * words with no wide horizontal gap, so that two-column letterheads ("Street 20    INVOICE") and
 * table rows split into their columns.
 */
export interface Cell {
  page: number;
  /** Index of the line in Layout.lines. */
  line: number;
  text: string;
  words: Word[];
  bbox: BBox;
  start: number;
  end: number;
}

export interface Line {
  index: number;
  page: number;
  text: string;
  words: Word[];
  cells: Cell[];
  bbox: BBox;
  start: number;
  end: number;
  /** Page size, for relative positions. */
  pageWidth: number;
  pageHeight: number;
}

export interface Layout {
  text: string;
  lines: Line[];
  cells: Cell[];
}

export function unionBox(boxes: BBox[]): BBox {
  return [
    Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3])),
  ];
}

function cellOf(words: Word[], page: number, line: number, text: string): Cell {
  const start = words[0]!.start; const end = words[words.length - 1]!.end;
  return { page, line, text: text.slice(start, end), words, bbox: unionBox(words.map((w) => w.bbox)), start, end };
}

const JUNK = /^[|:;~”“"'`_—–\-‘’»«•*=+\]\[(){}.,«»¢§©®°]{1,3}$/;

export function buildLayout(doc: DocumentText): Layout {
  const lines: Line[] = [];
  for (const page of doc.pages) {
    const byLine = new Map<number, Word[]>();
    for (const w of page.words) {
      // OCR reads rulings, logos and specks as "|", ":", "~"...: such words never carry a value
      if (page.method === 'ocr' && JUNK.test(w.text)) continue;
      const list = byLine.get(w.line) ?? [];
      list.push(w);
      byLine.set(w.line, list);
    }
    for (const [, words] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
      words.sort((a, b) => a.start - b.start);
      const index = lines.length;
      const heights = words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
      const h = heights[Math.floor(heights.length / 2)] || 10;
      const cells: Cell[] = [];
      let run: Word[] = [];
      for (const w of words) {
        const prev = run[run.length - 1];
        // a gap wider than ~1.5 line heights separates columns (2.5 for OCR words, whose boxes are
        // tight and whose large receipt fonts are widely spaced)
        if (prev && w.bbox[0] - prev.bbox[2] > (page.method === 'ocr' ? 2.5 : 1.5) * h) {
          cells.push(cellOf(run, page.number, index, doc.text));
          run = [];
        }
        run.push(w);
      }
      if (run.length) cells.push(cellOf(run, page.number, index, doc.text));
      const start = words[0]!.start; const end = words[words.length - 1]!.end;
      lines.push({
        index, page: page.number, text: doc.text.slice(start, end), words, cells,
        bbox: unionBox(words.map((w) => w.bbox)), start, end, pageWidth: page.width, pageHeight: page.height,
      });
    }
  }
  return { text: doc.text, lines, cells: lines.flatMap((l) => l.cells) };
}

/** Horizontal overlap of two boxes as a fraction of the narrower one. */
export function xOverlap(a: BBox, b: BBox): number {
  const inter = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const narrow = Math.min(a[2] - a[0], b[2] - b[0]) || 1;
  return Math.max(0, inter) / narrow;
}

/** Words overlapping [start, end) of the text. */
export function wordsIn(layout: Layout, start: number, end: number): Word[] {
  const out: Word[] = [];
  for (const line of layout.lines) {
    if (line.end <= start || line.start >= end) continue;
    for (const w of line.words) if (w.end > start && w.start < end) out.push(w);
  }
  return out;
}

/** The line containing a character offset. */
export function lineAt(layout: Layout, offset: number): Line | undefined {
  return layout.lines.find((l) => offset >= l.start && offset < l.end + 1);
}

/**
 * Cells that may hold the value of a label cell: the same cell after the label, the cells to its
 * right on the same line, then cells below it (overlapping columns) within `below` lines.
 */
export function valueCells(layout: Layout, cell: Cell, below = 2): Cell[] {
  const line = layout.lines[cell.line]!;
  const out: Cell[] = rowCells(layout, cell).filter((c) => c.bbox[0] >= cell.bbox[2] - 1);
  for (let i = cell.line + 1; i <= cell.line + below && i < layout.lines.length; i++) {
    const next = layout.lines[i]!;
    if (next.page !== line.page) break;
    const gap = next.bbox[1] - line.bbox[3];
    if (gap > 4 * (line.bbox[3] - line.bbox[1] || 10)) break;
    out.push(...next.cells.filter((c) => xOverlap(c.bbox, cell.bbox) > 0.3 || Math.abs(c.bbox[0] - cell.bbox[0]) < 5));
  }
  return out;
}

/** Vertical overlap of two boxes as a fraction of the shorter one. */
export function yOverlap(a: BBox, b: BBox): number {
  const inter = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const short = Math.min(a[3] - a[1], b[3] - b[1]) || 1;
  return Math.max(0, inter) / short;
}

/**
 * Cells in the same visual row as `cell`, left to right: its own line, plus cells of the adjacent
 * lines that overlap it vertically (a right-aligned value a point lower lands on its own line).
 */
export function rowCells(layout: Layout, cell: Cell): Cell[] {
  const out: Cell[] = [];
  for (let i = cell.line - 1; i <= cell.line + 1; i++) {
    const line = layout.lines[i];
    if (!line || line.page !== cell.page) continue;
    for (const c of line.cells) if (c !== cell && (i === cell.line || yOverlap(c.bbox, cell.bbox) > 0.5)) out.push(c);
  }
  return out.sort((a, b) => a.bbox[0] - b.bbox[0]);
}
