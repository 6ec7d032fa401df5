import { DOCUMENT_TYPES, type DocumentType, type Provenance } from '../../core/invoice-record.js';
import { lineHeight, provenance, type PageCell, type PageLine, type PageLines } from './page-lines.js';
import { CASH_WORDS, CREDIT_NUMBER_PREFIXES, CREDIT_QUALIFIERS, NUMBER_ABBREVIATIONS, SELF_BILLING, TITLE_WORDS } from './title-lexicon.js';

/**
 * The document type from the page: its title (a cell that starts with a title word: "CREDIT
 * NOTE", "Gutschrift Nr. 12", "Facture d'avoir"), weighed by type size and position on the first
 * page; else the structure of a till receipt (a narrow roll page, cash and change lines); else a
 * credit-note numbering scheme; else an invoice (derived, low confidence). A self-billing mention
 * on the title line makes a credit-titled document an invoice. A minus sign is not evidence.
 */

export interface DocumentTypeFinding { value: DocumentType; confidence: number; method: 'rule' | 'derived'; provenance: Provenance | null }

const norm = (s: string) => s.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A one-word title that starts a compound, or ends one after 3 letters or more. */
function compoundOf(words: string[]): RegExp {
  const alt = words.join('|') || '(?!)';
  return new RegExp(`^(?:(?:${alt})\\p{L}|\\p{L}{3,}(?:${alt})(?!\\p{L}))`, 'u');
}

/** One pattern per type: the cell starts with a title word, followed by a non-letter or the end. */
const TITLES = DOCUMENT_TYPES.map((type) => ({
  type,
  re: new RegExp(`^(?:${[...TITLE_WORDS[type]].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}])`, 'u'),
  // German and Dutch compounds of a one-word title name the same document: "Gutschriftbeleg", "Quittungsnummer", "Creditnotanummer";
  // and, compounds being right-headed, so does one that ends in it: "Rechnungsgutschrift", "Sammelquittung"
  compound: compoundOf(TITLE_WORDS[type].filter((w) => /^\p{L}{8,}$/u.test(w)).map(escape)),
}));
/**
 * An abbreviated title or number label: the cell's first word cut short with a full stop
 * ("Creditfact.", "Gutschr.": the start, 6 letters or more, of a one-word title), or a whole title
 * word glued to a "number" abbreviation ("Creditnr.", "Gutschriftno.": "credit" of "credit note").
 * Returns the type, or null when none or several types fit.
 */
