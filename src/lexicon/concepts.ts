/**
 * The label concepts and word classes the lexicon knows, and the shape of one language's table.
 * Phrases are plain, lower-case strings written as printed ("n° de facture"); the matcher treats
 * punctuation inside a phrase as optional and folds case and accents (see match.ts).
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'en-my'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LABEL_CONCEPTS = [
  'title', 'invoiceNumber', 'otherNumber',
  'invoiceDate', 'genericDate', 'dueDate', 'otherDate',
  'subtotal', 'tax', 'total', 'notTotal',
  'vendor', 'customer', 'shipTo', 'nameField',
  'taxId', 'payment', 'contact', 'page',
] as const;
export type LabelConcept = (typeof LABEL_CONCEPTS)[number];

/** Not labels: words that mark a party name, an address or a country, used as features. */
/** untilWord: the preposition of a deadline ("payable by", "bis", "avant le"): a date after it in a terms sentence is due. */
export const WORD_CLASSES = ['legalForm', 'tradeWord', 'streetWord', 'salutation', 'country', 'untilWord'] as const;
export type WordClass = (typeof WORD_CLASSES)[number];

export interface LanguageLexicon {
  lang: Language;
  /** Concepts this language has; a listed concept must not be empty. */
  labels: Partial<Record<LabelConcept, readonly string[]>>;
  classes: Partial<Record<WordClass, readonly string[]>>;
}
