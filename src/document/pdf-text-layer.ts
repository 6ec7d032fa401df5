import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { BBox, RawPage } from '../core/document-text.js';
import { glyphAdvance } from './glyph-widths.js';
import { orderWords, type PlacedWord } from './reading-order.js';
import { judgeTextLayer, type TextLayerVerdict } from './text-quality.js';

interface TextItem {
  str: string;
  width: number;
  transform: number[];
  fontName: string;
}

/** A word in PDF user space: baseline origin, unit direction, extent along it and font size. */
interface SpaceWord {
  text: string;
  /** Corners in user space (bottom-left origin). */
  corners: [number, number][];
  /** Direction of writing, unit vector in user space. */
  dir: [number, number];
  /** Where the word starts and ends on its baseline, for joining with the next item. */
  start: [number, number];
  end: [number, number];
  size: number;
  /** The item ended right after this word without whitespace (the next item may continue it). */
  open: boolean;
  /** The word starts its item with no whitespace before it (it may continue the previous word). */
  leading: boolean;
}

const DEFAULT_ASCENT = 0.8;
const DEFAULT_DESCENT = -0.2;
/** Two items continue one word when the gap along the baseline is below this share of the font size. */
const JOIN_GAP = 0.15;

function itemWords(item: TextItem, ascent: number, descent: number): SpaceWord[] {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
  const dirLen = Math.hypot(a, b);
  const size = Math.hypot(c, d);
  if (!item.str || dirLen === 0 || size === 0) return [];
  const dir: [number, number] = [a / dirLen, b / dirLen];
  const up: [number, number] = [c / size, d / size];
  const chars = [...item.str];
  const advances = chars.map(glyphAdvance);
  const total = advances.reduce((s, x) => s + x, 0) || 1;
  const scale = (item.width > 0 ? item.width : total / 1000 * size) / total;
  const words: SpaceWord[] = [];
  let pos = 0;
  let i = 0;
  while (i < chars.length) {
    if (/\s/u.test(chars[i]!)) { pos += advances[i]!; i++; continue; }
    const startIndex = i;
    const start = pos;
    let text = '';
    while (i < chars.length && !/\s/u.test(chars[i]!)) { text += chars[i]; pos += advances[i]!; i++; }
    const x0 = start * scale;
    const x1 = pos * scale;
    const y0 = descent * size;
    const y1 = ascent * size;
    const at = (x: number, y: number): [number, number] => [e + dir[0] * x + up[0] * y, f + dir[1] * x + up[1] * y];
    words.push({
      text, corners: [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)], dir, start: at(x0, 0), end: at(x1, 0), size,
      open: i === chars.length, leading: startIndex === 0,
    });
  }
  return words;
}

function canJoin(prev: SpaceWord, next: SpaceWord): boolean {
  if (!prev.open || !next.leading) return false;
  if (prev.dir[0] * next.dir[0] + prev.dir[1] * next.dir[1] < 0.99) return false;
  const dx = next.start[0] - prev.end[0];
  const dy = next.start[1] - prev.end[1];
  const along = dx * prev.dir[0] + dy * prev.dir[1];
  const across = Math.abs(dy * prev.dir[0] - dx * prev.dir[1]);
  const size = Math.max(prev.size, next.size);
  return along > -0.5 * size && along < JOIN_GAP * size && across < 0.35 * size;
}

/** Quarter-turn (degrees clockwise) that makes the dominant writing direction read left to right. */
function dominantTurn(words: SpaceWord[], toView: (v: [number, number]) => [number, number]): number {
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
 * page. The page's /Rotate is applied first; if most text then still does not read left to right
 * (a sideways scan of a landscape invoice, a page rotated without rotating its content), a further
 * quarter-turn is applied. `rotation` reports the total turn, clockwise, relative to the unrotated
 * page; width and height are those of the upright page.
 */
export async function readTextLayer(page: PDFPageProxy, pageNumber: number): Promise<TextLayerResult> {
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const styles = content.styles as Record<string, { ascent?: number; descent?: number }>;
  const raw: SpaceWord[] = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const last = raw[raw.length - 1];
    if (last && !/\S/u.test(item.str)) last.open = false; // a space or end-of-line item separates words
    const style = styles[item.fontName] ?? {};
    const ascent = style.ascent && style.ascent > 0 ? style.ascent : DEFAULT_ASCENT;
    const descent = style.descent && style.descent < 0 ? style.descent : DEFAULT_DESCENT;
    for (const w of itemWords(item as TextItem, ascent, descent)) {
      const prev = raw[raw.length - 1];
      if (prev && canJoin(prev, w)) {
        prev.text += w.text;
        prev.corners = [prev.corners[0]!, w.corners[1]!, w.corners[2]!, prev.corners[3]!];
        prev.end = w.end;
        prev.open = w.open;
        prev.size = Math.max(prev.size, w.size);
      } else {
        raw.push(w);
      }
    }
    const tail = raw[raw.length - 1];
    if (tail && item.hasEOL) tail.open = false;
  }
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
