import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFNumber, PDFOperator, PDFOperatorNames as Ops, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * PDFs whose text layer splits or glues words the way some generators draw them, with the words
 * as printed. Used by test/document-glyphs.test.ts and bench/text-layer.bench.ts.
 *
 * Styles (each line uses one):
 * - 'kerning': one TJ array per line; inside words, positive adjustments that leave a gap between
 *   pdfjs's own space threshold (0.102 em, above which its text layer inserts a space) and 0.45 of
 *   the font's space width, plus small negative kerns, all between two letters (kerning pairs are
 *   letter pairs: digits are set on tabular advances); between words a space character or a TJ
 *   jump of 0.6 to 1.2 spaces (no space character).
 * - 'per-glyph': every glyph placed on its own (Tm per glyph) at positions measured with
 *   Helvetica's widths while the glyph is drawn in another font: gaps and overlaps of up to a
 *   tenth of an em inside words; words a Helvetica space (x 1 to 1.2) apart, no space glyph.
 * - 'fragments': each word drawn as two or three separate text objects, cut between letters, pieces
 *   apart by the same gaps as 'kerning' (0 in a fixed-pitch font); words 0.6 to 1.2 spaces apart.
 * - 'letter-spaced': character spacing (Tc) of 0.1 to 0.3 em with space characters between words.
 * - 'amounts': a label, then money amounts right-aligned in neighbouring columns, 0.3 to 1 space
 *   apart (pdfjs glues those under 0.102 em into one word).
 * Fixed-pitch lines (Courier) are not kerned or placed off their grid: such fonts are not.
 */
export type SplitStyle = 'kerning' | 'per-glyph' | 'fragments' | 'letter-spaced' | 'amounts';
export const SPLIT_STYLES: readonly SplitStyle[] = ['kerning', 'per-glyph', 'fragments', 'letter-spaced', 'amounts'];
export type SplitFont = 'Helvetica' | 'Times-Roman' | 'Courier' | 'LiberationSans (embedded)';
export const SPLIT_FONTS: readonly SplitFont[] = ['Helvetica', 'Times-Roman', 'Courier', 'LiberationSans (embedded)'];

export interface SplitLine {
  style: SplitStyle;
  font: SplitFont;
  size: number;
  /** The words as printed, left to right. */
  words: string[];
  /** Left edge, top-left origin (pt), and baseline. */
  x: number;
  y: number;
}

export interface SplitPdf {
  bytes: Uint8Array;
  /** Lines of each page, top to bottom. */
  pages: SplitLine[][];
}

const require = createRequire(import.meta.url);
/** A TrueType font that ships with pdfjs-dist (embedded and subset by pdf-lib as a CID font). */
const LIBERATION = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf');

const VOCABULARY = [
  'Rechnungsbetrag', 'Gesamtbetrag', 'Musterfirma', 'GmbH', 'Rechnungsnummer', 'Lieferdatum', 'Zwischensumme',
  'Umsatzsteuer', 'Bankverbindung', 'Zahlungsbedingungen', 'Invoice', 'number', 'Subtotal', 'Total', 'amount',
  'due', 'Customer', 'reference', 'Payment', 'terms', 'Facture', 'Montant', 'Importe', 'Totale', 'Factuurnummer',
  'Straße', 'München', 'Kundennummer', 'Bestellung', 'Artikel', 'Menge', 'Einzelpreis', 'Description', 'Quantity',
];

/** Deterministic PRNG (mulberry32), so a seed gives the same PDF every time. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function amount(rand: () => number): string {
  const euros = Math.floor(rand() ** 2 * 20000);
  const cents = String(Math.floor(rand() * 100)).padStart(2, '0');
  const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${grouped},${cents}`;
}

interface Fonts {
  byName: Map<SplitFont, PDFFont>;
  helvetica: PDFFont;
}

function fontKey(page: PDFPage, font: PDFFont): PDFName {
  return page.node.newFontDictionary(font.name, font.ref);
}

const op = (name: string, ...args: unknown[]) => PDFOperator.of(name as never, args as never);
const num = (x: number) => PDFNumber.of(Math.round(x * 1000) / 1000);

/** Advance of a string in text space units (no kerning: PDF Tj draws no kerning). */
function width(font: PDFFont, text: string, size: number): number {
  return [...text].reduce((s, ch) => s + font.widthOfTextAtSize(ch, size), 0);
}

