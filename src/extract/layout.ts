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

