/**
 * What the block drawers of one invoice share: the writer, the printer, the preset, the frame,
 * the first-use register of record fields, and the helpers every block uses.
 */
import type { LayoutPreset } from './layout-presets.js';
import type { FieldRef, PageWriter } from './page-writer.js';
import type { FirstUse, Frame, Printer } from './printer.js';

export type Run = { text: string; field?: FieldRef | null };
export type Pair = { label: string; value: string; field: FieldRef | null };
export type Align = 'left' | 'right' | 'center';

export interface LayoutContext {
  w: PageWriter;
  p: Printer;
  preset: LayoutPreset;
  frame: Frame;
  first: FirstUse;
  /** Base font size and line height. */
  fs: number;
  lh: number;
  /** The document's title as printed ("Invoice", "GUTSCHRIFT"). */
  title: string;
  /** The meta data pairs (number, dates, references) in print order. */
  pairs: Pair[];
  /** Draws address lines from y; returns the y below them. `field` is taken on first use. */
  addressBlock(lines: string[], x: number, y: number, size: number, align: Align, field: string | null): number;
  /** The customer block (optional heading, name, contact, address, VAT id); returns the y below it. */
  customerBlock(x: number, top: number, heading: string | null, maxW: number): number;
  /** Label/value pairs from top; values right-aligned at x + width or after the labels. */
  drawPairs(x: number, top: number, width: number, right: boolean): number;
}

/** Draws string pieces that carry their own spaces ("bis zum ", date, "."), so punctuation can touch a value. */
export function drawPieces(ctx: LayoutContext, pieces: Run[], x: number, y: number, size: number): number {
  let cx = x;
  for (const piece of pieces) {
    if (piece.text.length === 0) continue;
    const box = ctx.w.text(piece.text, cx, y, { size, field: piece.field ?? null });
    cx = box[2];
  }
  return cx;
}
