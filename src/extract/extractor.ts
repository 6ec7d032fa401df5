import type { Config } from '../config/config.js';
import type { DocumentText } from '../core/document-text.js';
import type { EntitySpan } from '../core/entity-span.js';
import { emptyRecord, InvoiceRecordSchema, type InvoiceRecord, type Provenance, type RecordWarning } from '../core/invoice-record.js';
import type { Candidate } from './candidates.js';
import { abs, add, approxEqual } from './decimal.js';
import { decide, prepare, type Decision } from './decide.js';
import { findCurrency } from './locale.js';
import { findLineItems, sumItems } from './line-items.js';
import { addDays } from './normalize-date.js';
import { withMemory, type MemoryDoc } from './memory.js';
import { completeRecord } from './record/complete-record.js';
import { parsePaymentTerms } from './record/payment-terms.js';
import type { FieldScorer, ScoredField } from './scorer/scorer.js';

export interface ExtractOptions {
  config: Pick<Config, 'extract'>;
  model: { name: string; version: string };
  /** The field scorer: the bundle's learned scorer, or the rule scorer (loadScorer picks). */
  scorer: FieldScorer;
  /** Reviewed documents (the store's learned version): the scorer recalls the tenant's most similar ones. */
  memory?: readonly MemoryDoc[];
  /** Whose document this is; memory of other tenants is never recalled. Default `default`. */
  tenant?: string;
}

function provenance(ctx: ReturnType<typeof prepare>['ctx'], c: Candidate): Provenance {
  // a value on several lines (an address block) reads as its value, not the text between its ends
  return { page: c.page, bbox: c.bbox, text: c.lines.length > 1 ? c.value : ctx.layout.text.slice(c.start, c.end) };
}

/**
 * Words + layout + entity spans -> InvoiceRecord, in four steps: candidates (every amount, date,
 * id, name, address block and tax id), features per candidate, a field scorer (learned, or the rule
 * table), and a joint assignment under the invoice's constraints. Each field's confidence is the
 * calibrated probability that it is right; `review` is confidence < the review threshold.
 */
export function extractInvoice(text: DocumentText, spans: EntitySpan[], options: ExtractOptions): InvoiceRecord {
  const threshold = options.config.extract.reviewThreshold ?? options.scorer.reviewThreshold ?? 0.95;
  const record = emptyRecord(text.source, options.model);
  const warnings: RecordWarning[] = [];
  const prep = prepare(text, options.scorer.usesNer && spans.length ? spans : null);
  const scorer = withMemory(options.scorer, prep, options.memory, options.tenant ?? 'default');
  const decisions = decide(prep, scorer);
  const set = (field: ScoredField, d: Decision | undefined) => {
    if (!d?.c) return;
    const value = d.c.kind === 'amount' ? abs(d.c.value) : d.c.value;
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail) (record as unknown as Record<string, Record<string, string>>)[head]![tail] = value;
    else (record as unknown as Record<string, string>)[head] = value;
    const confidence = Math.round(d.confidence * 1000) / 1000;
    const method = prep.ctx.spans?.some((s) => s.start < d.c!.end && s.end > d.c!.start) ? 'model' : 'rule';
    record.fields[field] = { confidence, review: confidence < threshold, method, provenance: provenance(prep.ctx, d.c) };
  };
  for (const [field, d] of decisions) set(field, d);

  // payment terms printed as a sentence ("Net 30", "zahlbar innerhalb 14 Tagen"): the terms, and
  // the due date they imply when none is printed
  for (const line of prep.ctx.layout.lines) {
    const terms = parsePaymentTerms(line.text);
    if (terms.netDays === null && terms.discounts.length === 0) continue;
    record.paymentTerms = { text: line.text.trim(), ...terms };
    if (!record.dueDate && record.invoiceDate && terms.netDays !== null && terms.netDays > 0) {
      record.dueDate = addDays(record.invoiceDate, terms.netDays);
      const confidence = Math.min(0.9, record.fields.invoiceDate?.confidence ?? 0.5);
      record.fields.dueDate = { confidence, review: confidence < threshold, method: 'derived', provenance: { page: line.page, bbox: line.bbox, text: line.text } };
    }
    break;
  }
  if (record.invoiceDate && record.dueDate && record.dueDate < record.invoiceDate) {
    warnings.push({ code: 'DUE_BEFORE_INVOICE_DATE', message: `due date ${record.dueDate} precedes invoice date ${record.invoiceDate}` });
  }
  const { items } = findLineItems(prep.ctx.layout, prep.ctx.mark);
  record.lineItems = items;
  const itemSum = sumItems(items);
  if (record.subtotal && record.tax && record.total && !approxEqual(add(record.subtotal, record.tax), record.total, '0.02')) {
    warnings.push({ code: 'TOTALS_MISMATCH', message: `subtotal ${record.subtotal} + tax ${record.tax} differs from total ${record.total}` });
  }
  if (record.subtotal && itemSum && items.length > 1 && !approxEqual(abs(itemSum), record.subtotal, '0.02')) {
    warnings.push({ code: 'LINE_ITEMS_MISMATCH', message: `line items add up to ${itemSum}, subtotal is ${record.subtotal}` });
  }

  // currency: the mark printed with the chosen amounts, else the document's, else its country's
  const near = (['total', 'subtotal', 'tax'] as const).map((f) => decisions.get(f)?.c).filter((c): c is Candidate => !!c);
  const currencies = near.map((c) => String(c.facts.currency ?? '')).filter(Boolean);
  const lang = prep.ctx.lang === 'en-my' ? 'en' : prep.ctx.lang;
  const currency = findCurrency(prep.ctx.layout, currencies, prep.ctx.country, lang);
  if (currency.code) {
    record.currency = currency.code;
    const anchor = near[0];
    record.fields.currency = {
      confidence: currency.score, review: currency.score < threshold, method: currency.assumed ? 'derived' : 'rule',
      provenance: anchor ? provenance(prep.ctx, anchor) : null,
    };
    if (currency.assumed) warnings.push({ code: 'CURRENCY_ASSUMED', message: `no currency printed; ${currency.code} assumed from the vendor's country or language` });
  }
  record.warnings = warnings;
  // version-2 fields (document type, sign convention, payment data...): src/extract/record
  return InvoiceRecordSchema.parse(completeRecord(text, record, { reviewThreshold: threshold }));
}
