import type { InvoiceRecord } from '../../core/invoice-record.js';
import { checkTaxId } from '../../core/record-ids.js';
import { labels } from '../../lexicon/index.js';
import { PURCHASE_ORDER } from './field-lexicon.js';
import { ADDRESSEE_RE as ADDRESSEE, idValue, lineHits, roleHits, valueAfter, type Accept } from './labelled.js';
import { lineHeight, type PageLine, type PageLines } from './page-lines.js';
import type { Found } from './payment-finder.js';

/**
 * The buyer's order reference and the buyer's tax id.
 * - purchase order: the identifier after an order label (field-lexicon PURCHASE_ORDER), never the
 *   invoice number.
 * - customer tax id: a tax id (after a taxId label, or a VAT-number-shaped token that passes its
 *   check digits) that belongs to the buyer: its label is addressed to the reader ("Ihre
 *   USt-IdNr.", "your VAT no.") or names the customer, or it stands in the block under a customer
 *   heading ("Käufer:", "Bill to") before any other party heading, or in the address block under
 *   the customer's name (no heading needed). Never the seller's id. An unlabelled token (six
 *   digits at least) counts only when its check digits hold, or after words addressed to the
 *   reader (a label the lexicon lacks: "Ihre USt.-IdentNr.:"); a labelled one is kept as stated.
 */

const squash = (s: string) => s.replace(/[^\p{L}\d]/gu, '').toUpperCase();

export function findPurchaseOrder(view: PageLines, record: InvoiceRecord): Found | null {
  for (const h of roleHits(view, PURCHASE_ORDER)) {
    const v = valueAfter(view, h, idValue);
    if (!v || (record.invoiceNumber && squash(v.value) === squash(record.invoiceNumber))) continue;
    return { value: v.value, confidence: 0.85, start: v.start, end: v.end };
  }
  return null;
}

/**
 * A tax id: an optional prefix of one to three letters (a country code "DE", "CHE"; a national
 * scheme's letter: a Spanish NIF "B-60779212"), then 8-15 digits/letters with separators; the
 * digits dominate.
 */
const taxIdValue: Accept = (text) => {
  const m = /^[:\s]*((?:[A-Z]{1,3}[\s-]?)?[0-9][0-9A-Z./\- ]{5,17}[0-9A-Z])(?![\p{L}\d])/u.exec(text);
  if (!m) return null;
  const raw = m[1]!.trim();
  if ((raw.match(/\d/g) ?? []).length < 6) return null;
  return { value: raw, offset: m[0].length - m[1]!.length, length: raw.length };
};

/**
 * A VAT-number-shaped token: a country prefix, then 8-12 digits/letters written solid or in groups
 * of 2-4 ("DE 368 344 840", "GB 493 7635 03"), or a Swiss UID with its VAT suffix
 * ("CHE-511.365.402 MWST"). Only its check digits make an unlabelled one count.
 */
const VAT_TOKEN = new RegExp([
  '(?<![\\p{L}\\d])(?:',
  '(?:AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK)\\s?(?:[0-9A-Z]{8,12}|[0-9A-Z]{2,4}(?: [0-9A-Z]{2,4}){1,4})',
  '|CHE[-\\s]?\\d{3}[.\\s]?\\d{3}[.\\s]?\\d{3}(?:\\s?(?:MWST|TVA|IVA))?',
  ')(?![\\p{L}\\d])',
].join(''), 'gu');
const PARTY = new Set(['vendor', 'customer', 'shipTo']);

/** The party heading that governs a line: the nearest line above (same page, within 10 lines) that starts with a party label over the same column. */
function governingParty(view: PageLines, line: PageLine, x0: number, x1: number): string | null {
  const hits = lineHits(view);
  for (let i = line.index; i >= 0 && i >= line.index - 10; i--) {
    const l = view.lines[i]!;
    if (l.page !== line.page) break;
    for (const h of hits[i]!) {
      if (!PARTY.has(h.key)) continue;
      const cell = l.cells.find((c) => c.start <= l.start + h.start && c.end >= l.start + h.end);
      if (!cell || l.start + h.start !== cell.start) continue;
      if (cell.bbox[0] < x1 && cell.bbox[2] + (x1 - x0) > x0) return h.key;
    }
  }
  return null;
}

/** How many lines under the buyer's name its address block may run. */
const BLOCK_LINES = 8;

