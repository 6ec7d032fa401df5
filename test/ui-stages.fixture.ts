import type { DocumentText } from '../src/core/document-text.js';
import type { InvoiceRecord } from '../src/core/invoice-record.js';
import type { Stages } from '../src/pipeline/stage-types.js';
import { createStages, testDocument } from './service-stages.fixture.js';

/**
 * The queue tests' stages, with an extract stage that gives its fields confidence, review flags and
 * provenance (word boxes), as the real extractor does: what the review page and corrections work on.
 * invoiceNumber is sure; invoiceDate and total are under review; the total read is wrong on purpose.
 */
export const REVIEW_DOC_LINES = ['Invoice INV-1001', 'Date 03.04.2024', 'Total 123.45 EUR'];
export const reviewDocument = (extra = '') => testDocument([...REVIEW_DOC_LINES, ...(extra ? [extra] : [])]);

function wordBox(text: DocumentText, word: string) {
  const page = text.pages[0]!;
  const index = page.words.findIndex((w) => w.text === word);
  const w = page.words[index];
  return w ? { index, provenance: { page: 1, bbox: w.bbox, text: w.text } } : null;
}

export function createReviewStages(): Stages {
  const base = createStages();
  return {
    ...base,
    async extract(text, spans, ctx) {
      const record: InvoiceRecord = await base.extract(text, spans, ctx);
      const number = wordBox(text, 'INV-1001');
      const date = wordBox(text, '03.04.2024');
      const total = wordBox(text, '123.45');
      record.invoiceDate = date ? '2024-04-03' : null;
      record.total = total ? '123.45' : record.total;
      record.subtotal = '100.00';
      record.tax = '19.00';
      record.fields = {
        ...(number ? { invoiceNumber: { confidence: 0.97, review: false, method: 'model', provenance: number.provenance } } : {}),
        ...(date ? { invoiceDate: { confidence: 0.55, review: true, method: 'model', provenance: date.provenance } } : {}),
        ...(total ? { total: { confidence: 0.42, review: true, method: 'model', provenance: total.provenance } } : {}),
        subtotal: { confidence: 0.9, review: false, method: 'model', provenance: null },
        tax: { confidence: 0.9, review: false, method: 'model', provenance: null },
      };
      return record;
    },
  };
}
