import { createHash } from 'node:crypto';
import { layoutText, type DocumentText, type RawWord } from '../src/core/document-text.js';

/**
 * Builds a one-page DocumentText from lines of cells: each cell is [x, text]; words are laid out
 * at 6pt per character, lines 14pt apart, like a PDF text layer. Not a test file (no .test suffix).
 */
export function docFromCells(lines: Array<Array<[number, string]>>, options: { width?: number; height?: number } = {}): DocumentText {
  const words: RawWord[] = [];
  lines.forEach((cells, line) => {
    const y = 40 + line * 14;
    for (const [x0, text] of cells) {
      let x = x0;
      for (const part of text.split(/(\s+)/)) {
        if (/^\s+$/.test(part)) { x += 6 * part.length; continue; }
        if (!part) continue;
        words.push({ text: part, bbox: [x, y, x + 6 * part.length, y + 10], confidence: 1, line });
        x += 6 * part.length;
      }
    }
  });
  words.sort((a, b) => a.line - b.line || a.bbox[0] - b.bbox[0]);
  const { pages, text } = layoutText([{ number: 1, width: options.width ?? 595, height: options.height ?? 842, unit: 'pt', method: 'text-layer', rotation: 0, words }]);
  return {
    source: { file: 'fixture.pdf', sha256: createHash('sha256').update(text).digest('hex'), mediaType: 'application/pdf', bytes: text.length, pages: 1 },
    pages, text,
  };
}

/** Lines given as plain strings, one cell each, at the left margin. */
export function docFromLines(lines: string[]): DocumentText {
  return docFromCells(lines.map((l) => (l ? [[40, l]] : [])));
}
