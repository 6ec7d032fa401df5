import type { BBox, DocumentText, Page } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import type { ModelBundle } from './model-bundle.js';
import { classifyWordSequences, type BBox01000, type InputWord, type NerOptions } from './token-classifier.js';

const clamp = (v: number) => Math.max(0, Math.min(1000, Math.round(v)));

/** A page-unit box as LayoutLM expects it: 0-1000 of the page's width and height. */
export function normalizeBox(box: BBox, page: Pick<Page, 'width' | 'height'>): BBox01000 {
  return [clamp((box[0] / page.width) * 1000), clamp((box[1] / page.height) * 1000),
    clamp((box[2] / page.width) * 1000), clamp((box[3] / page.height) * 1000)];
}

/**
 * The ner stage: DocumentText -> EntitySpan[]. Each page is its own sequence (long pages run as
 * stride windows, pages share batches), so entities never cross pages. start/end index into
 * text.text; bbox is the union of the entity's word boxes in page units. Labels come from the bundle
 * (B-/I- prefixes removed except under aggregation 'none').
 */
export async function runNer(bundle: ModelBundle, text: DocumentText, options: NerOptions = {}): Promise<EntitySpan[]> {
  const pages = text.pages.filter((p) => p.words.length > 0);
  const sequences: InputWord[][] = pages.map((page) => page.words.map((w) => ({
    text: w.text,
    start: w.start,
    end: w.end,
    page: page.number,
    pageBox: w.bbox,
    ...(bundle.inputs.bbox ? { bbox: normalizeBox(w.bbox, page) } : {}),
  })));
  const results = await classifyWordSequences(bundle, sequences, options);
  return results.flatMap((result) => result.entities.map((e): EntitySpan => ({
    label: e.label,
    text: text.text.slice(e.start, e.end),
    start: e.start,
    end: e.end,
    score: Math.max(0, Math.min(1, e.score)),
    page: e.page,
    bbox: e.bbox,
  })));
}
