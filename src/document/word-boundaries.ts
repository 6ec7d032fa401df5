import type { PlacedGlyph } from './pdf-glyphs.js';

type Vec = [number, number];

/** A word in PDF user space: its quad (bottom-left, bottom-right, top-right, top-left) and direction. */
export interface GlyphWord {
  text: string;
  corners: [Vec, Vec, Vec, Vec];
  dir: Vec;
  size: number;
}

/**
 * Word boundaries from glyph geometry, the rule:
 * 1. Glyphs on one baseline (same direction, offset across under BASELINE_TOLERANCE em; text rise
 *    does not count, so superscripts stay on their line) form a line, whatever order the page
 *    draws them in, and are read by position along it; text drawn over other text is read apart
 *    from it (readLine). A glyph drawn again on one just before it (fake bold) is dropped.
 * 2. In a line, a space glyph separates words. Between two other glyphs the gap is measured from
 *    the end of the first glyph's own advance (the font's width for it) to the start of the next:
 *    TJ adjustments, Tc, Td placement and kerning all show up in it, font widths do not. A glyph
 *    that starts more than OVERLAP em before the previous one ends (text over text) starts a word.
 * 3. The line's tracking is the median gap between neighbouring glyphs (gaps from OVERLAP em
 *    below to TRACKING_SPACES spaces above: wider ones are columns), or 0 with fewer than
 *    MIN_TRACKING_PAIRS of them: letter-spaced
 *    lines and generators that place every glyph a little apart are measured against their own
 *    habit. Digit pairs get the median of digit-to-digit gaps, where the line has enough of them.
 * 4. A gap wider than the tracking plus WORD_GAP x the font's space width is a word boundary. Two
 *    digits are set on tabular advances and not kerned, so between digits DIGIT_GAP x the space
 *    width is enough: amounts in neighbouring columns stay apart. A fixed-pitch font sets every
 *    glyph on its grid and is never kerned, so there MONO_GAP em off the grid is a boundary (its
 *    space, as wide as a letter, would allow half a cell: a tab stop or a column a few points on).
 * 5. A combining mark never starts a word.
 * No dictionary is consulted: the decision is geometric only.
 */
export const WORD_GAP = 0.5;
export const DIGIT_GAP = 0.25;
export const MONO_GAP = 0.1;
export const BASELINE_TOLERANCE = 0.25;
export const OVERLAP = 0.5;
export const STACK = 0.25;
export const MIN_TRACKING_PAIRS = 3;
export const TRACKING_SPACES = 2;
const OVERPRINT = 0.2;
/** Overprints are looked for among this many glyphs before (a bold word drawn twice, glyph by glyph or whole). */
const OVERPRINT_WINDOW = 4;
const DIGIT = /^\p{Nd}$/u;
const MARK = /^\p{M}+$/u;

interface Line {
  glyphs: PlacedGlyph[];
  dir: Vec;
  /** Offset of the baseline across the direction of writing. */
  across: number;
  size: number;
}

const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1];
const acrossOf = (p: Vec, dir: Vec) => p[1] * dir[0] - p[0] * dir[1];
const alongOf = (g: PlacedGlyph, dir: Vec) => dot(g.baseline, dir);

function onLine(line: Line, g: PlacedGlyph): boolean {
  if (dot(line.dir, g.dir) < 0.99) return false;
  return Math.abs(acrossOf(g.baseline, line.dir) - line.across) < BASELINE_TOLERANCE * Math.max(line.size, g.size);
}