function abbreviatedTitle(text: string): DocumentType | null {
  const m = /^(\p{L}{6,})(\.|(?:nr|no|nummer|number|num|n°|nº)\b\.?|(?:nr|no|n°|nº)(?=[\s:#]|$))/u.exec(text);
  if (!m) return null;
  let stem = m[1]!;
  const glued = m[2] !== '.';
  if (!glued) {
    // "Creditnr." is caught with its stem "credit"; a full stop after a "number" abbreviation is the label's
    const n = NUMBER_ABBREVIATIONS.find((a) => stem.endsWith(a) && stem.length - a.length >= 6);
    if (n) stem = stem.slice(0, -n.length);
  }
  const found = new Set<DocumentType>();
  for (const type of DOCUMENT_TYPES) {
    for (const w of TITLE_WORDS[type]) {
      // cut short: the start of a one-word title; glued to a number word: a whole title word ("credit" of "credit note")
      const oneWord = !/[\s-]/.test(w);
      if (glued || stem !== m[1]) { if (w === stem || w.split(/[\s-]/)[0] === stem) found.add(type); } else if (oneWord && w.startsWith(stem) && stem.length < w.length) found.add(type);
    }
  }
  // an abbreviation that could start titles of two types says nothing
  return found.size === 1 ? [...found][0]! : null;
}

/** Words a title joins its words with ("nota di credito", "note de crédit"), which an abbreviated printing may leave out. */
const JOINERS = new Set(['di', 'de', 'of', 'du', 'del']);

/**
 * A title of two or three words printed with some of its words cut short with a full stop ("Nota
 * cred.", "Cred. note", "Fatt. proforma"): every word of the cell is the title's word or, ending in a
 * full stop, the start (3 letters or more) of it; joining words may be left out. Returns the type,
 * or null when none or several types fit.
 */
function abbreviatedPhrase(text: string): DocumentType | null {
  const words = text.replace(/[\s:#]+$/u, '').split(' ').filter((w) => !JOINERS.has(w));
  if (words.length < 2 || words.length > 3 || !words.some((w) => /^\p{L}{3,}\.$/u.test(w))) return null;
  const fits = (w: string, t: string) => w === t || (/^\p{L}{3,}\.$/u.test(w) && t.length > w.length - 1 && t.startsWith(w.slice(0, -1)));
  const found = new Set<DocumentType>();
  for (const type of DOCUMENT_TYPES) {
    for (const title of TITLE_WORDS[type]) {
      const parts = title.split(' ').filter((t) => !JOINERS.has(t));
      if (parts.length === words.length && parts.every((t, i) => fits(words[i]!, t))) found.add(type);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}

const QUALIFIER_RE = new RegExp(`(?<![\\p{L}])(?:${CREDIT_QUALIFIERS.map(escape).join('|')})(?![\\p{L}])`, 'u');
const INVOICE_WORD_RE = new RegExp(`(?<![\\p{L}])(?:${TITLE_WORDS.invoice.map(escape).join('|')})(?![\\p{L}])`, 'u');

/** "Invoice Credit", "Credit Invoice": an invoice title qualified as a credit, in a short cell of its own. */
function qualifiedCredit(text: string): boolean {
  return text.split(' ').length <= 3 && !/\d/.test(text) && QUALIFIER_RE.test(text) && INVOICE_WORD_RE.test(text);
}

/** "Bill to", "Rechnung an", "Facturé à": a recipient label, not a title. */
const RECIPIENT = /^(?:bill(?:ed)?\s+to|billing|rechnung\s+an|rechnungs(?:empf|adresse)|factur[ée]e?\s+[àa]|facturar\s+a|fatturare\s+a|factuur\s+aan|invoice\s+to)/u;
const SELF_BILLING_RE = new RegExp(SELF_BILLING.map(escape).join('|'), 'u');
const CASH_RE = new RegExp(`^(?:${CASH_WORDS.map(escape).join('|')})(?![\\p{L}])`, 'u');
const CREDIT_NUMBER = new RegExp(`^(?:${CREDIT_NUMBER_PREFIXES.join('|')})[-/ ]?\\d`);

interface Hit { type: DocumentType; score: number; cell: PageCell }

function titleHits(view: PageLines): Hit[] {
  const first = view.lines.filter((l) => l.page === 1);
  if (first.length === 0) return [];
  const heights = first.map(lineHeight).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] || 10;
  const hits: Hit[] = [];
  for (const line of first) {
    const top = line.bbox[1] / (line.pageHeight || 1);
    const size = lineHeight(line) / median;
    for (const cell of line.cells) {
      const text = norm(cell.text);
      if (RECIPIENT.test(text)) continue;
      const abbreviated = abbreviatedTitle(text) ?? abbreviatedPhrase(text);
      const qualified = qualifiedCredit(text);
      for (const { type, re, compound } of TITLES) {
        const whole = (re.test(text) && !(type === 'invoice' && qualified)) || (type === 'credit_note' && qualified);
        if (!whole && !(type !== 'invoice' && (compound.test(text) || abbreviated === type))) continue;
        // a title stands out: large type, near the top, a short cell of its own; a compound ("Gutschriftsnr.") is weaker evidence
        const score = (whole ? 0.55 : 0.5) + (size >= 1.25 ? 0.25 : 0) + (top < 0.4 ? 0.1 : 0) + (text.length <= 40 ? 0.05 : 0);
        const selfBilled = type === 'credit_note' && SELF_BILLING_RE.test(norm(line.text));
        hits.push({ type: selfBilled ? 'invoice' : type, score: Math.min(0.95, score), cell });
        break;
      }
    }
  }
  return hits;
}

/** A till receipt by its shape: a roll (at most 250 pt wide, or narrower than A6 and 1.5 times as tall), or cash and change lines. */
function receiptShape(view: PageLines): number {
  const firstPage = view.lines.find((l) => l.page === 1);
  // a roll of 80 mm (227 pt) or 58 mm paper, however short the receipt; up to A6's width only when long
  const narrow = firstPage !== undefined && firstPage.method === 'text-layer' && (firstPage.pageWidth <= 250 || (firstPage.pageWidth < 300 && firstPage.pageHeight > 1.5 * firstPage.pageWidth));
  const cash = new Set(view.lines.flatMap((l) => l.cells.map((c) => norm(c.text))).filter((t) => CASH_RE.test(t)).map((t) => t.split(' ')[0]));
  return narrow ? 0.75 : cash.size >= 2 ? 0.65 : 0;
}

export function findDocumentType(view: PageLines, invoiceNumber: string | null): DocumentTypeFinding {
  const hits = titleHits(view).sort((a, b) => b.score - a.score);
  const found = (h: Hit): DocumentTypeFinding => ({ value: h.type, confidence: h.score, method: 'rule', provenance: provenance(view, h.cell.start, h.cell.end) });
  // a specific title (credit note, receipt...) wins over an invoice title that does not stand out more
  const best = hits[0];
  const specific = hits.find((h) => h.type !== 'invoice');
  if (specific && specific.score >= 0.6 && (!best || specific.score >= best.score - 0.1)) return found(specific);
  // a till roll is a receipt whatever its number label says ("Bill No.")
  const shape = receiptShape(view);
  if (shape > 0) return { value: 'receipt', confidence: shape, method: 'rule', provenance: null };
  if (best && best.score >= 0.6) return found(best);
  if (invoiceNumber !== null && CREDIT_NUMBER.test(invoiceNumber)) return { value: 'credit_note', confidence: 0.6, method: 'rule', provenance: null };
  if (best) return found(best);
  return { value: 'invoice', confidence: 0.5, method: 'derived', provenance: null };
}

export type { PageLine };
