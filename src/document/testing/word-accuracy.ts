import { editDistance } from '../../core/edit-distance.js';

/**
 * Word accuracy of recognised text against the known text: 1 - WER, where WER is the word-level
 * Levenshtein distance (substitutions + insertions + deletions) divided by the number of known
 * words. Words are compared exactly (case and punctuation count). Floored at 0.
 */
export function wordAccuracy(expected: readonly string[], actual: readonly string[]): number {
  if (expected.length === 0) return actual.length === 0 ? 1 : 0;
  return Math.max(0, 1 - editDistance(expected, actual) / expected.length);
}

/** Splits text into words on whitespace. */
export function words(text: string): string[] {
  return text.split(/\s+/u).filter(Boolean);
}

/**
 * Order-free word accuracy: words found in both (multiset intersection) over the larger of the
 * two counts, so that both missed and spurious words cost. Used where the recogniser may read
 * table columns in another order than the known text lists them.
 */
export function bagAccuracy(expected: readonly string[], actual: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const w of expected) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of actual) {
    const n = counts.get(w) ?? 0;
    if (n > 0) { common++; counts.set(w, n - 1); }
  }
  const denominator = Math.max(expected.length, actual.length);
  return denominator === 0 ? 1 : common / denominator;
}

/** Word recall: the known words found among the recognised ones (multiset intersection) over the known count. */
export function wordRecall(expected: readonly string[], actual: readonly string[]): number {
  if (expected.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const w of actual) counts.set(w, (counts.get(w) ?? 0) + 1);
  let found = 0;
  for (const w of expected) {
    const n = counts.get(w) ?? 0;
    if (n > 0) { found++; counts.set(w, n - 1); }
  }
  return found / expected.length;
}

/**
 * Whether a value is printed verbatim in a text: a substring once runs of whitespace (line ends
 * included) are one space on both sides. Case and punctuation count.
 */
export function foundVerbatim(value: string, text: string): boolean {
  const squash = (s: string) => s.replace(/\s+/gu, ' ').trim();
  const v = squash(value);
  return v.length > 0 && squash(text).includes(v);
}
