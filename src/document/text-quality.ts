/**
 * Whether a PDF page's text layer is worth using, or the page should be rendered and OCR'd.
 *
 * Rule: a page with no words has no text layer. Otherwise the layer is garbage when
 * - more than 10% of its non-space characters are U+FFFD, private-use (a font without a usable
 *   ToUnicode map) or control characters, or
 * - fewer than half of its words are "valid" (contain a letter or digit and are not mostly
 *   symbols), which catches glyph soup such as `!"#$%&'` from broken font encodings.
 */
export type TextLayerVerdict = 'usable' | 'empty' | 'garbage';

const BAD_CHAR = /[\uFFFD\uE000-\uF8FF\u0000-\u0008\u000E-\u001F\u007F-\u009F]|[\u{F0000}-\u{10FFFF}]/u;
const ALNUM = /[\p{L}\p{N}]/u;

export const MAX_BAD_CHAR_RATIO = 0.1;
export const MIN_VALID_WORD_RATIO = 0.5;

function isValidWord(word: string): boolean {
  const chars = [...word];
  const alnum = chars.filter((c) => ALNUM.test(c)).length;
  if (alnum === 0) return chars.length <= 2 && /^[\p{P}\p{S}]+$/u.test(word); // "-", "€", "%": fine, not counted as garbage
  return alnum / chars.length >= 0.5 && !chars.some((c) => BAD_CHAR.test(c));
}

export function judgeTextLayer(words: readonly string[]): TextLayerVerdict {
  if (words.length === 0) return 'empty';
  let chars = 0;
  let bad = 0;
  for (const w of words) {
    for (const c of w) {
      chars++;
      if (BAD_CHAR.test(c)) bad++;
    }
  }
  if (chars === 0) return 'empty';
  if (bad / chars > MAX_BAD_CHAR_RATIO) return 'garbage';
  const valid = words.filter(isValidWord).length;
  return valid / words.length >= MIN_VALID_WORD_RATIO ? 'usable' : 'garbage';
}
