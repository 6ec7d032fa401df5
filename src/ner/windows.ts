import { LedgerlensError } from '../core/errors.js';

/** A window over a word sequence: words [start, end), all of whose tokens it holds. */
export interface Window {
  start: number;
  end: number;
}

/**
 * Plans overlapping windows over words whose token counts are `counts` (each already at most
 * `capacity`, the window length less the special tokens). A window takes as many whole words as fit;
 * the next one starts as far back as keeps the overlap within `stride` tokens (the Hugging Face
 * meaning of stride: tokens shared by consecutive windows), but always at least one word further on.
 * Words are never split across windows.
 */
export function planWindows(counts: readonly number[], capacity: number, stride: number): Window[] {
  if (capacity < 1) throw new LedgerlensError('INVALID_INPUT', `window capacity ${capacity} leaves no room for tokens`);
  if (stride < 0 || stride >= capacity) {
    throw new LedgerlensError('INVALID_INPUT', `stride ${stride} must be at least 0 and less than the window's ${capacity} content tokens`);
  }
  const n = counts.length;
  const windows: Window[] = [];
  if (n === 0) return windows;
  let start = 0;
  for (;;) {
    let end = start;
    let total = 0;
    while (end < n && total + counts[end]! <= capacity) total += counts[end++]!;
    if (end === start) end = start + 1; // cannot happen when counts are capped; guards progress
    windows.push({ start, end });
    if (end >= n) return windows;
    let next = end;
    let overlap = 0;
    while (next - 1 > start && overlap + counts[next - 1]! <= stride) overlap += counts[--next]!;
    start = next;
  }
}

/**
 * Which window predicts each word. Rule: the window where the word is most central, i.e. with the
 * most tokens of context on its shorter side (min(tokens before, tokens after) within the window);
 * ties go to the earlier window. A word in only one window takes that window. This gives every word
 * exactly one prediction, made with context on both sides wherever the overlap allows; the Python
 * pipeline instead keeps whole entities from each window and resolves overlapping ones by length.
 */
export function assignWindows(counts: readonly number[], windows: readonly Window[]): Int32Array {
  const owner = new Int32Array(counts.length).fill(-1);
  const best = new Float64Array(counts.length).fill(-1);
  windows.forEach((w, k) => {
    let total = 0;
    for (let i = w.start; i < w.end; i++) total += counts[i]!;
    let before = 0;
    for (let i = w.start; i < w.end; i++) {
      const after = total - before - counts[i]!;
      const centrality = Math.min(before, after);
      if (centrality > best[i]!) { best[i] = centrality; owner[i] = k; }
      before += counts[i]!;
    }
  });
  return owner;
}
