/**
 * Windows-1252 encoding, which DATEV's import reads (not UTF-8). Latin-1 except 0x80-0x9F, where
 * Windows-1252 puts € and the typographic quotes and dashes. A character it cannot encode becomes
 * "?", visibly, rather than being dropped.
 */
const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

export function toWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const high = HIGH.indexOf(ch);
    if (high >= 0 && !(code >= 0x80 && code <= 0x9f)) out[n++] = 0x80 + high;
    else if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out[n++] = code;
    else out[n++] = 0x3f;
  }
  return out.subarray(0, n);
}

export function fromWindows1252(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x80 && b <= 0x9f ? HIGH[b - 0x80]! : String.fromCharCode(b);
  return s;
}
