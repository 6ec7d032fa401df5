import { z } from 'zod';

/** [x0, y0, x1, y1], top-left origin, in the page's own unit (PDF points or image pixels). */
export const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type BBox = z.infer<typeof BBoxSchema>;

export const WordSchema = z.object({
  text: z.string().min(1),
  bbox: BBoxSchema,
  /** 0..1; 1 for text-layer words. */
  confidence: z.number().min(0).max(1),
  /** Line index within the page, in reading order. */
  line: z.number().int().nonnegative(),
  /** Character offsets of this word in DocumentText.text: text.slice(start, end) === word.text. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Word = z.infer<typeof WordSchema>;

export const PageSchema = z.object({
  /** 1-based page number. */
  number: z.number().int().positive(),
  width: z.number().positive(),
  height: z.number().positive(),
  unit: z.enum(['pt', 'px']),
  /** Where the words came from: the PDF text layer, or OCR of a rendered page or an image. */
  method: z.enum(['text-layer', 'ocr']),
  /** Rotation applied (degrees clockwise) so that words read upright. */
  rotation: z.number().int().default(0),
  /**
   * OCR pages only: the tesseract languages the words were read with, "+"-joined ("eng", "deu",
   * "deu+eng" from a configured list). Under ocr.languages 'auto' a code other than "eng" is the
   * language the page was found to be printed in, and re-read in. Absent on text-layer pages.
   */
  language: z.string().optional(),
  words: z.array(WordSchema),
});
export type Page = z.infer<typeof PageSchema>;

export const MEDIA_TYPES = [
  'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/bmp', 'application/xml',
] as const;
export const MediaTypeSchema = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaTypeSchema>;

export const DocumentSourceSchema = z.object({
  file: z.string().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: MediaTypeSchema,
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
});
export type DocumentSource = z.infer<typeof DocumentSourceSchema>;

/**
 * The document-text stage's output. `text` is the reading-order text: words of a line joined by
 * one space, lines by "\n", pages by "\f". Every word's [start, end) indexes into it.
 */
export const DocumentTextSchema = z.object({
  source: DocumentSourceSchema,
  pages: z.array(PageSchema),
  text: z.string(),
});
export type DocumentText = z.infer<typeof DocumentTextSchema>;

/** Words before offsets are assigned: what the PDF and OCR readers produce. */
export type RawWord = Omit<Word, 'start' | 'end'>;
export type RawPage = Omit<Page, 'words'> & { words: RawWord[] };

/**
 * Assigns reading-order offsets: words must already be in reading order with line indices.
 * Returns the pages with start/end set and the joined text.
 */
export function layoutText(pages: RawPage[]): { pages: Page[]; text: string } {
  let text = '';
  const out: Page[] = [];
  pages.forEach((page, pageIndex) => {
    if (pageIndex > 0) text += '\f';
    const words: Word[] = [];
    let prevLine = -1;
    for (const w of page.words) {
      if (words.length > 0) text += w.line !== prevLine ? '\n' : ' ';
      prevLine = w.line;
      const start = text.length;
      text += w.text;
      words.push({ ...w, start, end: text.length });
    }
    out.push({ ...page, words });
  });
  return { pages: out, text };
}
