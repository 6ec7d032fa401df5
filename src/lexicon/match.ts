/**
 * Phrase matcher over plain label phrases, compiled once into a token trie.
 *
 * Contract of `find`:
 * - Text and phrases are folded per character (lower case, accents stripped, ß→ss, œ→oe, æ→ae,
 *   ligatures split), so offsets always index the ORIGINAL text.
 * - A token is a run of letters/digits, or a lone '#' (it means "number" in "Invoice #").
 *   Everything else in a phrase is optional punctuation: "rechnungs-nr." is the tokens [rechnungs, nr].
 *   º, ª and ° count as punctuation, so "Nº", "N°" and "N" are the same token "n".
 * - Between two tokens of a match the text may hold at most MAX_GAP_PUNCT punctuation characters
 *   and MAX_GAP_SPACES spaces (a tab counts as a wide gap), and no line break: a wider gap is a
 *   column or line boundary, and labels never span one.
 * - Matches start and end on token boundaries ("total" never inside "subtotal"), except the
 *   compound rule: a single-token de/nl phrase of at least COMPOUND_MIN letters also matches as the
 *   final part of a longer word ("Endrechnungsbetrag" contains "rechnungsbetrag").
 * - Scanning left to right, the longest match at a start wins, hits never overlap, and a phrase
 *   shared by several keys yields one hit per key (its `langs` lists every language that has it).
 */
export interface PhraseEntry { key: string; lang: string; phrase: string }
export interface PhraseHit {
  key: string; lang: string; phrase: string; start: number; end: number;
  /** Every language that lists this phrase under `key` (`lang` is the first of them). */
  langs: readonly string[];
}

export const MAX_GAP_PUNCT = 3;
export const MAX_GAP_SPACES = 4;
export const COMPOUND_MIN = 6;
const COMPOUND_LANGS = new Set(['de', 'nl']);

// ---- per-character folding -------------------------------------------------------------

const enum Kind { Word, Hash, Space, Break, Punct, Mark }
interface Folded { kind: Kind; text: string; width: number }

const SPECIAL: Record<string, string> = { ß: 'ss', œ: 'oe', æ: 'ae', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const ORDINALS = new Set(['º', 'ª', '°']);
const WORD_RE = /^[\p{L}\p{N}]+$/u;
const cache = new Map<string, Folded>();
/** ASCII fast path: most invoice text never reaches the Map. */
const ASCII: Folded[] = Array.from({ length: 128 }, (_, c) => classify(String.fromCharCode(c)));

function classify(ch: string): Folded {
  if (ch === '#') return { kind: Kind.Hash, text: '#', width: 0 };
  if (ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u2028' || ch === '\u2029') return { kind: Kind.Break, text: '', width: 0 };
  if (ch === '\t') return { kind: Kind.Space, text: '', width: MAX_GAP_SPACES + 1 };
  if (/^\s$/u.test(ch)) return { kind: Kind.Space, text: '', width: 1 };
  if (/^\p{M}$/u.test(ch)) return { kind: Kind.Mark, text: '', width: 0 };
  if (ORDINALS.has(ch)) return { kind: Kind.Punct, text: '', width: 0 };
  const lower = ch.toLowerCase();
  const text = (SPECIAL[lower] ?? lower).normalize('NFKD').replace(/\p{M}/gu, '');
  return WORD_RE.test(text) ? { kind: Kind.Word, text, width: 0 } : { kind: Kind.Punct, text: '', width: 0 };
}

function fold(ch: string): Folded {
  let f = ch.length === 1 ? ASCII[ch.charCodeAt(0)] : undefined;
  if (f) return f;
  f = cache.get(ch);
  if (!f) { f = classify(ch); cache.set(ch, f); }
  return f;
}

// ---- tokenizer ---------------------------------------------------------------------------

interface Token {
  norm: string; start: number; end: number;
  /** Original index of each code unit of `norm`. */
  map: number[];
  /** Whether the gap before this token allows a phrase to continue into it. */
  joinPrev: boolean;
  /** Whether the gap before this token is one hyphen and nothing else ("Beleg-Datum"). */
  hyphenPrev: boolean;
}

/** A hyphenated compound is read closed from this many letters on ("E-Mail" as "email", never "A-G" as "ag"). */
const HYPHEN_COMPOUND_MIN = 5;
const HYPHENS = new Set(['-', '\u2010', '\u2011']);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let cur: Token | undefined;
  let spaces = 0, puncts = 0, broken = false, hyphen = false;
  const open = (i: number): Token => {
    const joinPrev = out.length > 0 && !broken && puncts <= MAX_GAP_PUNCT && spaces <= MAX_GAP_SPACES;
    const t: Token = { norm: '', start: i, end: i, map: [], joinPrev, hyphenPrev: joinPrev && hyphen && puncts === 1 && spaces === 0 };
    out.push(t); spaces = 0; puncts = 0; broken = false; hyphen = false;
    return t;
  };
  for (let i = 0; i < text.length;) {
    const cu = text.charCodeAt(i);
    const len = cu >= 0xd800 && cu <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const f = cu < 128 ? ASCII[cu]! : fold(text.slice(i, i + len));
    if (f.kind === Kind.Word || (f.kind === Kind.Mark && cur)) {
      cur ??= open(i);
      for (let k = 0; k < f.text.length; k++) cur.map.push(i);
      cur.norm += f.text; cur.end = i + len;
    } else if (f.kind === Kind.Hash) {
      cur = undefined;
      const t = open(i); t.norm = '#'; t.map.push(i); t.end = i + 1;
    } else {
      cur = undefined;
      if (f.kind === Kind.Space) spaces += f.width;
      else if (f.kind === Kind.Break) broken = true;
      else if (f.kind === Kind.Punct) { puncts++; hyphen = HYPHENS.has(text[i]!); }
    }
    i += len;
  }
  return out;
}

/** The folded tokens of a phrase: two phrases with equal tokens are the same label. */
export function phraseTokens(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.norm);
}

