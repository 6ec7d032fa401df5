/**
 * The standard PDF fonts (Helvetica, Times, Courier) encode WinAnsi only. Generated text is passed
 * through winAnsi() before it is both printed and recorded, so the ground truth is what the page shows.
 */
const EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const ALLOWED = new Set<number>();
for (let c = 0x20; c <= 0x7e; c++) ALLOWED.add(c);
for (let c = 0xa1; c <= 0xff; c++) if (c !== 0xad) ALLOWED.add(c);
for (const ch of EXTRA) ALLOWED.add(ch.codePointAt(0)!);

export function isWinAnsi(text: string): boolean {
  for (const ch of text) if (!ALLOWED.has(ch.codePointAt(0)!)) return false;
  return true;
}

/** Replaces what WinAnsi cannot encode: accents are stripped to the base letter, the rest dropped. */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ')) {
    if (ALLOWED.has(ch.codePointAt(0)!)) { out += ch; continue; }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (base.length > 0 && [...base].every((c) => ALLOWED.has(c.codePointAt(0)!))) out += base;
    else if (ch === 'ł') out += 'l';
    else if (ch === 'Ł') out += 'L';
  }
  return out;
}
