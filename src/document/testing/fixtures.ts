/**
 * Generated documents with known words at known positions, for tests and benchmarks (this and
 * other stages' tests reuse them). Nothing here reads ../shared: a fresh clone can run them.
 */
import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import sharp from 'sharp';
import type { BBox } from '../../core/document-text.js';
import { openPdf } from '../pdf-document.js';
import { renderPage } from '../pdf-render.js';

export * from './raw-files.js';

/** A word drawn into a fixture, with its box on the upright page (points, top-left origin). */
export interface KnownWord {
  text: string;
  page: number;
  bbox: BBox;
  /** Line index in reading order on its page. */
  line: number;
}

/** One line of a fixture page: where its baseline starts on the upright page, its size and text. */
export interface FixtureLine {
  x: number;
  /** Baseline, measured from the top of the upright page. */
  y: number;
  size: number;
  text: string;
  bold?: boolean;
  /** Drawn in white: in the text layer, invisible on the rendered page (a scan's hidden text layer). */
  hidden?: boolean;
}

/** Helvetica's ascender and descender (AFM), for the expected boxes: the glyphs' extent, not the font box. */
const ASCENT = 0.718;
const DESCENT = -0.207;

/** A small invoice: header, two parties, a table and totals. Lines are listed in reading order. */
export const INVOICE_LINES: FixtureLine[] = [
  { x: 50, y: 60, size: 18, text: 'ACME Supplies GmbH', bold: true },
  { x: 50, y: 80, size: 10, text: 'Hauptstrasse 12, 10115 Berlin' },
  { x: 50, y: 120, size: 14, text: 'INVOICE INV-2024-0042', bold: true },
  { x: 50, y: 140, size: 10, text: 'Invoice date: 2024-03-15 Due date: 2024-04-14' },
  { x: 50, y: 170, size: 10, text: 'Bill to: Globex Corporation, 42 Market Street, Springfield' },
  { x: 50, y: 210, size: 10, text: 'Description' },
  { x: 300, y: 210, size: 10, text: 'Qty' },
  { x: 360, y: 210, size: 10, text: 'Unit price' },
  { x: 460, y: 210, size: 10, text: 'Amount' },
  { x: 50, y: 230, size: 10, text: 'Office chairs' },
  { x: 300, y: 230, size: 10, text: '4' },
  { x: 360, y: 230, size: 10, text: '120.00' },
  { x: 460, y: 230, size: 10, text: '480.00' },
  { x: 50, y: 250, size: 10, text: 'Desk lamps' },
  { x: 300, y: 250, size: 10, text: '10' },
  { x: 360, y: 250, size: 10, text: '15.50' },
  { x: 460, y: 250, size: 10, text: '155.00' },
  { x: 360, y: 290, size: 10, text: 'Subtotal' },
  { x: 460, y: 290, size: 10, text: '635.00' },
  { x: 360, y: 310, size: 10, text: 'VAT 19%' },
  { x: 460, y: 310, size: 10, text: '120.65' },
  { x: 360, y: 330, size: 12, text: 'Total EUR', bold: true },
  { x: 460, y: 330, size: 12, text: '755.65', bold: true },
];

/** A longer invoice: INVOICE_LINES' header, then `items` table rows, then totals (deterministic). */
export function invoiceLinesWithItems(items: number): FixtureLine[] {
  const products = ['Office chairs', 'Desk lamps', 'Printer paper A4', 'Toner cartridge', 'USB cables', 'Monitor stand', 'Whiteboard markers', 'Filing cabinet'];
  const header = INVOICE_LINES.slice(0, 9);
  const rows: FixtureLine[] = [];
  let subtotal = 0;
  for (let i = 0; i < items; i++) {
    const y = 230 + i * 20;
    const qty = (i * 7) % 11 + 1;
    const price = 5 + ((i * 37) % 200) + 0.25 * (i % 4);
    subtotal += qty * price;
    rows.push(
      { x: 50, y, size: 10, text: `${products[i % products.length]} ${100 + i}` },
      { x: 300, y, size: 10, text: String(qty) },
      { x: 360, y, size: 10, text: price.toFixed(2) },
      { x: 460, y, size: 10, text: (qty * price).toFixed(2) },
    );
  }
  const y = 230 + items * 20 + 20;
  const tax = subtotal * 0.19;
  return [
    ...header, ...rows,
    { x: 360, y, size: 10, text: 'Subtotal' }, { x: 460, y, size: 10, text: subtotal.toFixed(2) },
    { x: 360, y: y + 20, size: 10, text: 'VAT 19%' }, { x: 460, y: y + 20, size: 10, text: tax.toFixed(2) },
    { x: 360, y: y + 40, size: 12, text: 'Total EUR', bold: true }, { x: 460, y: y + 40, size: 12, text: (subtotal + tax).toFixed(2), bold: true },
  ];
}

/** A short page for OCR tests: big enough type to be read cleanly, few enough words to be quick. */
export const SCAN_LINES: FixtureLine[] = [
  { x: 30, y: 40, size: 16, text: 'Northwind Traders Ltd', bold: true },
  { x: 30, y: 70, size: 12, text: 'Invoice number 58213 dated 12 May 2024' },
  { x: 30, y: 95, size: 12, text: 'Consulting services for April' },
  { x: 30, y: 120, size: 12, text: 'Subtotal 1250.00 Tax 237.50' },
  { x: 30, y: 150, size: 14, text: 'Total due 1487.50 EUR', bold: true },
];

export interface FixturePage {
  width: number;
  height: number;
  lines: FixtureLine[];
  /** /Rotate of the page; the content is drawn turned so that it reads upright once rotated. */
  rotate?: 0 | 90 | 180 | 270;
  /** PNG drawn over the whole page, under the lines if there are any (a scanned page). */
  image?: Uint8Array;
}