// ---- matcher -----------------------------------------------------------------------------

type Terminal = Omit<PhraseHit, 'start' | 'end'> & { langs: string[] };
interface Node { next: Map<string, Node>; hits?: Terminal[] }
const node = (): Node => ({ next: new Map() });

function addTerminal(n: Node, e: PhraseEntry): void {
  n.hits ??= [];
  const same = n.hits.find((h) => h.key === e.key);
  if (!same) n.hits.push({ key: e.key, lang: e.lang, phrase: e.phrase, langs: [e.lang] });
  else if (!same.langs.includes(e.lang)) same.langs.push(e.lang);
}

export class PhraseMatcher {
  /** Trie over whole tokens. */
  private readonly root = node();
  /** Trie over the reversed characters of de/nl single-token phrases, for the compound rule. */
  private readonly suffixes = node();
  readonly size: number;

  constructor(entries: readonly PhraseEntry[]) {
    for (const e of entries) {
      const toks = phraseTokens(e.phrase);
      if (toks.length === 0) throw new Error(`lexicon phrase without letters: ${JSON.stringify(e.phrase)} (${e.lang}/${e.key})`);
      let n = this.root;
      for (const t of toks) { let nx = n.next.get(t); if (!nx) n.next.set(t, nx = node()); n = nx; }
      addTerminal(n, e);
      const [only] = toks;
      if (toks.length === 1 && only && only.length >= COMPOUND_MIN && COMPOUND_LANGS.has(e.lang)) {
        let s = this.suffixes;
        for (let k = only.length - 1; k >= 0; k--) { const c = only[k]!; let nx = s.next.get(c); if (!nx) s.next.set(c, nx = node()); s = nx; }
        addTerminal(s, e);
      }
    }
    this.size = entries.length;
  }

  find(text: string): PhraseHit[] {
    const toks = tokenize(text);
    const out: PhraseHit[] = [];
    const emit = (hits: Terminal[], start: number, end: number) => { for (const h of hits) out.push({ key: h.key, lang: h.lang, phrase: h.phrase, start, end, langs: h.langs }); };
    for (let i = 0; i < toks.length;) {
      const m = this.walk(toks, i, this.root, i);
      if (m) { emit(m.hits, toks[i]!.start, toks[m.end]!.end); i = m.end + 1; continue; }
      const c = this.compound(toks[i]!);
      if (c) emit(c.hits, c.start, toks[i]!.end);
      i++;
    }
    return out;
  }

  /**
   * The longest phrase from token `j` on (the trie at `n`), reading each token as it is or, where
   * two tokens are joined by one hyphen, as their concatenation: compounds are also written with a
   * hyphen ("Beleg-Datum", "Rechnungs-Betrag", "Sub-Total"), and a phrase is listed closed
   * ("belegdatum"). Of equally long matches the one read token by token wins.
   */
  private walk(toks: Token[], j: number, n: Node, from: number): { hits: Terminal[]; end: number } | undefined {
    const t = toks[j];
    if (!t || (j > from && !t.joinPrev)) return undefined;
    let best: { hits: Terminal[]; end: number } | undefined;
    const one = n.next.get(t.norm);
    if (one) {
      if (one.hits) best = { hits: one.hits, end: j };
      const more = this.walk(toks, j + 1, one, from);
      if (more && (!best || more.end > best.end)) best = more;
    }
    const next = toks[j + 1];
    if (next?.hyphenPrev) {
      // (a short pair, "A-G", is initials or a range, not a compound)
      const two = t.norm.length + next.norm.length >= HYPHEN_COMPOUND_MIN ? n.next.get(t.norm + next.norm) : undefined;
      if (two) {
        if (two.hits && (!best || j + 1 > best.end)) best = { hits: two.hits, end: j + 1 };
        const more = this.walk(toks, j + 2, two, from);
        if (more && (!best || more.end > best.end)) best = more;
      }
    }
    return best;
  }

  /** Longest proper suffix of one token that is a de/nl phrase, starting on a whole original character. */
  private compound(t: Token): { hits: Terminal[]; start: number } | undefined {
    if (t.norm.length <= COMPOUND_MIN) return undefined;
    let s: Node | undefined = this.suffixes, best: { hits: Terminal[]; start: number } | undefined;
    for (let k = t.norm.length - 1; k >= 1; k--) {
      s = s.next.get(t.norm[k]!);
      if (!s) break;
      if (s.hits && t.map[k] !== t.map[k - 1]) best = { hits: s.hits, start: t.map[k]! };
    }
    return best;
  }
}
