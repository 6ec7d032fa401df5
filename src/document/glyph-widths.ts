/**
 * Relative glyph advances (Helvetica AFM widths, 1/1000 em) used to split a PDF text item's
 * measured width among its characters. pdfjs reports one width per text item, not per glyph; a
 * proportional font's table apportions that width far better than an equal share per character,
 * and the item's total width stays exact.
 */
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 .. ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ .. O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P .. _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` .. o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p .. ~
];
const DEFAULT_ADVANCE = 556;

export function glyphAdvance(ch: string): number {
  let code = ch.codePointAt(0) ?? 32;
  if (code > 126) code = ch.normalize('NFD').codePointAt(0) ?? code; // é -> e
  if (code >= 32 && code <= 126) return HELVETICA[code - 32]!;
  if (/\s/u.test(ch)) return HELVETICA[0]!;
  return DEFAULT_ADVANCE;
}
