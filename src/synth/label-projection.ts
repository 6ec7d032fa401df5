/**
 * Projects the generator's printed entity spans onto the words the document-text stage read, and
 * tags them IOB2. A word takes a span part's label when its box centre lies in the part's box
 * (grown by a tolerance) and its text belongs to the part's text (exactly for text layers; by a
 * similarity threshold for OCR, whose words are noisy, or, for numeric entities, any word with a
 * digit in the box). Coverage counts a part labelled only when its words match its text. A word is B- when the word before it in
 * reading order belongs to another entity instance (or none), else I-; so an address read line by
 * line stays one entity, and one interleaved with another column's text starts again.
 */
import type { DocumentText, Page, Word } from '../core/document-text.js';
import type { EntityType } from '../core/labels.js';
import { editDistance } from '../core/edit-distance.js';
import type { BBoxPt, PrintedSpan } from './page-writer.js';

export interface ProjectionOptions {
  /** Maps a part's box (PDF points, top-left origin) to the page's word units; identity for text layers. */
  toPage?: (page: number, box: BBoxPt) => BBoxPt;
  /** OCR words: accept near matches. */
  fuzzy?: boolean;
}

export interface Coverage {
  /** Span parts printed. */
  parts: number;
  /** Parts whose text is present in the document text read from the page. */
  present: number;
  /** Present parts whose words all got the part's label. */
  labelled: number;
}

export interface PageTags { page: Page; tags: string[] }

const squash = (s: string) => s.replace(/\s+/g, '');
const norm = (s: string) => squash(s).toLowerCase();

/** Similarity in [0, 1]: 1 - Levenshtein distance / longer length. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

function grow(box: BBoxPt, page: Page): BBoxPt {
  const h = box[3] - box[1];
  const padX = page.unit === 'px' ? h * 0.6 : 2;
  const padY = h * 0.35;
  return [box[0] - padX, box[1] - padY, box[2] + padX, box[3] + padY];
}

function centreIn(w: Word, box: BBoxPt): boolean {
  const cx = (w.bbox[0] + w.bbox[2]) / 2;
  const cy = (w.bbox[1] + w.bbox[3]) / 2;
  return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3];
}

export interface Projection {
  pages: PageTags[];
  coverage: Coverage;
  /** Present parts that did not get their label, for diagnostics. */
  missed: { label: EntityType; text: string; page: number; got: string }[];
}

const wordOrder = (page: Page) => (a: number, b: number) => {
  const wa = page.words[a]!; const wb = page.words[b]!;
  return wa.line - wb.line || wa.bbox[0] - wb.bbox[0];
};

export function projectSpans(text: DocumentText, spans: PrintedSpan[], options: ProjectionOptions = {}): Projection {
  const owner = text.pages.map((p) => new Array<number>(p.words.length).fill(-1));
  const coverage: Coverage = { parts: 0, present: 0, labelled: 0 };
  // What each page's words contain, as a bag of normalised words (reading order may interleave columns).
  const pageWords = text.pages.map((p) => p.words.map((w) => norm(w.text)));
  const missed: Projection['missed'] = [];
  const labelOf = new Map<number, EntityType>();

  for (const span of spans) {
    labelOf.set(span.id, span.label);
    for (const part of span.parts) {
      coverage.parts++;
      const pageIndex = part.page - 1;
      const page = text.pages[pageIndex];
      if (!page) continue;
      const want = norm(part.text);
      const box = grow(options.toPage ? options.toPage(part.page, part.bbox) : part.bbox, page);
      const candidates = page.words.map((w, i) => ({ w, i })).filter(({ w, i }) => owner[pageIndex]![i] === -1 && centreIn(w, box));
      let chosen: number[];
      let ok: boolean;
      if (!options.fuzzy) {
        const tokens = part.text.split(/\s+/).filter(Boolean).map(norm);
        if (!tokens.every((t) => pageWords[pageIndex]!.some((pw) => pw.includes(t)))) continue;
        coverage.present++;
        // Words that are pieces of the part's text (a word may carry punctuation around the value).
        chosen = candidates.filter(({ w }) => want.includes(norm(w.text)) || norm(w.text).includes(want)).map(({ i }) => i);
        chosen.sort(wordOrder(page));
        const got = norm(chosen.map((i) => page.words[i]!.text).join(''));
        ok = got === want || (chosen.length === 1 && got.includes(want));
        if (!ok) missed.push({ label: span.label, text: part.text, page: part.page, got: chosen.map((i) => page.words[i]!.text).join(' ') });
      } else {
        coverage.present++;
        const tokens = part.text.split(/\s+/).filter(Boolean).map(norm);
        // Numeric entities misread by OCR ("S37 771" for "$377.71") still sit where the value was
        // printed: a word there with a digit keeps the label.
        const numeric = span.label === 'MONEY' || span.label === 'DATE' || span.label === 'INVOICE_NO' || span.label === 'TAX_ID';
        chosen = candidates.filter(({ w }) => {
          const t = norm(w.text);
          return /[\p{L}\p{N}]/u.test(t) && (tokens.some((k) => similarity(k, t) >= 0.5 || (t.length >= 3 && k.includes(t))) || (numeric && /\d/.test(t)));
        }).map(({ i }) => i);
        ok = chosen.length > 0 && similarity(norm(chosen.map((i) => page.words[i]!.text).join('')), want) >= 0.75;
      }
      if (chosen.length === 0) { if (options.fuzzy) missed.push({ label: span.label, text: part.text, page: part.page, got: '' }); continue; }
      for (const i of chosen) owner[pageIndex]![i] = span.id;
      if (ok) coverage.labelled++;
    }
  }

  const pages = text.pages.map((page, pi) => {
    const own = owner[pi]!;
    // Reading order is the words' order (offsets ascend).
    const tags = page.words.map((_, i) => {
      const id = own[i]!;
      if (id === -1) return 'O';
      const label = labelOf.get(id)!;
      return i > 0 && own[i - 1] === id ? `I-${label}` : `B-${label}`;
    });
    return { page, tags };
  });
  return { pages, coverage, missed };
}

/** One corpus line per page, in the format the training tools read. */
export interface CorpusLine {
  id: string;
  words: string[];
  boxes: [number, number, number, number][];
  tags: string[];
  source: 'synth-pdf' | 'synth-scan';
  lang: string;
  layout: string;
}

export function corpusLines(id: string, pages: PageTags[], meta: { source: CorpusLine['source']; lang: string; layout: string }): CorpusLine[] {
  const clamp = (v: number) => Math.max(0, Math.min(1000, Math.round(v)));
  return pages.filter(({ page }) => page.words.length > 0).map(({ page, tags }) => ({
    id: `${id}#p${page.number}`,
    words: page.words.map((w) => w.text),
    boxes: page.words.map((w) => [
      clamp((w.bbox[0] / page.width) * 1000), clamp((w.bbox[1] / page.height) * 1000),
      clamp((w.bbox[2] / page.width) * 1000), clamp((w.bbox[3] / page.height) * 1000),
    ] as [number, number, number, number]),
    tags,
    source: meta.source, lang: meta.lang, layout: meta.layout,
  }));
}
