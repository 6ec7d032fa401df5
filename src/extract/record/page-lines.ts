import type { BBox, DocumentText, Word } from '../../core/document-text.js';
import type { Provenance } from '../../core/invoice-record.js';

/**
 * The record finders' view of a document: lines in reading order and, within a line, cells
 * separated by wide gaps (a table row splits into its columns). Built from DocumentText alone, so
 * that the finders do not depend on the scorer's own layout structures.
 */

export interface PageCell { text: string; words: Word[]; bbox: BBox; start: number; end: number }

export interface PageLine {
  index: number;
  page: number;
  text: string;
  words: Word[];
  cells: PageCell[];
  bbox: BBox;
  start: number;
  end: number;
  pageWidth: number;
  pageHeight: number;
  method: 'text-layer' | 'ocr';
}

export interface PageLines { text: string; lines: PageLine[] }

export function unionBox(boxes: BBox[]): BBox {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/** OCR reads rulings and specks as "|", ":", "~": such words never carry a value. */
const OCR_JUNK = /^[|:;~”“"'`_—–\-‘’»«•*=+\][(){}.,¢§©®°]{1,3}$/;

function cell(words: Word[], text: string): PageCell {
  const start = words[0]!.start; const end = words[words.length - 1]!.end;
  return { text: text.slice(start, end), words, bbox: unionBox(words.map((w) => w.bbox)), start, end };
}

export function pageLines(doc: DocumentText): PageLines {
  const lines: PageLine[] = [];
  for (const page of doc.pages) {
    const byLine = new Map<number, Word[]>();
    for (const w of page.words) {
      if (page.method === 'ocr' && OCR_JUNK.test(w.text)) continue;
      byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
    }
    for (const [, words] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
      words.sort((a, b) => a.start - b.start);
      const heights = words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
      const h = heights[Math.floor(heights.length / 2)] || 10;
      // a gap wider than 1.5 line heights separates columns (2.5 for OCR words, whose boxes are tight)
      const gap = (page.method === 'ocr' ? 2.5 : 1.5) * h;
      const cells: PageCell[] = [];
      let run: Word[] = [];
      for (const w of words) {
        const prev = run[run.length - 1];
        if (prev && w.bbox[0] - prev.bbox[2] > gap) { cells.push(cell(run, doc.text)); run = []; }
        run.push(w);
      }
      if (run.length) cells.push(cell(run, doc.text));
      const start = words[0]!.start; const end = words[words.length - 1]!.end;
      lines.push({
        index: lines.length, page: page.number, text: doc.text.slice(start, end), words, cells,
        bbox: unionBox(words.map((w) => w.bbox)), start, end, pageWidth: page.width, pageHeight: page.height, method: page.method,
      });
    }
  }
  return { text: doc.text, lines };
}

/** Provenance of the text range [start, end): its page, the union of its words' boxes on that page, the text. */
export function provenance(view: PageLines, start: number, end: number): Provenance | null {
  for (const line of view.lines) {
    if (line.end <= start || line.start >= end) continue;
    const words = view.lines.filter((l) => l.page === line.page && l.end > start && l.start < end).flatMap((l) => l.words).filter((w) => w.end > start && w.start < end);
    if (words.length === 0) continue;
    return { page: line.page, bbox: unionBox(words.map((w) => w.bbox)), text: view.text.slice(start, end) };
  }
  return null;
}

/** Median word height of a line (its font size, near enough). */
export function lineHeight(line: PageLine): number {
  const hs = line.words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
  return hs[Math.floor(hs.length / 2)] ?? 10;
}