export interface GeneratedPdf {
  bytes: Uint8Array;
  /** Words of text pages (image pages carry none) with their expected boxes. */
  words: KnownWord[];
}

/** Maps a point of the upright page (top-left origin) to PDF user space for a page with /Rotate r. */
function toUser(r: number, w: number, h: number, x: number, yTop: number): { x: number; y: number } {
  // (w, h) is the upright (displayed) size; user space is h x w for 90 and 270.
  switch (r) {
    case 90: return { x: yTop, y: x };
    case 180: return { x: w - x, y: yTop };
    case 270: return { x: h - yTop, y: w - x };
    default: return { x, y: h - yTop };
  }
}

function drawLines(page: PDFPage, fonts: { regular: PDFFont; bold: PDFFont }, spec: FixturePage, pageNumber: number): KnownWord[] {
  const r = spec.rotate ?? 0;
  const words: KnownWord[] = [];
  // reading-order line index: lines sharing a baseline form one line
  const baselines = [...new Set(spec.lines.map((l) => l.y))].sort((a, b) => a - b);
  for (const line of spec.lines) {
    const font = line.bold ? fonts.bold : fonts.regular;
    const origin = toUser(r, spec.width, spec.height, line.x, line.y);
    page.drawText(line.text, { x: origin.x, y: origin.y, size: line.size, font, rotate: degrees(r), ...(line.hidden ? { color: rgb(1, 1, 1) } : {}) });
    // PDF text drawn with Tj is not kerned; pdf-lib's widthOfTextAtSize is, so measure glyph by glyph.
    const width = (s: string) => [...s].reduce((sum, ch) => sum + font.widthOfTextAtSize(ch, line.size), 0);
    let offset = 0;
    for (const token of line.text.split(' ')) {
      const x0 = line.x + offset;
      const x1 = x0 + width(token);
      words.push({
        text: token, page: pageNumber, line: baselines.indexOf(line.y),
        bbox: [x0, line.y - ASCENT * line.size, x1, line.y - DESCENT * line.size],
      });
      offset += width(`${token} `);
    }
  }
  return words;
}

/** Writes a PDF of the given pages with pdf-lib (Helvetica), returning its words and boxes. */
export async function makePdf(pages: FixturePage[]): Promise<GeneratedPdf> {
  const doc = await PDFDocument.create();
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const words: KnownWord[] = [];
  for (const [i, spec] of pages.entries()) {
    const r = spec.rotate ?? 0;
    const sideways = r === 90 || r === 270;
    const page = doc.addPage(sideways ? [spec.height, spec.width] : [spec.width, spec.height]);
    if (r) page.setRotation(degrees(r));
    if (spec.image) {
      const png = await doc.embedPng(spec.image);
      page.drawImage(png, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    }
    words.push(...drawLines(page, fonts, spec, i + 1));
  }
  return { bytes: await doc.save(), words };
}

export const A4 = { width: 595.28, height: 841.89 };
export const SCAN_PAGE = { width: 360, height: 180 };

/** The invoice as a one-page digital PDF. */
export function makeInvoicePdf(options: { rotate?: 0 | 90 | 180 | 270 } = {}): Promise<GeneratedPdf> {
  return makePdf([{ ...A4, lines: INVOICE_LINES, rotate: options.rotate ?? 0 }]);
}

/** Renders one page of a PDF to PNG at `dpi` (pdfjs + its canvas), as a scanner would. */
export async function renderPdfToPng(bytes: Uint8Array, pageNumber: number, dpi: number): Promise<Uint8Array> {
  const doc = await openPdf(bytes, 1000);
  try {
    const rendered = await renderPage(doc, pageNumber, { dpi, maxPixels: 200_000_000, png: true });
    return rendered.png!;
  } finally {
    await doc.destroy();
  }
}

/** A clean "scan": the short OCR page rendered to PNG at `dpi`, with its known words. */
export async function makeScanPng(dpi = 300): Promise<{ png: Uint8Array; words: KnownWord[]; dpi: number }> {
  const pdf = await makePdf([{ ...SCAN_PAGE, lines: SCAN_LINES }]);
  return { png: await renderPdfToPng(pdf.bytes, 1, dpi), words: pdf.words, dpi };
}

/** Mixed PDF: page 1 has the invoice's text layer, page 2 is an image-only scan of SCAN_LINES. */
export async function makeMixedPdf(dpi = 300): Promise<GeneratedPdf & { scanWords: KnownWord[] }> {
  const scan = await makeScanPng(dpi);
  const pdf = await makePdf([{ ...A4, lines: INVOICE_LINES }, { ...SCAN_PAGE, lines: [], image: scan.png }]);
  return { ...pdf, scanWords: scan.words.map((w) => ({ ...w, page: 2 })) };
}

/**
 * A JPEG whose pixels are stored turned, with the EXIF orientation that turns them upright:
 * 6 (stored 90 degrees counter-clockwise, shown after a 90 degree clockwise turn), 3 or 8.
 */
export async function makeExifJpeg(uprightPng: Uint8Array, orientation: 3 | 6 | 8): Promise<Uint8Array> {
  const undo = { 3: 180, 6: 270, 8: 90 }[orientation];
  const stored = await sharp(uprightPng).rotate(undo).toBuffer();
  return new Uint8Array(await sharp(stored).jpeg({ quality: 92 }).withMetadata({ orientation }).toBuffer());
}

/** Grey pixels of an image (flattened on white). */
export async function toGray(image: Uint8Array): Promise<{ gray: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const gray = new Uint8Array(info.width * info.height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[i * info.channels]!;
  return { gray, width: info.width, height: info.height };
}
