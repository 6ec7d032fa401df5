import { editDistance } from '../core/edit-distance.js';

/** True when every character of `short` appears in `long` in order (an abbreviation: langs -> languages). */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/**
 * The known name a mistyped one most likely meant, for "did you mean" hints: the closest by edit
 * distance (case-insensitive) within a third of its length (at least 2 edits), or one it abbreviates
 * (same first letter, its letters in order). Null when nothing is close.
 */
export function suggestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance = editDistance(lower, c);
    const close = distance <= Math.max(2, Math.floor(c.length / 3));
    const abbreviation = lower.length >= 3 && lower[0] === c[0] && isSubsequence(lower, c);
    if ((close || abbreviation) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? null;
}
