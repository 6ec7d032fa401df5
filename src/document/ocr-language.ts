/**
 * Which language a page is printed in, guessed from the words a first OCR pass (English) read,
 * for `ocr.languages: 'auto'`. Three general signals, per language:
 * - function words (articles, prepositions, conjunctions, pronouns: the most frequent words of any
 *   text in that language, and ASCII, so an English reading keeps most of them);
 * - letters with the diacritics that language's spelling uses (what an English reading gets wrong,
 *   and partly keeps: the English model reads some accented letters);
 * - invoice vocabulary: the lexicon's label phrases of that language (src/lexicon: "Rechnungsdatum",
 *   "Montant TTC"), as the lexicon's own languageScores counts them.
 * A word counts 1 to a signal, split evenly among the languages that share it ("de" is French,
 * Spanish and Dutch; "é" is French, Spanish, Italian and Dutch; "total" is a label of several), as
 * label evidence is split in the lexicon. The words here are general vocabulary, not any
 * document's strings. Two-letter words in capitals are left out of the function words: they are
 * mostly country and unit codes (DE, IT, NL).
 */
import { languageScores as labelScores, type Language } from '../lexicon/index.js';

/** Tesseract codes of the languages 'auto' chooses among, besides English (each shipped as @tesseract.js-data/<code>). */
export const AUTO_LANGUAGES = ['deu', 'fra', 'spa', 'ita', 'nld'] as const;
export type AutoLanguage = (typeof AUTO_LANGUAGES)[number];
type Scored = 'eng' | AutoLanguage;

/** Function words per language (lower case). */
const FUNCTION_WORDS: Readonly<Record<Scored, readonly string[]>> = {
  eng: ['the', 'and', 'of', 'to', 'for', 'with', 'on', 'at', 'by', 'from', 'this', 'that', 'is', 'are', 'be', 'or',
    'your', 'our', 'you', 'we', 'will', 'have', 'has', 'which', 'any', 'not', 'it', 'been', 'was', 'were', 'all', 'an'],
  deu: ['der', 'die', 'das', 'und', 'mit', 'von', 'zu', 'zum', 'zur', 'den', 'dem', 'des', 'ist', 'sind', 'ein', 'eine',
    'einer', 'einen', 'nicht', 'auf', 'bei', 'für', 'aus', 'wir', 'sie', 'ihr', 'ihre', 'ihnen', 'oder', 'auch', 'nach',
    'über', 'vom', 'im', 'bis', 'wird', 'werden', 'sowie', 'gemäß', 'unter', 'diese', 'dieser', 'ohne'],
  fra: ['le', 'la', 'les', 'et', 'du', 'des', 'de', 'au', 'aux', 'pour', 'par', 'sur', 'avec', 'une', 'un', 'est',
    'sont', 'vous', 'nous', 'votre', 'vos', 'notre', 'nos', 'ce', 'cette', 'ces', 'qui', 'que', 'en', 'à', 'dans',
    'pas', 'ou', 'sans', 'leur'],
  spa: ['el', 'la', 'los', 'las', 'de', 'del', 'y', 'en', 'por', 'para', 'con', 'un', 'una', 'es', 'su', 'sus', 'que',
    'al', 'se', 'lo', 'o', 'nos', 'sin', 'sobre', 'este', 'esta', 'está', 'son', 'le'],
  ita: ['il', 'lo', 'la', 'le', 'gli', 'di', 'del', 'della', 'dei', 'delle', 'degli', 'e', 'ed', 'per', 'con', 'un',
    'una', 'che', 'è', 'al', 'alla', 'ai', 'da', 'dal', 'dalla', 'si', 'non', 'sono', 'nel', 'nella', 'sul', 'sulla'],
  nld: ['de', 'het', 'een', 'en', 'van', 'voor', 'op', 'met', 'bij', 'te', 'is', 'zijn', 'aan', 'uw', 'ons', 'onze',
    'wij', 'u', 'niet', 'door', 'naar', 'dit', 'deze', 'die', 'om', 'als', 'tot', 'wordt', 'worden', 'ook'],
};

