import type { BBox } from '../core/document-text.js';

/**
 * Table rows as printed, from the reader's lines: a line that holds several visual rows (wrapped
 * descriptions, rows glued by margin text) is split into them, and lines the reader kept apart on
 * one baseline are joined. The line-item reader (line-items.ts) works on these rows.
 */

/** What the reader needs of a line: Layout lines and the record finders' PageLines both fit. */
export interface TableLine {
  index: number;
  page: number;
  text: string;
  start: number;
  end: number;
  bbox: BBox;
  cells: ReadonlyArray<{ text: string; start: number; end: number; bbox: BBox }>;
  words: ReadonlyArray<{ text: string; start: number; end: number; bbox: BBox }>;
}

/** A word printed turned on its side (margin text up the page edge): far narrower than it is tall. */
export const rotated = (w: { text: string; bbox: BBox }) => {
  const width = w.bbox[2] - w.bbox[0]; const height = w.bbox[3] - w.bbox[1];
  return (w.text.length >= 3 && 2 * width < height) || (w.text.length >= 4 && 1.5 * width < height);
};

/**
 * The visual rows of the lines: a line whose words lie in rows that do not overlap (the reader put
 * a row's wrapped description lines, or several rows glued by text printed up the margin, on one
 * line) becomes one line per row, in order from the top, with its own cells (split at gaps of 1.5
 * word heights, as page lines are); words turned on their side (margin text) are left out. A row's
 * text is the line's text with the other rows' characters blanked, so offsets stay the document's.
 */
export function visualRows(lines: readonly TableLine[]): TableLine[] {
  return lines.flatMap((line) => {
    if (!line.words.some(rotated) && !hasStackedWords(line)) return [line];
    const words = line.words.filter((w) => !rotated(w));
    if (words.length === 0) return [];
    const bands: Array<typeof words[number][]> = [];
    let bottom = Number.NEGATIVE_INFINITY;
    for (const w of [...words].sort((a, b) => a.bbox[1] - b.bbox[1])) {
      const h = w.bbox[3] - w.bbox[1];
      // a word overlapping the band by more than a quarter of its height is of the same row (a skewed OCR line stays whole)
      if (bands.length && w.bbox[1] < bottom - h / 4) { bands[bands.length - 1]!.push(w); bottom = Math.max(bottom, w.bbox[3]); continue; }
      bands.push([w]); bottom = w.bbox[3];
    }
    if (bands.length === 1 && words.length === line.words.length) return [line];
    return bands.map((band) => rowOf(line, band.sort((a, b) => a.start - b.start)));
  });
}

/** Whether some of the line's words lie wholly below others (no vertical overlap): rows read as one line. */
function hasStackedWords(line: TableLine): boolean {
  const top = Math.min(...line.words.map((w) => w.bbox[3]));
  return line.words.some((w) => w.bbox[1] >= top - (w.bbox[3] - w.bbox[1]) / 4);
}

/** One visual row of a line: its words (in text order), the text between them with other words blanked, cells split at wide gaps. */
function rowOf(line: TableLine, words: TableLine['words']): TableLine {
  const start = words[0]!.start; const end = words[words.length - 1]!.end;
  const keep = new Uint8Array(end - start);
  for (const w of words) keep.fill(1, w.start - start, w.end - start);
  const src = line.text.slice(start - line.start, end - line.start);
  // characters of the other rows' words become spaces (whitespace between this row's words stays)
  const inOther = new Uint8Array(end - start);
  for (const w of line.words) if (!words.includes(w) && w.start < end && w.end > start) inOther.fill(1, Math.max(0, w.start - start), Math.min(end, w.end) - start);
  const text = [...src].map((ch, i) => (inOther[i] && !keep[i] ? ' ' : ch)).join('');
  const hs = words.map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
  const gap = 1.5 * (hs[Math.floor(hs.length / 2)] ?? 10);
  const byX = [...words].sort((a, b) => a.bbox[0] - b.bbox[0]);
  const runs: Array<typeof words[number][]> = [];
  for (const w of byX) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && w.bbox[0] - prev.bbox[2] <= gap) run.push(w); else runs.push([w]);
  }
  const cells = runs.map((run) => {
    const s = Math.min(...run.map((w) => w.start)); const e = Math.max(...run.map((w) => w.end));
    return { text: text.slice(s - start, e - start), start: s, end: e, bbox: box(run.map((w) => w.bbox)) };
  }).sort((a, b) => a.start - b.start);
  return { ...line, text, start, end, words, cells, bbox: box(words.map((w) => w.bbox)) };
}

