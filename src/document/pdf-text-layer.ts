import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { BBox, RawPage } from '../core/document-text.js';
import { pageGlyphs } from './pdf-glyphs.js';
import { wordsFromGlyphs, type GlyphWord } from './word-boundaries.js';
import { orderWords, type PlacedWord } from './reading-order.js';
import { judgeTextLayer, type TextLayerVerdict } from './text-quality.js';

/** Quarter-turn (degrees clockwise) that makes the dominant writing direction read left to right. */
function dominantTurn(words: GlyphWord[], toView: (v: [number, number]) => [number, number]): number {
  const weight = [0, 0, 0, 0];
  for (const w of words) {
    const [vx, vy] = toView(w.dir); // y down
    const angle = (Math.atan2(vy, vx) * 180) / Math.PI;
    const q = ((Math.round(angle / 90) % 4) + 4) % 4; // 0: right, 1: down, 2: left, 3: up
    weight[q]! += w.text.length;
  }
  const q = weight.indexOf(Math.max(...weight));
  return (360 - q * 90) % 360;
}

/**
 * Drops a word drawn again on top of itself (fake bold: the same text painted twice, a hair
 * apart): same text, boxes overlapping by more than 70% of the smaller one.
 */
function dropOverprints(words: PlacedWord[]): PlacedWord[] {
  const seen = new Map<string, BBox[]>();
  return words.filter((w) => {
    let boxes = seen.get(w.text);
    if (!boxes) seen.set(w.text, (boxes = []));
    const [x0, y0, x1, y1] = w.bbox;
    const area = Math.max(1e-6, (x1 - x0) * (y1 - y0));
    const duplicate = boxes!.some((b) => {
      const ix = Math.min(x1, b[2]) - Math.max(x0, b[0]);
      const iy = Math.min(y1, b[3]) - Math.max(y0, b[1]);
      return ix > 0 && iy > 0 && (ix * iy) / Math.min(area, Math.max(1e-6, (b[2] - b[0]) * (b[3] - b[1]))) > 0.7;
    });
    if (!duplicate) boxes!.push(w.bbox);
    return !duplicate;
  });
}

export interface TextLayerResult {
  verdict: TextLayerVerdict;
  page: RawPage;
}

/**
 * Words and boxes from a page's text layer, in PDF points with a top-left origin on the upright
 * page. Words are cut where the glyphs' own geometry says (word-boundaries.ts), from every glyph's
 * position and its font's width (pdf-glyphs.ts), not from the text runs a generator happened to
 * draw: kerned and per-glyph placed words come out whole. The page's /Rotate is applied first; if most text then still does not read left to right
 * (a sideways scan of a landscape invoice, a page rotated without rotating its content), a further
 * quarter-turn is applied. `rotation` reports the total turn, clockwise, relative to the unrotated
 * page; width and height are those of the upright page.
 */
export async function readTextLayer(page: PDFPageProxy, pageNumber: number): Promise<TextLayerResult> {
  const raw = wordsFromGlyphs(await pageGlyphs(page));
  const base = page.getViewport({ scale: 1 });
  const linear = (v: [number, number]): [number, number] => {
    const [a, b, c, d] = base.transform as number[];
    return [a! * v[0] + c! * v[1], b! * v[0] + d! * v[1]];
  };
  const rotation = (page.rotate + dominantTurn(raw, linear)) % 360;
  const viewport = page.getViewport({ scale: 1, rotation });
  const placed: PlacedWord[] = dropOverprints(raw.map((w) => {
    const pts = w.corners.map(([x, y]) => viewport.convertToViewportPoint(x, y) as [number, number]);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const bbox: BBox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map(round2) as BBox;
    return { text: w.text, bbox, confidence: 1 };
  }));
  return {
    verdict: judgeTextLayer(placed.map((w) => w.text)),
    page: {
      number: pageNumber, width: round2(viewport.width), height: round2(viewport.height), unit: 'pt',
      method: 'text-layer', rotation, words: orderWords(placed),
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
