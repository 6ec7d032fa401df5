import type { BBox, RawWord } from '../core/document-text.js';

/** A word placed on an upright page (top-left origin), before reading order is known. */
export interface PlacedWord {
  text: string;
  bbox: BBox;
  confidence: number;
}

interface Segment {
  words: PlacedWord[];
  box: BBox;
}

/**
 * Reading order for text-layer words: top-to-bottom, left-to-right, with columns read one after
 * the other. The rule (a recursive XY-cut over line segments):
 * 1. Words are grouped into rows (vertical overlap of at least half the smaller word height) and a
 *    row is split into segments wherever the horizontal gap exceeds COLUMN_GAP x the median word
 *    height (a column or table-cell gap).
 * 2. In a region of more than one row, the widest horizontal gap wider than the column gap is a
 *    column candidate, unless the rows on its two sides align (centres within ALIGN x the word
 *    height for at least half the segments of the smaller side): tables and label/value pairs
 *    are read row by row, not column by column.
 * 3. The region is cut into bands, top to bottom, at every vertical gap between segments wider
 *    than the column candidate's gap (at every one if there is no candidate); otherwise it is cut
 *    at the column gap, left side first. Each part is ordered the same way.
 * 4. A region that cannot be cut is one block: its rows are its lines, words left to right.
 */
export const COLUMN_GAP = 1.5;
/** Rows on the two sides of a column gap align when their centres are this many word heights apart at most. */
const ALIGN = 0.3;
/** Box edges shrink by this share of their height when looking for gaps between lines (tight leading). */
const EDGE_SLACK = 0.15;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function union(boxes: BBox[]): BBox {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]); x1 = Math.max(x1, b[2]); y1 = Math.max(y1, b[3]);
  }
  return [x0, y0, x1, y1];
}

/** Groups boxes into rows by vertical overlap; rows top to bottom, items left to right. */
function groupRows<T>(items: T[], boxOf: (item: T) => BBox): T[][] {
  const sorted = [...items].sort((a, b) => {
    const ba = boxOf(a); const bb = boxOf(b);
    return (ba[1] + ba[3]) / 2 - (bb[1] + bb[3]) / 2 || ba[0] - bb[0];
  });
  const rows: { items: T[]; y0: number; y1: number }[] = [];
  for (const item of sorted) {
    const b = boxOf(item);
    const h = b[3] - b[1];
    let best: (typeof rows)[number] | undefined;
    let bestOverlap = 0;
    for (let i = rows.length - 1; i >= 0 && i >= rows.length - 3; i--) {
      const row = rows[i]!;
      const overlap = Math.min(row.y1, b[3]) - Math.max(row.y0, b[1]);
      const minH = Math.min(h, row.y1 - row.y0);
      if (overlap >= 0.5 * minH && overlap > bestOverlap) { best = row; bestOverlap = overlap; }
    }
    if (best) {
      best.items.push(item);
      best.y0 = Math.min(best.y0, b[1]);
      best.y1 = Math.max(best.y1, b[3]);
    } else {
      rows.push({ items: [item], y0: b[1], y1: b[3] });
    }
  }
  rows.sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  return rows.map((r) => r.items.sort((a, b) => boxOf(a)[0] - boxOf(b)[0]));
}

function segmentsOf(words: PlacedWord[], columnGap: number): Segment[] {
  const segments: Segment[] = [];
  for (const row of groupRows(words, (w) => w.bbox)) {
    let current: PlacedWord[] = [];
    for (const w of row) {
      const prev = current[current.length - 1];
      if (prev && w.bbox[0] - prev.bbox[2] > columnGap) {
        segments.push({ words: current, box: union(current.map((x) => x.bbox)) });
        current = [];
      }
      current.push(w);
    }
    if (current.length > 0) segments.push({ words: current, box: union(current.map((x) => x.bbox)) });
  }
  return segments;
}

interface Gap { at: number; size: number }

/** Gaps in the projection of the segments on one axis (1: y, bands; 0: x, columns). */
function gaps(segments: Segment[], axis: 0 | 1): Gap[] {
  const lo = axis === 1 ? (s: Segment) => s.box[1] + EDGE_SLACK * (s.box[3] - s.box[1]) : (s: Segment) => s.box[0];
  const hi = axis === 1 ? (s: Segment) => s.box[3] - EDGE_SLACK * (s.box[3] - s.box[1]) : (s: Segment) => s.box[2];
  const sorted = [...segments].sort((a, b) => lo(a) - lo(b));
  const out: Gap[] = [];
  let reach = hi(sorted[0]!);
  for (const s of sorted.slice(1)) {
    if (lo(s) > reach) out.push({ at: (lo(s) + reach) / 2, size: lo(s) - reach });
    reach = Math.max(reach, hi(s));
  }
  return out;
}

function split(segments: Segment[], axis: 0 | 1, cuts: number[]): Segment[][] {
  const sorted = [...cuts].sort((a, b) => a - b);
  const groups: Segment[][] = sorted.map(() => []);
  groups.push([]);
  for (const s of segments) {
    const centre = (s.box[axis] + s.box[axis + 2]!) / 2;
    let k = 0;
    while (k < sorted.length && centre > sorted[k]!) k++;
    groups[k]!.push(s);
  }
  return groups.filter((g) => g.length > 0);
}

/** Whether the two sides of a column gap share their rows (a table, label/value pairs). */
function rowsAligned(left: Segment[], right: Segment[], h: number): boolean {
  const centre = (s: Segment) => (s.box[1] + s.box[3]) / 2;
  const [small, large] = left.length <= right.length ? [left, right] : [right, left];
  const matched = small.filter((s) => large.some((t) => Math.abs(centre(s) - centre(t)) <= ALIGN * h)).length;
  return matched >= 0.5 * small.length;
}

function order(segments: Segment[], h: number, out: PlacedWord[][]): void {
  if (segments.length === 0) return;
  if (segments.length > 1) {
    const bands = gaps(segments, 1);
    let column: Gap | undefined;
    if (groupRows(segments, (s) => s.box).length > 1) {
      for (const g of gaps(segments, 0)) if (g.size > COLUMN_GAP * h && (!column || g.size > column.size)) column = g;
      if (column) {
        const [left, right] = split(segments, 0, [column.at]) as [Segment[], Segment[]];
        if (rowsAligned(left, right, h)) column = undefined;
      }
    }
    const wideBands = column ? bands.filter((g) => g.size > column.size) : bands;
    if (wideBands.length > 0) {
      for (const band of split(segments, 1, wideBands.map((g) => g.at))) order(band, h, out);
      return;
    }
    if (column) {
      for (const side of split(segments, 0, [column.at])) order(side, h, out);
      return;
    }
  }
  // one block: its rows are lines
  for (const row of groupRows(segments, (s) => s.box)) out.push(row.flatMap((s) => s.words));
}

/** Orders words and assigns line indices (0-based, per page). */
export function orderWords(words: PlacedWord[]): RawWord[] {
  if (words.length === 0) return [];
  const h = median(words.map((w) => w.bbox[3] - w.bbox[1])) || 1;
  const lines: PlacedWord[][] = [];
  order(segmentsOf(words, COLUMN_GAP * h), h, lines);
  return lines.flatMap((line, index) => line.map((w) => ({ text: w.text, bbox: w.bbox, confidence: w.confidence, line: index })));
}