/**
 * Whether a line stands in the buyer's address block: under the line that prints the customer's
 * name (the core extractor's), in the same column, the lines between them all holding a cell of
 * that column and none a gap wider than two lines, before the vendor's name. No heading needed
 * (a DIN 5008 address window has none).
 */
function inCustomerBlock(view: PageLines, record: InvoiceRecord, line: PageLine, x0: number): boolean {
  const name = record.customer.name ? squash(record.customer.name) : '';
  if (name.length < 3) return false;
  const vendor = record.vendor.name ? squash(record.vendor.name) : null;
  for (let i = line.index - 1; i >= 0 && i >= line.index - BLOCK_LINES; i--) {
    const l = view.lines[i]!;
    if (l.page !== line.page) return false;
    const cell = l.cells.find((c) => squash(c.text).includes(name));
    if (cell) {
      const h = lineHeight(l);
      if (x0 < cell.bbox[0] - h || x0 > cell.bbox[2]) return false;
      for (let k = i + 1; k <= line.index; k++) {
        const a = view.lines[k - 1]!; const b = view.lines[k]!;
        if (b.bbox[1] - a.bbox[3] > 2 * h) return false;
        if (!b.cells.some((c) => c.bbox[0] < cell.bbox[2] && c.bbox[2] > cell.bbox[0])) return false;
      }
      return true;
    }
    if (vendor && l.cells.some((c) => squash(c.text) === vendor)) return false;
  }
  return false;
}

export function findCustomerTaxId(view: PageLines, record: InvoiceRecord): Found | null {
  const vendor = record.vendor.taxId ? squash(record.vendor.taxId) : null;
  const candidates: Array<Found & { line: PageLine; labelled: boolean; labelText: string; cellX0: number }> = [];
  const hits = lineHits(view);
  view.lines.forEach((line, i) => {
    for (const h of hits[i]!) {
      if (h.key !== 'taxId') continue;
      const start = line.start + h.start;
      const cell = line.cells.find((c) => c.start <= start && c.end >= start) ?? line.cells[0]!;
      const v = valueAfter(view, { line, cell, start, end: line.start + h.end, key: h.key, phrase: h.phrase }, taxIdValue);
      if (v) candidates.push({ value: v.value, confidence: 0, start: v.start, end: v.end, line: v.line, labelled: true, labelText: view.text.slice(cell.start, start + (h.end - h.start)), cellX0: cell.bbox[0] });
    }
    for (const m of line.text.matchAll(VAT_TOKEN)) {
      const start = line.start + m.index!;
      if (candidates.some((c) => c.start <= start && c.end > start)) continue;
      // a VAT number's national part is digits, a letter or two at most: "UW BESTELLING" is words
      if ((m[0].match(/\d/g) ?? []).length < 6) continue;
      const cell = line.cells.find((c) => c.start <= start && c.end >= start) ?? line.cells[0]!;
      candidates.push({ value: m[0], confidence: 0, start, end: start + m[0].length, line, labelled: false, labelText: view.text.slice(cell.start, start), cellX0: cell.bbox[0] });
    }
  });
  for (const c of candidates) {
    if (vendor && squash(c.value) === vendor) continue;
    const check = checkTaxId(c.value);
    const addressed = ADDRESSEE.test(c.labelText) || labelsName(c.labelText, 'customer');
    const words = c.line.words.filter((w) => w.end > c.start && w.start < c.end);
    const x0 = Math.min(...words.map((w) => w.bbox[0])); const x1 = Math.max(...words.map((w) => w.bbox[2]));
    // the block test looks at where the id's cell starts (its label's left edge): a long label puts the value right of the name's end
    const party = addressed ? 'customer' : governingParty(view, c.line, x0, x1) ?? (inCustomerBlock(view, record, c.line, c.cellX0) ? 'customer' : null);
    if (party !== 'customer') continue;
    // an unlabelled token whose check digits fail counts only where a label is addressed to the reader ("Ihre USt.-IdentNr.:")
    if (!c.labelled && check.status !== 'valid' && !addressed) continue;
    // a labelled id whose check digits fail is kept as stated (like the fast path) and flagged by the caller
    const confidence = { valid: 0.9, unchecked: 0.75, invalid: 0.5 }[check.status] + (addressed ? 0.05 : 0);
    return { value: c.value.replace(/\s+/g, ' '), confidence, start: c.start, end: c.end };
  }
  return null;
}

function labelsName(text: string, concept: string): boolean {
  return labels().find(text).some((h) => h.key === concept);
}
