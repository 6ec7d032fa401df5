import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutText, type DocumentText, type RawWord } from '../src/core/document-text.js';
import { corpusLines, projectSpans, similarity } from '../src/synth/label-projection.js';
import type { PrintedSpan } from '../src/synth/page-writer.js';

/** A one-page text-layer document from words given as [text, x0, y0, x1, y1, line]. */
function doc(words: [string, number, number, number, number, number][]): DocumentText {
  const raw: RawWord[] = words.map(([text, x0, y0, x1, y1, line]) => ({ text, bbox: [x0, y0, x1, y1], confidence: 1, line }));
  const { pages, text } = layoutText([{ number: 1, width: 600, height: 800, unit: 'pt', method: 'text-layer', rotation: 0, words: raw }]);
  return { source: { file: null, sha256: '0'.repeat(64), mediaType: 'application/pdf', bytes: 1, pages: 1 }, pages, text };
}

describe('synth: label projection', () => {
  it('tags printed spans IOB2 by text and position, leaving look-alikes elsewhere O', () => {
    const d = doc([
      ['Total:', 300, 100, 330, 110, 0], ['1.234,56', 340, 100, 380, 110, 0], ['€', 383, 100, 390, 110, 0],
      ['1.234,56', 50, 200, 90, 210, 1], // the same amount printed elsewhere, not recorded as a span
      ['IBAN', 50, 300, 70, 310, 2], ['DE89', 75, 300, 95, 310, 2],
    ]);
    const spans: PrintedSpan[] = [{ id: 0, label: 'MONEY', field: 'total', parts: [{ page: 1, text: '1.234,56 €', bbox: [340, 100, 390, 110] }] }];
    const { pages, coverage } = projectSpans(d, spans);
    assert.deepEqual(pages[0]!.tags, ['O', 'B-MONEY', 'I-MONEY', 'O', 'O', 'O']);
    assert.deepEqual(coverage, { parts: 1, present: 1, labelled: 1 });
  });

  it('keeps a multi-line address one entity, and restarts it after interleaved words', () => {
    const d = doc([
      ['Hauptstr.', 50, 100, 90, 110, 0], ['5', 93, 100, 98, 110, 0], ['Datum', 300, 100, 330, 110, 0],
      ['12345', 50, 112, 75, 122, 1], ['Berlin', 78, 112, 105, 122, 1],
    ]);
    const spans: PrintedSpan[] = [{ id: 3, label: 'ADDRESS', field: 'vendor.address', parts: [
      { page: 1, text: 'Hauptstr. 5', bbox: [50, 100, 98, 110] }, { page: 1, text: '12345 Berlin', bbox: [50, 112, 105, 122] }] }];
    assert.deepEqual(projectSpans(d, spans).pages[0]!.tags, ['B-ADDRESS', 'I-ADDRESS', 'O', 'B-ADDRESS', 'I-ADDRESS']);
    const d2 = doc([['Hauptstr.', 50, 100, 90, 110, 0], ['5', 93, 100, 98, 110, 0], ['12345', 50, 112, 75, 122, 1], ['Berlin', 78, 112, 105, 122, 1]]);
    assert.deepEqual(projectSpans(d2, spans).pages[0]!.tags, ['B-ADDRESS', 'I-ADDRESS', 'I-ADDRESS', 'I-ADDRESS']);
  });

  it('counts a part whose words do not match as present but not labelled', () => {
    const d = doc([['INV-2024-001', 50, 100, 110, 110, 0]]);
    const spans: PrintedSpan[] = [{ id: 0, label: 'INVOICE_NO', field: 'invoiceNumber', parts: [{ page: 1, text: 'INV-2024-001', bbox: [300, 300, 360, 310] }] }];
    const r = projectSpans(d, spans);
    assert.deepEqual(r.coverage, { parts: 1, present: 1, labelled: 0 });
    assert.equal(r.missed.length, 1);
  });

  it('accepts noisy OCR words in fuzzy mode', () => {
    const d = doc([['Tota1', 300, 100, 330, 110, 0], ['1,234.5b', 340, 100, 380, 110, 0]]);
    const spans: PrintedSpan[] = [{ id: 0, label: 'MONEY', field: 'total', parts: [{ page: 1, text: '1,234.56', bbox: [340, 100, 380, 110] }] }];
    assert.deepEqual(projectSpans(d, spans, { fuzzy: true }).pages[0]!.tags, ['O', 'B-MONEY']);
    assert.ok(similarity('1,234.56', '1,234.5b') > 0.8);
  });

  it('writes corpus lines with boxes normalised to 0-1000', () => {
    const d = doc([['Total', 300, 400, 330, 410, 0], ['9.99', 600, 790, 620, 805, 0]]);
    const [line] = corpusLines('synth-1', [{ page: d.pages[0]!, tags: ['O', 'B-MONEY'] }], { source: 'synth-pdf', lang: 'de-DE', layout: 'din-5008' });
    assert.deepEqual(line, {
      id: 'synth-1#p1', words: ['Total', '9.99'], boxes: [[500, 500, 550, 513], [1000, 988, 1000, 1000]], tags: ['O', 'B-MONEY'],
      source: 'synth-pdf', lang: 'de-DE', layout: 'din-5008',
    });
  });
});
