/**
 * Entity types of the invoice token classifier, tagged IOB2 (B-X, I-X, O). The synthetic generator
 * and the corpus converters emit these; the extractor reads them. A bundle's own labels come from
 * its config.json: these names are what the default invoice model is trained with.
 *  ORG        organisation names (vendor, customer, shop)
 *  PERSON     people named as parties
 *  ADDRESS    postal addresses (street, city, postcode, country)
 *  DATE       any calendar date (invoice, due, delivery, order)
 *  MONEY      monetary amounts (unit prices, line amounts, subtotal, tax, total)
 *  INVOICE_NO the document's own number (invoice, receipt, credit-note number)
 *  TAX_ID     VAT / GST / tax registration ids
 */
export const ENTITY_TYPES = ['ORG', 'PERSON', 'ADDRESS', 'DATE', 'MONEY', 'INVOICE_NO', 'TAX_ID'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** IOB2 label list in a fixed order: O first, then B-/I- per type. */
export const IOB2_LABELS: readonly string[] = ['O', ...ENTITY_TYPES.flatMap((t) => [`B-${t}`, `I-${t}`])];