function drawLine(doc: PDFDocument, page: PDFPage, fonts: Fonts, line: SplitLine, rand: () => number): void {
  const font = fonts.byName.get(line.font)!;
  const key = fontKey(page, font);
  const { size } = line;
  const spaceEm = width(font, ' ', size) / size;
  const mono = line.font === 'Courier';
  const y = page.getHeight() - line.y;
  const splitGap = () => (mono ? 0 : 0.105 + rand() * Math.max(0, 0.45 * spaceEm - 0.105)); // em
  const wordGap = () => (0.6 + rand() * 0.6) * spaceEm; // em
  const ops: PDFOperator[] = [];
  const text = (x: number, s: string, extra: PDFOperator[] = []) => {
    ops.push(op(Ops.BeginText), op(Ops.SetFontAndSize, key, num(size)), ...extra,
      op(Ops.SetTextMatrix, num(1), num(0), num(0), num(1), num(x), num(y)), op(Ops.ShowText, font.encodeText(s)), op(Ops.EndText));
  };
  switch (line.style) {
    case 'kerning': {
      const parts: unknown[] = [];
      line.words.forEach((word, w) => {
        if (w > 0) {
          if (rand() < 0.5) parts.push(font.encodeText(' '));
          else parts.push(num(-wordGap() * 1000));
        }
        const chars = [...word];
        const cuts = new Set(letterCuts(chars, rand, 2));
        let piece = '';
        chars.forEach((ch, i) => {
          if (i > 0 && !mono && LETTER.test(chars[i - 1]!) && LETTER.test(ch) && (cuts.has(i) || rand() < 0.15)) {
            parts.push(font.encodeText(piece));
            piece = '';
            parts.push(num(cuts.has(i) ? -splitGap() * 1000 : rand() * 60)); // positive TJ numbers move left: a kern
          }
          piece += ch;
        });
        parts.push(font.encodeText(piece));
      });
      ops.push(op(Ops.BeginText), op(Ops.SetFontAndSize, key, num(size)),
        op(Ops.SetTextMatrix, num(1), num(0), num(0), num(1), num(line.x), num(y)),
        op(Ops.ShowTextAdjusted, doc.context.obj(parts as never)), op(Ops.EndText));
      break;
    }
    case 'per-glyph': {
      let x = line.x;
      line.words.forEach((word) => {
        for (const ch of word) {
          text(x, ch);
          x += mono ? width(font, ch, size) : fonts.helvetica.widthOfTextAtSize(ch, size);
        }
        x += (mono ? width(font, ' ', size) : fonts.helvetica.widthOfTextAtSize(' ', size)) * (1 + rand() * 0.2);
      });
      break;
    }
    case 'fragments': {
      let x = line.x;
      line.words.forEach((word) => {
        const chars = [...word];
        const cuts = [...new Set(letterCuts(chars, rand, rand() < 0.5 ? 1 : 2))].sort((a, b) => a - b);
        const pieces = [0, ...cuts].map((c, i, all) => chars.slice(c, all[i + 1] ?? chars.length).join(''));
        pieces.forEach((p, i) => {
          text(x, p);
          x += width(font, p, size) + (i < pieces.length - 1 ? splitGap() * size : 0);
        });
        x += wordGap() * size;
      });
      break;
    }
    case 'letter-spaced': {
      const tc = (0.1 + rand() * 0.2) * size;
      text(line.x, line.words.join(' '), [op(Ops.SetCharacterSpacing, num(tc))]);
      break;
    }
    case 'amounts': {
      // a label, then amounts right-aligned at column edges
      let right = line.x + width(font, line.words[0]!, size);
      text(line.x, line.words[0]!);
      for (const [i, a] of line.words.slice(1).entries()) {
        const gap = (i === 0 ? wordGap() : (0.3 + rand() * 0.7) * spaceEm) * size;
        right += gap + width(font, a, size);
        text(right - width(font, a, size), a);
      }
      break;
    }
  }
  page.pushOperators(op(Ops.PushGraphicsState), ...ops, op(Ops.PopGraphicsState)); // Tc is graphics state: it stays with its line
}

