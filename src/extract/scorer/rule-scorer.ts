import type { Sparse } from './gbdt.js';
import { DEFAULT_JOINT, type FieldScorer, type JointParams, type ScoredField } from './scorer.js';

/**
 * The rule scorer: the fallback when no scorer.json is installed. Each field's score is a logistic
 * function of a hand-set weighted sum of the same features the learned scorer reads; the table is
 * the old rules' evidence (a field's own label beside or above the value, the layout region where
 * the field is printed, arithmetic, legal-form words) written as weights. A feature not listed
 * weighs nothing. Confidence is the joint assignment's marginal, uncalibrated: without a bundle
 * every field's review flag is conservative (see RULE_REVIEW_THRESHOLD).
 */
const OWN = (concept: string, w = 3): Record<string, number> => ({ [`sc:${concept}`]: w, [`lc:${concept}`]: w * 0.9, [`ab:${concept}`]: w * 0.7 });
const BLOCK = (concept: string, w = 3): Record<string, number> => ({ [`bh:${concept}`]: w, [`sc:${concept}`]: w * 0.6 });

export const RULE_WEIGHTS: Record<ScoredField, { bias: number; w: Record<string, number> }> = {
  'vendor.name': { bias: -3, w: { ...BLOCK('vendor'), 'bh:customer': -4, 'bh:shipTo': -4, 'nm:legal': 1.5, 'nm:trade': 0.5, 'nm:lineOnPage': -0.08, 'pos:y': -2, 'nm:occurs': 0.3, 'nm:salutation': -2, 'nm:afterLabel': 0.5, 'pos:page': -1, 'nm:belowStreet': 0.8, 'nm:digits': -0.2 } },
  'customer.name': { bias: -4, w: { ...BLOCK('customer', 4), 'bh:vendor': -3, 'nm:legal': 0.8, 'nm:salutation': -1, 'nm:afterLabel': 0.5, 'nm:belowStreet': 0.8, 'pos:page': -1, 'nm:digits': -0.2 } },
  'vendor.address': { bias: -3, w: { 'own:bh:vendor': 2, 'own:bh:customer': -3, 'ad:ownerLegal': 1, 'ad:lastPostcodeCity': 1.5, 'ad:street': 0.8, 'pos:y': -1.5, 'ad:senderLine': 0.5, 'ad:labels': -1 } },
  'customer.address': { bias: -3.5, w: { 'own:bh:customer': 3, 'own:bh:vendor': -2, 'ad:lastPostcodeCity': 1.5, 'ad:street': 0.8, 'ad:labels': -1, 'ad:senderLine': -1 } },
  'vendor.taxId': { bias: -1, w: { ...OWN('taxId', 1.5), 'tx:vat': 1, 'bh:customer': -2, 'pos:y': 0.5 } },
  invoiceNumber: { bias: -4, w: { ...OWN('invoiceNumber', 5), ...OWN('otherNumber', -3), 'id:afterTitle': 3, 'id:phoneLine': -2, 'id:year': -2, 'id:postcode': -3, 'id:longDigits': -1, 'pos:y': -1, 'id:amountOnLine': -1, 'sc:taxId': -4, 'sc:payment': -4 } },
  invoiceDate: { bias: -2.5, w: { ...OWN('invoiceDate', 4), ...OWN('genericDate', 2.5), ...OWN('dueDate', -3), ...OWN('otherDate', -2.5), 'date:rank': -0.3, 'pos:y': -1 } },
  dueDate: { bias: -5, w: { ...OWN('dueDate', 6), ...OWN('invoiceDate', -2), 'date:afterUntil': 3, 'date:discountClause': -3, 'date:rankFromEnd': -0.2 } },
  subtotal: { bias: -4, w: { ...OWN('subtotal', 5), ...OWN('total', -1), ...OWN('notTotal', -3), 'arith:sub': 1.5, 'hd:notTotal': -1, 'pos:y': 0.8 } },
  tax: { bias: -4, w: { ...OWN('tax', 5), ...OWN('notTotal', -3), 'arith:tax': 1.5, 'amt:percentOnLine': -0.3, 'pos:y': 0.8 } },
  total: { bias: -4, w: { ...OWN('total', 5), ...OWN('subtotal', -2), ...OWN('tax', -2), ...OWN('notTotal', -3), 'arith:total': 1.5, 'amt:rank': -0.2, 'pos:y': 1 } },
};

/** Marginals of the rule scorer are not calibrated: review everything under this. */
export const RULE_REVIEW_THRESHOLD = 0.95;

export class RuleScorer implements FieldScorer {
  readonly name = 'rules';
  readonly joint: JointParams = DEFAULT_JOINT;
  readonly reviewThreshold = RULE_REVIEW_THRESHOLD;
  readonly usesNer = false;
  probability(field: ScoredField, row: Sparse): number {
    const { bias, w } = RULE_WEIGHTS[field];
    let z = bias;
    for (const k in w) { const v = row[k]; if (v) z += w[k]! * v; }
    return 1 / (1 + Math.exp(-z));
  }
  /** The best candidate is taken unless its score is very low. */
  noneLogit(): number { return -2; }
  calibrate(_field: ScoredField, marginal: number): number { return marginal; }
}