/** Letters with diacritics per language (lower case); English has none. */
const DIACRITICS: Readonly<Record<AutoLanguage, string>> = {
  deu: 'äöüß',
  fra: 'éèêëàâçîïôûùœ',
  spa: 'áéíóúñ¿¡',
  ita: 'àèéìòù',
  nld: 'ëïéè',
};

/**
 * When a page counts as printed in a language other than English: its best other language scores
 * at least `minScore` and at least `minRatio` times English. Chosen on the English readings of
 * generated invoices, seeds 1-6 of each of de-DE, fr-FR, es-ES, it-IT, nl-NL, en-GB and en-US
 * (42 pages): every page was guessed right for any minScore 1-6 with minRatio 1-4; this is the
 * middle of that range. bench/ocr-languages.bench.ts reports other seeds, real e-invoices and SROIE.
 */
export const DEFAULT_LANGUAGE_RULE = { minScore: 3, minRatio: 2 };
export type LanguageRule = typeof DEFAULT_LANGUAGE_RULE;

interface Tables { words: Map<string, Scored[]>; letters: Map<string, AutoLanguage[]> }
let tables: Tables | null = null;

function compiled(): Tables {
  if (tables) return tables;
  const words = new Map<string, Scored[]>();
  for (const [lang, list] of Object.entries(FUNCTION_WORDS) as [Scored, readonly string[]][]) {
    for (const w of list) words.set(w, [...(words.get(w) ?? []), lang]);
  }
  const letters = new Map<string, AutoLanguage[]>();
  for (const [lang, set] of Object.entries(DIACRITICS) as [AutoLanguage, string][]) {
    for (const c of set) letters.set(c, [...(letters.get(c) ?? []), lang]);
  }
  tables = { words, letters };
  return tables;
}

/** The lexicon's languages as tesseract codes (receipt English is English). */
const LEXICON_LANGUAGE: Readonly<Record<Language, Scored>> = { en: 'eng', 'en-my': 'eng', de: 'deu', fr: 'fra', es: 'spa', it: 'ita', nl: 'nld' };

/** Which signals languageScores counts (the benchmark weighs them apart). */
export interface LanguageSignals { functionWords: boolean; diacritics: boolean; labels: boolean }
const ALL_SIGNALS: LanguageSignals = { functionWords: true, diacritics: true, labels: true };

/** Language evidence of a page's words (in reading order): the sum of the signals' counts. */
export function languageScores(words: readonly string[], signals: LanguageSignals = ALL_SIGNALS): Record<Scored, number> {
  const t = compiled();
  const scores: Record<Scored, number> = { eng: 0, deu: 0, fra: 0, spa: 0, ita: 0, nld: 0 };
  if (signals.labels) {
    for (const [lang, n] of Object.entries(labelScores(words.join(' '))) as [Language, number][]) scores[LEXICON_LANGUAGE[lang]] += n;
  }
  for (const raw of words) {
    const word = raw.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (!word) continue;
    const langs = signals.functionWords && !(word.length <= 2 && raw === raw.toUpperCase()) ? t.words.get(word) : undefined;
    if (langs) for (const l of langs) scores[l] += 1 / langs.length;
    if (!signals.diacritics) continue;
    // one count per word for its diacritics, split among the languages that use them
    const seen = new Set<AutoLanguage>();
    for (const c of word) for (const l of t.letters.get(c) ?? []) seen.add(l);
    for (const l of seen) scores[l] += 1 / seen.size;
  }
  return scores;
}

/** The page's language: a language of AUTO_LANGUAGES when the rule is met, else 'eng'. */
export function guessLanguage(words: readonly string[], rule: LanguageRule = DEFAULT_LANGUAGE_RULE, signals: LanguageSignals = ALL_SIGNALS): Scored {
  const scores = languageScores(words, signals);
  let best: AutoLanguage | null = null;
  for (const l of AUTO_LANGUAGES) if (best === null || scores[l] > scores[best]) best = l;
  if (best === null || scores[best] < rule.minScore || scores[best] < rule.minRatio * scores.eng) return 'eng';
  return best;
}
