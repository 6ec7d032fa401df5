import { labels, PhraseMatcher, phraseTokens, type PhraseHit } from '../../lexicon/index.js';
import { ADDRESSEE_WORDS, type Role } from './field-lexicon.js';
import { lineHeight, type PageCell, type PageLine, type PageLines } from './page-lines.js';

/**
 * Labels and the values they introduce. A label is a lexicon hit (src/lexicon) whose phrase
 * belongs to a role (field-lexicon.ts); its value is, in this order: the rest of the label's cell
 * ("Bestellnummer: 4711"), the next cell of the line ("IBAN    DE89 3704 ..."), or the cell
 * right below the label ("Order no." over "PO-1234"), the first that the field accepts.
 */

export interface LabelHit {
  line: PageLine;
  cell: PageCell;
  /** Offsets into the document text. */
  start: number;
  end: number;
  key: string;
  phrase: string;
}

const hitsCache = new WeakMap<PageLines, PhraseHit[][]>();

/** Every lexicon label hit of each line, offsets into the line's text (computed once per view). */
export function lineHits(view: PageLines): PhraseHit[][] {
  let hits = hitsCache.get(view);
  if (!hits) { hits = view.lines.map((l) => labels().find(l.text)); hitsCache.set(view, hits); }
  return hits;
}

const roleKeys = new WeakMap<Role, Set<string>>();
function keysOf(role: Role): Set<string> {
  let keys = roleKeys.get(role);
  if (!keys) { keys = new Set(role.phrases.map((p) => phraseTokens(p).join(' '))); roleKeys.set(role, keys); }
  return keys;
}

/** Whether a lexicon hit is one of the role's phrases. */
export function inRole(hit: Pick<PhraseHit, 'key' | 'phrase'>, role: Role): boolean {
  return hit.key === role.concept && keysOf(role).has(phraseTokens(hit.phrase).join(' '));
}

const recordOnlyMatchers = new WeakMap<Role, PhraseMatcher>();
/** A role's record-only phrases (Role.recordOnly), folded and matched like the lexicon's, no compounds. */
function recordOnlyMatcher(role: Role): PhraseMatcher {
  let m = recordOnlyMatchers.get(role);
  if (!m) { m = new PhraseMatcher((role.recordOnly ?? []).map((phrase) => ({ key: role.concept, lang: 'record', phrase }))); recordOnlyMatchers.set(role, m); }
  return m;
}

/** The role's labels, in reading order. */
export function roleHits(view: PageLines, role: Role): LabelHit[] {
  const out: LabelHit[] = [];
  lineHits(view).forEach((lexiconHits, i) => {
    const line = view.lines[i]!;
    const extra = role.recordOnly?.length ? recordOnlyMatcher(role).find(line.text) : [];
    const hits = [...lexiconHits.filter((h) => inRole(h, role)), ...extra].sort((a, b) => a.start - b.start);
    for (const h of hits) {
      const start = line.start + h.start; const end = line.start + h.end;
      const cell = line.cells.find((c) => c.start <= start && c.end >= start) ?? line.cells[0]!;
      out.push({ line, cell, start, end, key: h.key, phrase: h.phrase });
    }
  });
  return out;
}

export interface FoundValue { value: string; start: number; end: number; line: PageLine }

/** A field's test of a candidate text: the value and where it starts within the text, or null. */
export type Accept = (text: string) => { value: string; offset: number; length: number } | null;

function tryAt(text: string, base: number, line: PageLine, accept: Accept): FoundValue | null {
  const a = accept(text);
  return a ? { value: a.value, start: base + a.offset, end: base + a.offset + a.length, line } : null;
}

/** The value a label introduces (see the module comment), or null. */
export function valueAfter(view: PageLines, hit: LabelHit, accept: Accept): FoundValue | null {
  const { line, cell } = hit;
  const restStart = hit.end - cell.start;
  const rest = cell.text.slice(restStart);
  // "°"/"º": the lexicon matches "n°" as "n", so the numero sign's ring is left over
  const lead = /^[\s:.#\-–=)°º]*/.exec(rest)![0].length;
  const same = rest.slice(lead).trim() ? tryAt(rest.slice(lead), hit.end + lead, line, accept) : null;
  if (same) return same;
  // a label that fills its cell: the next cell, else the cell below
  if (rest.slice(lead).trim()) return null;
  const next = line.cells[line.cells.indexOf(cell) + 1];
  if (next) {
    const v = tryAt(next.text, next.start, line, accept);
    if (v) return v;
  }
  const below = view.lines[line.index + 1];
  if (below && below.page === line.page && below.bbox[1] - line.bbox[3] < 1.5 * lineHeight(line)) {
    const c = below.cells.find((x) => x.bbox[0] < cell.bbox[2] && x.bbox[2] > cell.bbox[0]);
    if (c) return tryAt(c.text, c.start, below, accept);
  }
  return null;
}

const FILLER = /^(?:nr|no|n°|nº|n|num|number|nummer|numéro|numero|núm|#|:|-)\.?:?$/i;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;

/** An identifier: the first token after filler words ("Nr.", "#") that holds a digit; never a date. */
export const idValue: Accept = (text) => {
  const re = /\S+/g;
  for (let m = re.exec(text), n = 0; m && n < 3; m = re.exec(text), n++) {
    const token = m[0].replace(/[.,;:)]+$/, '');
    if (!token || FILLER.test(token)) continue;
    if (!/\d/.test(token) || token.length < 2 || DATE_LIKE.test(token) || !/^[\p{L}\d][\p{L}\d\-/._]*$/u.test(token)) return null;
    return { value: token, offset: m.index, length: token.length };
  }
  return null;
};

/** A second-person possessive ("Ihre", "your", "votre"): what follows is the reader's own. */
export const ADDRESSEE_RE = new RegExp(`(?<![\\p{L}])(?:${ADDRESSEE_WORDS.map((w) => w.replace(/\./g, '\\.')).join('|')})(?![\\p{L}])`, 'iu');