const LETTER = /^\p{L}$/u;

/** Up to n positions between two letters of the word (generators kern letter pairs; digits are tabular). */
function letterCuts(chars: string[], rand: () => number, n: number): number[] {
  const between = chars.map((_, i) => i).filter((i) => i > 0 && LETTER.test(chars[i - 1]!) && LETTER.test(chars[i]!));
  return between.length === 0 ? [] : Array.from({ length: n }, () => between[Math.floor(rand() * between.length)]!);
}

function lineWords(style: SplitStyle, rand: () => number): string[] {
  const pick = () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!;
  if (style === 'amounts') return [pick(), ...Array.from({ length: 2 + Math.floor(rand() * 3) }, () => amount(rand))];
  return Array.from({ length: 2 + Math.floor(rand() * 3) }, () => (rand() < 0.2 ? amount(rand) : pick()));
}

/**
 * A PDF of `pages` A4 pages, `linesPerPage` lines each, every line in a random style and font
 * (both drawn from the lists given, by a PRNG seeded with `seed`).
 */
export async function makeSplitPdf(options: {
  seed: number; pages?: number; linesPerPage?: number; styles?: readonly SplitStyle[]; fonts?: readonly SplitFont[];
}): Promise<SplitPdf> {
  const rand = prng(options.seed);
  const styles = options.styles ?? SPLIT_STYLES;
  const fontNames = options.fonts ?? SPLIT_FONTS;
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const byName = new Map<SplitFont, PDFFont>();
  for (const name of fontNames) {
    byName.set(name, name === 'LiberationSans (embedded)'
      ? await doc.embedFont(readFileSync(LIBERATION), { subset: true })
      : await doc.embedFont(name as StandardFonts));
  }
  const fonts: Fonts = { byName, helvetica: await doc.embedFont(StandardFonts.Helvetica) };
  const pages: SplitLine[][] = [];
  for (let p = 0; p < (options.pages ?? 1); p++) {
    const page = doc.addPage([595.28, 841.89]);
    const lines: SplitLine[] = [];
    for (let i = 0; i < (options.linesPerPage ?? 24); i++) {
      const style = styles[Math.floor(rand() * styles.length)]!;
      const font = fontNames[Math.floor(rand() * fontNames.length)]!;
      const line: SplitLine = { style, font, size: 8 + Math.round(rand() * 4), words: lineWords(style, rand), x: 50, y: 60 + i * 30 };
      drawLine(doc, page, fonts, line, rand);
      lines.push(line);
    }
    pages.push(lines);
  }
  return { bytes: await doc.save(), pages };
}

/**
 * Compares words read from one line with the words printed there. A fragment is a word read
 * that is not a printed word but part of one (`Rechn`, `ungsbetrag`); a glued word holds two or
 * more printed words (`163,16183,14`).
 */
export function compareLine(printed: readonly string[], read: readonly string[]): { exact: number; fragments: number; glued: number } {
  const left = [...printed];
  let exact = 0;
  const rest: string[] = [];
  for (const w of read) {
    const i = left.indexOf(w);
    if (i >= 0) { exact++; left.splice(i, 1); } else rest.push(w);
  }
  let fragments = 0;
  let glued = 0;
  for (const w of rest) {
    if (printed.some((p) => p.length > w.length && p.includes(w))) fragments++;
    else if (printed.filter((p) => w.includes(p)).length >= 2 || printed.some((p, i) => i > 0 && w.includes(printed[i - 1]! + p))) glued++;
  }
  return { exact, fragments, glued };
}