function groupLines(glyphs: readonly PlacedGlyph[]): Line[] {
  const lines: Line[] = [];
  let last: Line | null = null;
  for (const g of glyphs) {
    if (!g.text) continue;
    let line: Line | undefined = last && onLine(last, g) ? last : undefined;
    // most recent lines first: a page draws line after line
    for (let k = lines.length - 1; !line && k >= 0; k--) if (onLine(lines[k]!, g)) line = lines[k];
    if (line) {
      line.glyphs.push(g);
      line.size = Math.max(line.size, g.size);
      last = line;
    } else {
      last = { glyphs: [g], dir: g.dir, across: acrossOf(g.baseline, g.dir), size: g.size };
      lines.push(last);
    }
  }
  return lines;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Gap from the end of a's advance to the start of b, in em. */
function gapEm(a: PlacedGlyph, b: PlacedGlyph, dir: Vec): number {
  return (alongOf(b, dir) - (alongOf(a, dir) + a.advance)) / Math.max(a.size, b.size);
}

interface Placed { g: PlacedGlyph; at: number }

/**
 * The line's glyphs as tracks, each read by position along the line. Runs (glyphs drawn one
 * after another, none starting more than OVERLAP em before the previous one ends) go onto the
 * first track they do not overlap by more than STACK em; text drawn over other text (a value
 * over a placeholder line, the second coat of a fake bold) lands on a track of its own, so
 * overlapping texts never interleave. A glyph drawn again on one drawn just before it (same
 * text, start within OVERPRINT of its advance), in drawing order or on its track, is dropped.
 */
function readLine(line: Line): PlacedGlyph[][] {
  const { dir } = line;
  const runs: { items: Placed[]; start: number; end: number; size: number }[] = [];
  let run: (typeof runs)[number] | null = null;
  const recent: Placed[] = [];
  for (const g of line.glyphs) {
    const at = alongOf(g, dir);
    // a glyph drawn again on one drawn just before it (fake bold, glyph by glyph)
    const reach = OVERPRINT * Math.max(g.advance, 0.1 * g.size);
    if (recent.some((r) => r.g.text === g.text && Math.abs(at - r.at) <= reach)) continue;
    recent.push({ g, at });
    if (recent.length > OVERPRINT_WINDOW) recent.shift();
    if (run && at >= run.items[run.items.length - 1]!.at + run.items[run.items.length - 1]!.g.advance - OVERLAP * g.size) {
      run.items.push({ g, at });
      run.end = Math.max(run.end, at + g.advance);
      run.size = Math.max(run.size, g.size);
    } else {
      run = { items: [{ g, at }], start: at, end: at + g.advance, size: g.size };
      runs.push(run);
    }
  }
  runs.sort((a, b) => a.start - b.start);
  const tracks: { items: Placed[]; end: number }[] = [];
  for (const r of runs) {
    let track = tracks.find((t) => r.start >= t.end - STACK * r.size);
    if (!track) tracks.push((track = { items: [], end: -Infinity }));
    track.items.push(...r.items);
    track.end = Math.max(track.end, r.end);
  }
  return tracks.map((t) => {
    const sorted = t.items.map((item, i) => ({ ...item, i })).sort((a, b) => a.at - b.at || a.i - b.i);
    const kept: Placed[] = [];
    for (const item of sorted) {
      const { g, at } = item;
      const reach = OVERPRINT * Math.max(g.advance, 0.1 * g.size);
      let duplicate = false;
      for (let k = kept.length - 1; k >= 0 && k >= kept.length - OVERPRINT_WINDOW; k--) {
        if (kept[k]!.g.text === g.text && at - kept[k]!.at <= reach) { duplicate = true; break; }
      }
      if (!duplicate) kept.push(item);
    }
    return kept.map((k) => k.g);
  });
}

function splitLine(line: Line): PlacedGlyph[][] {
  const tracks = readLine(line);
  const stats = tracks.map((t) => trackGaps(t, line.dir));
  const gaps = stats.flatMap((s) => s.gaps);
  const digitGaps = stats.flatMap((s) => s.digitGaps);
  const tracking = gaps.length >= MIN_TRACKING_PAIRS ? median(gaps) : 0;
  const digitTracking = digitGaps.length >= MIN_TRACKING_PAIRS ? median(digitGaps) : tracking;
  return tracks.flatMap((t, i) => splitTrack(t, stats[i]!, tracking, digitTracking));
}

interface TrackGaps { gap: number[]; digit: boolean[]; mark: boolean[]; gaps: number[]; digitGaps: number[] }

/** Gaps between neighbouring glyphs of a track, and those that measure the line's tracking. */
function trackGaps(glyphs: PlacedGlyph[], dir: Vec): TrackGaps {
  const n = glyphs.length;
  const digit = glyphs.map((g) => DIGIT.test(g.text));
  const mark = glyphs.map((g) => MARK.test(g.text));
  /** gap[i]: from glyph i-1 to glyph i, in em. */
  const gap = glyphs.map((g, i) => (i === 0 ? 0 : gapEm(glyphs[i - 1]!, g, dir)));
  // tracking: the line's own gap between neighbouring glyphs
  const gaps: number[] = [];
  const digitGaps: number[] = [];
  for (let i = 1; i < n; i++) {
    const a = glyphs[i - 1]!;
    const b = glyphs[i]!;
    if (a.space || b.space || mark[i]) continue;
    if (gap[i]! < -OVERLAP || gap[i]! > TRACKING_SPACES * Math.max(a.spaceEm, b.spaceEm)) continue;
    gaps.push(gap[i]!);
    if (digit[i - 1] && digit[i]) digitGaps.push(gap[i]!);
  }
  return { gap, digit, mark, gaps, digitGaps };
}

function splitTrack(glyphs: PlacedGlyph[], { gap, digit, mark }: TrackGaps, tracking: number, digitTracking: number): PlacedGlyph[][] {
  const n = glyphs.length;
  const words: PlacedGlyph[][] = [];
  let word: PlacedGlyph[] = [];
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const glyph = glyphs[i]!;
    if (glyph.space) { pendingSpace = true; continue; }
    let boundary = pendingSpace;
    const prev = word[word.length - 1];
    if (!boundary && prev && !mark[i]) {
      // the gap from the last glyph kept in the word (spaces are never in a word, so it is glyph i-1)
      const g = gap[i]!;
      const space = Math.max(prev.spaceEm, glyph.spaceEm);
      const mono = prev.monospace && glyph.monospace ? MONO_GAP : Infinity;
      boundary = g < -OVERLAP || (digit[i - 1] && digit[i]
        ? g - digitTracking > Math.min(DIGIT_GAP * space, mono)
        : g - tracking > Math.min(WORD_GAP * space, mono));
    }
    if (boundary && word.length > 0) { words.push(word); word = []; }
    word.push(glyph);
    pendingSpace = false;
  }
  if (word.length > 0) words.push(word);
  return words;
}

