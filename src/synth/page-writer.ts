/**
 * Draws on pdf-lib pages in top-left coordinates (points) and records where every labelled string
 * went: each entity instance (a field) collects the parts it was printed in, with page and box.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { EntityType } from '../core/labels.js';

export type BBoxPt = [number, number, number, number];

/** One printed entity: a field's text as drawn, possibly in several parts (address lines). */
export interface PrintedSpan {
  id: number;
  label: EntityType;
  /** Record field path ('vendor.name', 'total', 'lineItems.2.amount') or null for other entities. */
  field: string | null;
  parts: { page: number; text: string; bbox: BBoxPt }[];
}

export interface FieldRef { label: EntityType; field?: string | null; key?: string }

export type FontRole = 'regular' | 'bold' | 'mono' | 'italic';
export type FontFamily = 'Helvetica' | 'Times' | 'Courier';

const FAMILY_FONTS: Record<FontFamily, Record<FontRole, StandardFonts>> = {
  Helvetica: { regular: StandardFonts.Helvetica, bold: StandardFonts.HelveticaBold, italic: StandardFonts.HelveticaOblique, mono: StandardFonts.Courier },
  Times: { regular: StandardFonts.TimesRoman, bold: StandardFonts.TimesRomanBold, italic: StandardFonts.TimesRomanItalic, mono: StandardFonts.Courier },
  Courier: { regular: StandardFonts.Courier, bold: StandardFonts.CourierBold, italic: StandardFonts.CourierOblique, mono: StandardFonts.Courier },
};

export interface TextOptions {
  font?: FontRole;
  size?: number;
  align?: 'left' | 'right' | 'center';
  color?: [number, number, number];
  field?: FieldRef | null;
}

export class PageWriter {
  readonly pages: PDFPage[] = [];
  readonly spans: PrintedSpan[] = [];
  private readonly byKey = new Map<string, PrintedSpan>();
  private fonts = new Map<FontRole, PDFFont>();

  private constructor(readonly doc: PDFDocument, readonly width: number, readonly height: number) {}

  static async create(width: number, height: number, family: FontFamily): Promise<PageWriter> {
    // updateMetadata: false keeps pdf-lib from stamping the creation date and producer: same seed, same bytes.
    const doc = await PDFDocument.create({ updateMetadata: false });
    const w = new PageWriter(doc, width, height);
    for (const role of ['regular', 'bold', 'italic', 'mono'] as const) w.fonts.set(role, doc.embedStandardFont(FAMILY_FONTS[family][role]));
    w.addPage();
    return w;
  }

  private target: number | null = null;

  /** The page drawing goes to: the last one, or the one chosen by onPage(). */
  get page(): PDFPage { return this.pages[this.target ?? this.pages.length - 1]!; }
  private get pageIndex(): number { return this.target ?? this.pages.length - 1; }

  /** Draws on an earlier page (footers, page numbers) inside fn. */
  onPage(index: number, fn: () => void): void {
    const prev = this.target;
    this.target = index;
    try { fn(); } finally { this.target = prev; }
  }
  get pageNumber(): number { return this.pages.length; }

  addPage(height = this.height): PDFPage {
    const page = this.doc.addPage([this.width, height]);
    this.pages.push(page);
    return page;
  }

  font(role: FontRole = 'regular'): PDFFont { return this.fonts.get(role)!; }

  measure(text: string, size: number, role: FontRole = 'regular'): number {
    return this.font(role).widthOfTextAtSize(text, size);
  }

  /**
   * The space left between separately drawn strings on a line: half an em at least, so that text
   * extraction sees separate words even where its glyph metrics differ from the font's.
   */
  gap(size: number, role: FontRole = 'regular'): number {
    return Math.max(this.measure(' ', size, role) * 1.5, size * 0.5);
  }

  /** Draws one string with its top at y; returns its box. Records it under `field` when given. */
  text(text: string, x: number, y: number, options: TextOptions = {}, pageIndex = this.pageIndex): BBoxPt {
    const size = options.size ?? 9;
    const role = options.font ?? 'regular';
    const width = this.measure(text, size, role);
    const left = options.align === 'right' ? x - width : options.align === 'center' ? x - width / 2 : x;
    const page = this.pages[pageIndex]!;
    const c = options.color ?? [0, 0, 0];
    if (text.length > 0) {
      page.drawText(text, { x: left, y: page.getHeight() - y - size * 0.78, size, font: this.font(role), color: rgb(c[0], c[1], c[2]) });
    }
    const bbox: BBoxPt = [left, y, left + width, y + size];
    if (options.field && text.trim().length > 0) this.record(options.field, text, bbox, pageIndex + 1);
    return bbox;
  }

  /** Draws runs one after another on a line, separated by single spaces; each run may be a field. */
  runs(parts: { text: string; field?: FieldRef | null }[], x: number, y: number, options: TextOptions = {}): number {
    const size = options.size ?? 9;
    const space = this.gap(size, options.font);
    const total = parts.reduce((s, p) => s + this.measure(p.text, size, options.font), 0) + space * (parts.length - 1);
    let cx = options.align === 'right' ? x - total : options.align === 'center' ? x - total / 2 : x;
    for (const p of parts) {
      const box = this.text(p.text, cx, y, { ...options, align: 'left', field: p.field ?? null });
      cx = box[2] + space;
    }
    return total;
  }

  record(ref: FieldRef, text: string, bbox: BBoxPt, page: number): void {
    // Without a key every call is a new entity instance; a key joins parts (lines of one address).
    const key = ref.key ?? null;
    let span = key ? this.byKey.get(key) : undefined;
    if (!span) {
      span = { id: this.spans.length, label: ref.label, field: ref.field ?? null, parts: [] };
      this.spans.push(span);
      if (key) this.byKey.set(key, span);
    }
    span.parts.push({ page, text, bbox: bbox.map((v) => Math.round(v * 100) / 100) as BBoxPt });
  }

  line(x0: number, y0: number, x1: number, y1: number, thickness = 0.5, gray = 0): void {
    const h = this.page.getHeight();
    this.page.drawLine({ start: { x: x0, y: h - y0 }, end: { x: x1, y: h - y1 }, thickness, color: rgb(gray, gray, gray) });
  }

  rect(x: number, y: number, w: number, h: number, options: { fill?: [number, number, number]; stroke?: number; border?: number } = {}): void {
    const ph = this.page.getHeight();
    this.page.drawRectangle({
      x, y: ph - y - h, width: w, height: h,
      ...(options.fill ? { color: rgb(...options.fill) } : {}),
      ...(options.border ? { borderWidth: options.border, borderColor: rgb(options.stroke ?? 0, options.stroke ?? 0, options.stroke ?? 0) } : {}),
    });
  }

  /** Splits text into lines no wider than maxWidth. */
  wrap(text: string, maxWidth: number, size: number, role: FontRole = 'regular'): string[] {
    const words = text.split(' ');
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && this.measure(next, size, role) > maxWidth) { lines.push(cur); cur = w; } else cur = next;
    }
    if (cur) lines.push(cur);
    return lines;
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: false });
  }
}
