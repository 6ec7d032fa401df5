import type { PaymentTerms } from '../../core/invoice-record.js';
import { lineHits } from './labelled.js';
import { parsePaymentTerms } from './payment-terms.js';
import type { PageLines } from './page-lines.js';

/**
 * The payment-terms sentence: the first line whose words state net days or an early-payment
 * discount (parsePaymentTerms), or the line after a payment label that fills its own line
 * ("Zahlungsbedingungen:" over the sentence). A leading payment label is not part of the text.
 */

export interface TermsFound { terms: PaymentTerms; confidence: number; start: number; end: number }

export function findPaymentTerms(view: PageLines): TermsFound | null {
  const hits = lineHits(view);
  for (const line of view.lines) {
    const parsed = parsePaymentTerms(line.text);
    if (parsed.netDays === null && parsed.discounts.length === 0) continue;
    const lead = hits[line.index]!.find((h) => h.key === 'payment' && h.start === 0);
    const offset = lead ? lead.end + (/^[\s:.\-–]*/.exec(line.text.slice(lead.end))![0].length) : 0;
    const text = line.text.slice(offset).trim();
    if (!text) continue;
    return { terms: { text, netDays: parsed.netDays, discounts: parsed.discounts }, confidence: lead ? 0.85 : 0.75, start: line.start + offset, end: line.end };
  }
  return null;
}