function toWord(glyphs: PlacedGlyph[]): GlyphWord | null {
  const text = glyphs.map((g) => g.text).join('').trim();
  if (!text) return null;
  const first = glyphs[0]!;
  const { dir, up } = first;
  const origin = first.baseline;
  let a0 = Infinity, a1 = -Infinity, u0 = Infinity, u1 = -Infinity, size = 0;
  for (const g of glyphs) {
    const rel: Vec = [g.origin[0] - origin[0], g.origin[1] - origin[1]];
    const along = dot(rel, dir);
    const rise = dot(rel, up);
    a0 = Math.min(a0, along);
    a1 = Math.max(a1, along + g.advance);
    u0 = Math.min(u0, rise + g.descent * g.size);
    u1 = Math.max(u1, rise + g.ascent * g.size);
    size = Math.max(size, g.size);
  }
  const at = (s: number, t: number): Vec => [origin[0] + dir[0] * s + up[0] * t, origin[1] + dir[1] * s + up[1] * t];
  return { text, corners: [at(a0, u0), at(a1, u0), at(a1, u1), at(a0, u1)], dir, size };
}

/** Words from a page's glyphs (any drawing order), each with its quad in user space. */
export function wordsFromGlyphs(glyphs: readonly PlacedGlyph[]): GlyphWord[] {
  const words: GlyphWord[] = [];
  for (const line of groupLines(glyphs)) {
    for (const w of splitLine(line)) {
      const word = toWord(w);
      if (word) words.push(word);
    }
  }
  return words;
}
