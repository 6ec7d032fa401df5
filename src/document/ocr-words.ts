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

/** A binary PGM (P5) image: the cheapest format for handing raw grey pixels to tesseract. */
export function toPgm(gray: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const out = new Uint8Array(header.length + gray.length);
  out.set(header, 0);
  out.set(gray, header.length);
  return out;
}
