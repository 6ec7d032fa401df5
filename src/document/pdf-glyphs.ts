import { AnnotationMode, OPS, normalizeUnicode, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

type Matrix = [number, number, number, number, number, number];
type Vec = [number, number];

/**
 * One glyph as the page draws it, in PDF user space (bottom-left origin), from the page's
 * operator list: its position follows the text state exactly as a renderer moves it (Tm, Td, TJ
 * adjustments, Tc, Tw, Tz, Ts, cm, form matrices), and its advance is the font's own width for
 * that glyph (the /Widths or CID W entry, the embedded program, or pdfjs's metrics of the
 * standard 14 fonts: never a table of another font).
 */
export interface PlacedGlyph {
  /** Unicode text of the glyph (ligatures expanded as pdfjs's text layer does). */
  text: string;
  /** A whitespace glyph (by its Unicode text): an explicit word separator. */
  space: boolean;
  /** Where the glyph starts on its baseline (text rise included). */
  origin: Vec;
  /** The same point without text rise: superscripts stay on their line. */
  baseline: Vec;
  /** Unit vector of writing direction. */
  dir: Vec;
  /** Unit vector from baseline to ascender. */
  up: Vec;
  /** The glyph's own advance along dir (without Tc, Tw or TJ adjustments). */
  advance: number;
  /** Em height in user space. */
  size: number;
  /** Ascent and descent as shares of the em (descent negative). */
  ascent: number;
  descent: number;
  /** The font's space advance as a share of the em (see spaceWidthOf). */
  spaceEm: number;
  /** A fixed-pitch font (its flags say so, or every glyph it draws here has one advance). */
  monospace: boolean;
  /** pdfjs's loaded font name: glyphs of one font share it. */
  font: string;
}

interface FontInfo {
  fontMatrix?: number[];
  vertical?: boolean;
  ascent?: number;
  descent?: number;
  isType3Font?: boolean;
  /** Present with getDocument({ fontExtraProperties: true }): char code -> width, 1/1000 em. */
  widths?: Record<string, number>;
  composite?: boolean;
  differences?: string[];
  isMonospace?: boolean;
}

interface GlyphArg {
  unicode: string;
  originalCharCode?: number;
  width: number;
  isSpace: boolean;
  vmetric?: number[] | null;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const DEFAULT_ASCENT = 0.8;
const DEFAULT_DESCENT = -0.2;
/** A font whose space width is known from nowhere else: half its median glyph advance (Helvetica: 0.28 em against a true 0.278). */
const SPACE_SHARE_OF_MEDIAN_ADVANCE = 0.5;
/** Glyphs of this many different non-digit characters, all of one advance, show a fixed-pitch font (tabular digits alone do not). */
const MONOSPACE_EVIDENCE = 3;

/** m1 x m2: m2 applied first (pdfjs's Util.transform). */
function mul(m1: Matrix, m2: Matrix | readonly number[]): Matrix {
  return [
    m1[0] * m2[0]! + m1[2] * m2[1]!, m1[1] * m2[0]! + m1[3] * m2[1]!,
    m1[0] * m2[2]! + m1[2] * m2[3]!, m1[1] * m2[2]! + m1[3] * m2[3]!,
    m1[0] * m2[4]! + m1[2] * m2[5]! + m1[4], m1[1] * m2[4]! + m1[3] * m2[5]! + m1[5],
  ];
}
const apply = (m: Matrix, x: number, y: number): Vec => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
const linear = (m: Matrix, x: number, y: number): Vec => [m[0] * x + m[2] * y, m[1] * x + m[3] * y];

interface State {
  ctm: Matrix;
  tm: Matrix;
  x: number; y: number; lineX: number; lineY: number;
  charSpacing: number; wordSpacing: number; hScale: number; leading: number; rise: number;
  font: string | null; fontSize: number; fontDirection: number;
}

function initialState(): State {
  return {
    ctm: IDENTITY, tm: IDENTITY, x: 0, y: 0, lineX: 0, lineY: 0,
    charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0, font: null, fontSize: 0, fontDirection: 1,
  };
}

async function fontsOf(page: PDFPageProxy, names: Set<string>): Promise<Map<string, FontInfo>> {
  const fonts = new Map<string, FontInfo>();
  const objs = page.commonObjs as unknown as { get(id: string, cb: (v: unknown) => void): void };
  await Promise.all([...names].map((name) => new Promise<void>((done) => {
    objs.get(name, (value) => {
      if (value && typeof value === 'object' && !(value instanceof Error)) fonts.set(name, value as FontInfo);
      done();
    });
  })));
  return fonts;
}

/**
 * The space advance of a font, as a share of the em: the width of a space glyph the page draws in
 * it; else the font's own width for char code 32 (simple fonts whose encoding keeps 32 a space:
 * no glyph drawn with code 32 is something else, as in subset fonts that number glyphs 1, 2, ...);
 * else half the median advance of the glyphs drawn in it.
 */
function spaceWidthOf(font: FontInfo | undefined, drawnSpace: number | undefined, advances: number[], code32Taken: boolean): number {
  if (drawnSpace && drawnSpace > 0) return drawnSpace;
  if (font?.widths && !font.composite && !code32Taken && !(font.differences?.[32] && font.differences[32] !== 'space')) {
    const w = font.widths[32];
    if (typeof w === 'number' && w > 0) return w / 1000;
  }
  if (advances.length > 0) {
    const sorted = [...advances].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]! * SPACE_SHARE_OF_MEDIAN_ADVANCE;
  }
  return 0.25;
}

/**
 * Every glyph the page draws, in drawing order (annotations excluded, as in pdfjs's text layer).
 * Glyphs outside the page's view box are dropped. Zero-size fonts and degenerate matrices draw
 * nothing and give nothing.
 */
export async function pageGlyphs(page: PDFPageProxy): Promise<PlacedGlyph[]> {
  const ops = await page.getOperatorList({ annotationMode: AnnotationMode.DISABLE });
  const fontNames = new Set<string>();
  for (let i = 0; i < ops.fnArray.length; i++) {
    if (ops.fnArray[i] === OPS.setFont) fontNames.add(ops.argsArray[i][0]);
    else if (ops.fnArray[i] === OPS.setGState) {
      for (const [key, value] of ops.argsArray[i][0] as [string, unknown][]) if (key === 'Font') fontNames.add((value as [string])[0]);
    }
  }
  const fonts = await fontsOf(page, fontNames);
  const raw: PlacedGlyph[] = [];
  /** Per glyph of raw: its advance in em (the font's width) and whether it was drawn with char code 32. */
  const ems: number[] = [];
  const code32: boolean[] = [];
  const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
  const inView = (p: Vec, size: number) => p[0] >= Math.min(vx0, vx1) - size && p[0] <= Math.max(vx0, vx1)
    && p[1] >= Math.min(vy0, vy1) - size && p[1] <= Math.max(vy0, vy1) + size;
  const stack: State[] = [];
  let s = initialState();
  const setFont = (name: string, size: number) => {
    s.font = name;
    s.fontDirection = size < 0 ? -1 : 1;
    s.fontSize = Math.abs(size);
  };
  const showText = (glyphs: (GlyphArg | number)[]) => {
    const font = s.font ? fonts.get(s.font) : undefined;
    if (!s.font || s.fontSize === 0) return;
    const fontMatrix = font?.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0];
    const vertical = !!font?.vertical;
    const widthScale = s.fontSize * fontMatrix[0]!;
    const hs = s.hScale * s.fontDirection;
    const base = mul(s.ctm, s.tm);
    const upVec = linear(base, 0, s.fontSize);
    const size = Math.hypot(upVec[0], upVec[1]);
    const ascent = font?.ascent && font.ascent > 0 && font.ascent < 2 ? font.ascent : DEFAULT_ASCENT;
    const descent = font?.descent && font.descent < 0 && font.descent > -1 ? font.descent : DEFAULT_DESCENT;
    let x = 0;
    for (const g of glyphs) {
      if (typeof g === 'number') { x += (vertical ? 1 : -1) * g * s.fontSize / 1000; continue; }
      const width = vertical ? -(g.vmetric?.[0] ?? g.width) : g.width;
      const natural = width * widthScale;
      const spacing = (g.isSpace ? s.wordSpacing : 0) + s.charSpacing;
      const at = vertical ? [s.x, s.y - x] as Vec : [s.x + x * hs, s.y] as Vec;
      const stepVec = vertical ? linear(base, 0, -Math.abs(natural)) : linear(base, natural * hs, 0);
      const dirVec = vertical ? linear(base, 0, -1) : linear(base, hs, 0);
      const dirLen = Math.hypot(dirVec[0], dirVec[1]);
      const origin = size > 0 && dirLen > 0 ? apply(base, at[0], at[1] + s.rise) : null;
      if (origin && inView(origin, size)) {
        const unicode = g.unicode ?? '';
        const text = unicode.length === 1 && unicode.charCodeAt(0) < 0xa0 ? unicode : normalizeUnicode(unicode);
        raw.push({
          text, space: text.length > 0 && !/\S/u.test(text), // isSpace is char code 32, which a subset font may give to any glyph
          origin, baseline: apply(base, at[0], at[1]),
          dir: [dirVec[0] / dirLen, dirVec[1] / dirLen], up: [upVec[0] / size, upVec[1] / size],
          advance: Math.hypot(stepVec[0], stepVec[1]), size, ascent, descent, spaceEm: 0, monospace: false, font: s.font,
        });
        ems.push(Math.abs(width * fontMatrix[0]!));
        code32.push(g.originalCharCode === 32);
      }
      x += vertical ? natural - spacing * s.fontDirection : natural + spacing * s.fontDirection;
    }
    if (vertical) s.y -= x; else s.x += x * hs;
  };
  const save = () => stack.push({ ...s });
  const restore = () => { const prev = stack.pop(); if (prev) s = prev; };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as any[];
    switch (fn) {
      case OPS.save: case OPS.beginGroup: save(); break;
      case OPS.restore: case OPS.endGroup: case OPS.paintFormXObjectEnd: restore(); break;
      case OPS.paintFormXObjectBegin: save(); if (args[0]) s.ctm = mul(s.ctm, args[0]); break;
      case OPS.transform: s.ctm = mul(s.ctm, args); break;
      case OPS.beginText: s.tm = IDENTITY; s.x = s.lineX = 0; s.y = s.lineY = 0; break;
      case OPS.setCharSpacing: s.charSpacing = args[0]; break;
      case OPS.setWordSpacing: s.wordSpacing = args[0]; break;
      case OPS.setHScale: s.hScale = args[0] / 100; break;
      case OPS.setLeading: s.leading = -args[0]; break;
      case OPS.setTextRise: s.rise = args[0]; break;
      case OPS.setFont: setFont(args[0], args[1]); break;
      case OPS.setGState:
        for (const [key, value] of args[0] as [string, unknown][]) if (key === 'Font') setFont((value as [string, number])[0], (value as [string, number])[1]);
        break;
      case OPS.moveText: s.x = s.lineX += args[0]; s.y = s.lineY += args[1]; break;
      case OPS.setLeadingMoveText: s.leading = args[1]; s.x = s.lineX += args[0]; s.y = s.lineY += args[1]; break;
      case OPS.setTextMatrix: s.tm = Array.from(args[0] as ArrayLike<number>) as Matrix; s.x = s.lineX = 0; s.y = s.lineY = 0; break;
      case OPS.nextLine: s.x = s.lineX; s.y = s.lineY += s.leading; break;
      case OPS.showText: showText(args[0]); break;
      default: break;
    }
  }
  // the font's space width, from what the page draws
  const drawnSpace = new Map<string, number>();
  const advances = new Map<string, number[]>();
  const code32Taken = new Set<string>();
  raw.forEach((g, i) => {
    const em = ems[i]!;
    if (code32[i] && !g.space) code32Taken.add(g.font);
    if (g.space && g.text === ' ' && em > 0) drawnSpace.set(g.font, Math.max(drawnSpace.get(g.font) ?? 0, em));
    else if (!g.space && em > 0) (advances.get(g.font) ?? advances.set(g.font, []).get(g.font)!).push(em);
  });
  const pitch = new Map<string, { em: number; chars: Set<string> } | null>();
  raw.forEach((g, i) => {
    const em = ems[i]!;
    if (g.space || em <= 0 || /^\p{Nd}$/u.test(g.text) || /^\p{M}+$/u.test(g.text)) return;
    const seen = pitch.get(g.font);
    if (seen === null) return;
    if (!seen) pitch.set(g.font, { em, chars: new Set([g.text]) });
    else if (Math.abs(seen.em - em) > 0.01 * seen.em) pitch.set(g.font, null);
    else seen.chars.add(g.text);
  });
  const monospace = new Set([...pitch].filter(([, p]) => p && p.chars.size >= MONOSPACE_EVIDENCE).map(([name]) => name));
  for (const [name, font] of fonts) if (font.isMonospace === true) monospace.add(name);
  const spaceEm = new Map<string, number>();
  for (const name of new Set(raw.map((g) => g.font))) {
    spaceEm.set(name, spaceWidthOf(fonts.get(name), drawnSpace.get(name), advances.get(name) ?? [], code32Taken.has(name)));
  }
  for (const g of raw) {
    g.spaceEm = spaceEm.get(g.font)!;
    g.monospace = monospace.has(g.font);
  }
  return raw;
}