/**
 * Lines the reader kept apart though they stand on one baseline (a table whose description column
 * was read before its number columns: "Kopierpapier A4 80g" ... "18 Std. | 33.15 | 596.70"): such
 * lines, side by side with a column gap between them, on one baseline (sameBaseline),
 * become one line at the place of the last, their text laid out at the document's offsets.
 */
export function baselineRows(lines: readonly TableLine[]): TableLine[] {
  const taken = new Set<number>();
  const at = new Map<number, TableLine>();
  lines.forEach((line, i) => {
    if (taken.has(i)) return;
    const group = [i];
    for (let j = i + 1; j < lines.length && j <= i + 60; j++) {
      const other = lines[j]!;
      if (taken.has(j) || other.page !== line.page || !sameBaseline(line, other)) continue;
      const h = Math.min(line.bbox[3] - line.bbox[1], other.bbox[3] - other.bbox[1]);
      if (!group.every((k) => other.bbox[0] >= lines[k]!.bbox[2] + h || other.bbox[2] <= lines[k]!.bbox[0] - h)) continue;
      group.push(j); taken.add(j);
    }
    // at the place of the last of them: a row after its table's header, whichever column was read first
    at.set(group[group.length - 1]!, group.length === 1 ? line : joinLines(group.map((k) => lines[k]!)));
  });
  return [...at.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
}

/**
 * The lines of each page from the top down (by their vertical centre; lines of one height stay in
 * the reader's order). A reader that cuts the page into column blocks reads a table whose
 * descriptions wrap (a gap runs down between the description column and the numbers) as the
 * description column, then the number columns: baselineRows puts a row's first description line
 * back beside its numbers, and this puts the wrapped lines back under their row, where the page
 * prints them (they were read before the table's header, and lost).
 */
export function topToBottom(lines: readonly TableLine[]): TableLine[] {
  const mid = (l: TableLine) => (l.bbox[1] + l.bbox[3]) / 2;
  return [...lines].sort((a, b) => a.page - b.page || mid(a) - mid(b));
}

/**
 * Lines of one row: of one font size (heights within 25%) overlapping by most of the smaller, or of
 * two sizes (a row's numbers set larger or smaller than its text, up to twice) standing on one
 * baseline (their bottoms within a fifth of the smaller height) with the smaller inside the larger.
 */
function sameBaseline(a: TableLine, b: TableLine): boolean {
  const ha = a.bbox[3] - a.bbox[1]; const hb = b.bbox[3] - b.bbox[1];
  const lo = Math.min(ha, hb); const hi = Math.max(ha, hb);
  const overlap = Math.min(a.bbox[3], b.bbox[3]) - Math.max(a.bbox[1], b.bbox[1]);
  if (hi <= 1.25 * lo) return overlap >= 0.6 * lo;
  return hi <= 2 * lo && Math.abs(a.bbox[3] - b.bbox[3]) <= 0.2 * lo && overlap >= 0.8 * lo;
}

/** Lines of one baseline as one: words and cells in text order, the text between them blank. */
function joinLines(group: TableLine[]): TableLine {
  const words = group.flatMap((l) => l.words).sort((a, b) => a.start - b.start);
  const start = Math.min(...group.map((l) => l.start)); const end = Math.max(...group.map((l) => l.end));
  const chars = new Array<string>(end - start).fill(' ');
  for (const l of group) for (const w of l.words) for (let k = 0; k < w.end - w.start; k++) chars[w.start - start + k] = l.text[w.start - l.start + k] ?? ' ';
  const text = chars.join('');
  const cells = group.flatMap((l) => l.cells).sort((a, b) => a.start - b.start).map((c) => ({ ...c, text: text.slice(c.start - start, c.end - start) }));
  return { ...group[0]!, index: Math.max(...group.map((l) => l.index)), text, start, end, words, cells, bbox: box(group.map((l) => l.bbox)) };
}

const box = (bs: BBox[]): BBox => [Math.min(...bs.map((b) => b[0])), Math.min(...bs.map((b) => b[1])), Math.max(...bs.map((b) => b[2])), Math.max(...bs.map((b) => b[3]))];
