import type { Page as TesseractPage } from 'tesseract.js';
import type { BBox, RawWord } from '../core/document-text.js';

/**
 * Tesseract's words in its own reading order (blocks, paragraphs, lines: its layout analysis
 * finds columns), one line index per tesseract line. Boxes are multiplied by `scale`: 1 keeps
 * image pixels, 72/dpi turns pixels of a rendered PDF page back into PDF points.
 * Confidence is tesseract's 0..100 word confidence divided by 100.
 */
export function tesseractWords(page: TesseractPage, scale: number): RawWord[] {
  const words: RawWord[] = [];
  let line = 0;
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const l of paragraph.lines) {
        let any = false;
        for (const w of l.words) {
          const text = w.text.trim();
          if (!text) continue;
          const bbox: BBox = [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1].map((v) => Math.round(v * scale * 100) / 100) as BBox;
          words.push({ text, bbox, confidence: Math.max(0, Math.min(1, w.confidence / 100)), line });
          any = true;
        }
        if (any) line++;
      }
    }
  }
  return words;
}

/** Below this share of the page's median word height a box holds no printed glyph of its text. */
const SPECK = 0.25;
/** Tesseract's confidence under which a word is a guess (it reports 0 for marks it could not read). */
const GUESS = 0.2;
/** A guessed mark this many median word heights away from every word of its line stands alone (an edge or shadow). */
const ALONE = 6;

/**
 * The words without scanning noise, which tesseract reads as short "words": specks (a box under a
 * quarter of the median word height both ways, holding no letter or digit: the ":" and "|" of dust
 * and paper grain), rules and smudges read as letters (a box under a quarter of the median height
 * that tesseract could not read with confidence: "ee" for a dotted line), and marks at the edge
 * of a receipt or in a shadow (one or two characters read as a guess, far from every other word of
 * the line: "81300 SKUDAI, ... a"). Printed text is never that small, and a real word that
 * tesseract read as a guess keeps its place in its line. The median is over words holding a letter
 * or digit; pages with fewer than 5 such words are returned as they are.
 */
export function withoutSpecks(words: RawWord[]): RawWord[] {
  const heights = words.filter((w) => /[\p{L}\p{N}]/u.test(w.text)).map((w) => w.bbox[3] - w.bbox[1]).sort((a, b) => a - b);
  if (heights.length < 5) return words;
  const h = heights[Math.floor(heights.length / 2)]!;
  const byLine = new Map<number, RawWord[]>();
  for (const w of words) { const l = byLine.get(w.line); if (l) l.push(w); else byLine.set(w.line, [w]); }
  const gap = (a: RawWord, b: RawWord) => Math.max(0, Math.max(a.bbox[0], b.bbox[0]) - Math.min(a.bbox[2], b.bbox[2]));
  return words.filter((w) => {
    const height = w.bbox[3] - w.bbox[1]; const width = w.bbox[2] - w.bbox[0];
    const guess = (w.confidence ?? 1) < GUESS;
    if (height < SPECK * h && ((width < SPECK * h && !/[\p{L}\p{N}]/u.test(w.text)) || guess)) return false;
    if (guess && w.text.length <= 2) {
      const others = byLine.get(w.line)!.filter((o) => o !== w);
      if (others.length > 0 && others.every((o) => gap(w, o) > ALONE * h)) return false;
    }
    return true;
  });
}

/** A binary PGM (P5) image: the cheapest format for handing raw grey pixels to tesseract. */
export function toPgm(gray: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const out = new Uint8Array(header.length + gray.length);
  out.set(header, 0);
  out.set(gray, header.length);
  return out;
}
