/**
 * The invoice vocabulary as data: one table per language (en.ts ... en-my.ts), compiled once into
 * phrase matchers shared by the extractor and the generator.
 */
import { LABEL_CONCEPTS, LANGUAGES, WORD_CLASSES, type LabelConcept, type Language, type LanguageLexicon, type WordClass } from './concepts.js';
import { PhraseMatcher, type PhraseEntry } from './match.js';
import de from './de.js';
import en from './en.js';
import enMy from './en-my.js';
import es from './es.js';
import fr from './fr.js';
import it from './it.js';
import nl from './nl.js';

export { LABEL_CONCEPTS, LANGUAGES, WORD_CLASSES, type LabelConcept, type Language, type LanguageLexicon, type WordClass };
export { PhraseMatcher, phraseTokens, type PhraseEntry, type PhraseHit } from './match.js';

export const LEXICONS: Readonly<Record<Language, LanguageLexicon>> = { en, de, fr, es, it, nl, 'en-my': enMy };

/** German and Dutch text often writes umlauts out ("Rechnungsempfaenger", "Strasse"): both spellings match. */
const TRANSLITERATED: Array<[RegExp, string]> = [[/ä/g, 'ae'], [/ö/g, 'oe'], [/ü/g, 'ue'], [/Ä/g, 'Ae'], [/Ö/g, 'Oe'], [/Ü/g, 'Ue']];

function entries(table: (lex: LanguageLexicon) => Partial<Record<string, readonly string[]>>, keys: readonly string[]): PhraseEntry[] {
  const out: PhraseEntry[] = [];
  for (const lang of LANGUAGES) {
    const t = table(LEXICONS[lang]);
    for (const key of keys) {
      for (const phrase of t[key] ?? []) {
        out.push({ key, lang, phrase });
        if ((lang === 'de' || lang === 'nl') && /[äöüÄÖÜ]/.test(phrase)) out.push({ key, lang, phrase: TRANSLITERATED.reduce((x, [re, to]) => x.replace(re, to), phrase) });
      }
    }
  }
  return out;
}

let labelMatcher: PhraseMatcher | undefined;
let classMatcher: PhraseMatcher | undefined;

/** All label phrases of all languages; hit keys are LabelConcepts. Compiled on first use. */
export function labels(): PhraseMatcher {
  return (labelMatcher ??= new PhraseMatcher(entries((l) => l.labels, LABEL_CONCEPTS)));
}

/** Word-class phrases of all languages; hit keys are WordClasses. Compiled on first use. */
export function wordClasses(): PhraseMatcher {
  return (classMatcher ??= new PhraseMatcher(entries((l) => l.classes, WORD_CLASSES)));
}

/** The phrases of one concept in one language, or of all languages without duplicates (lower case, as printed). */
export function phrasesOf(concept: LabelConcept, lang?: Language): string[] {
  if (lang) return [...(LEXICONS[lang].labels[concept] ?? [])];
  return [...new Set(LANGUAGES.flatMap((l) => LEXICONS[l].labels[concept] ?? []))];
}

/**
 * Label evidence per language: every label hit counts 1, split evenly among the languages that
 * list its phrase ("total" is shared, "Rechnungsbetrag" is German only), so the highest score is
 * the likely document language.
 */
export function languageScores(text: string): Record<Language, number> {
  const scores = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
  for (const hit of labels().find(text)) for (const l of hit.langs) scores[l as Language] += 1 / hit.langs.length;
  return scores;
}
