import type { BBox } from '../core/document-text.js';
import type { LineItem } from '../core/invoice-record.js';
import { labels, phraseTokens, type PhraseHit } from '../lexicon/index.js';
import { amountsIn } from './candidates.js';
import { abs, add, approxEqual, mul } from './decimal.js';
import type { Layout } from './layout.js';
import { CURRENCY_CODES, parseMoney, type DecimalMark } from './normalize-money.js';
import { CARRY_FORWARD, DISCOUNT, PREPAID, SHIPPING } from './record/field-lexicon.js';
import { baselineRows, rotated, topToBottom, visualRows, type TableLine } from './table-rows.js';

/**
 * Line items: the rows of the item table(s), on every page.
 *
 * Where: a table starts after a header row (two or more column words, no amounts) and ends at the
 * totals block (a subtotal, total or tax label that is not on an item row); a later header (the
 * next page's repeat, a second table) starts it again. A document with no header row (a till
 * receipt) reads the block of item-like lines right above its first total. Inside a table, lines
 * that carry a payment, tax-id, contact or page label, or a carried-forward amount, are never
 * items (the IBAN line, the page footer, "Übertrag").
 *
 * A row is an item when its numbers fit: quantity x unit price = amount (to the cent, or less an
 * item discount printed as a percentage), or the column structure says so (a number, then a price,
 * then the amount, in cells of their own). A row with a description and only its amount reads as
 * one unit at that price (quantity and unit price derived). A quantity-and-price line under a
 * description line without an amount ("BIN BAGS" / "2 x 20.68  41.36") is one item.
 *
 * Columns: the description is the text run of the row without its numbers, its row number ("12
 * Widget"), its product code (a code in a cell of its own before the description) and its unit
 * (the word after the quantity: "10 st.", "4 h"); a continuation line right below (no numbers, no
 * label) is appended. The tax rate is the row's percentage that is not the item discount.
 */


/** Where a table's header puts its quantity and unit-price columns (x centres), when it names them. */
/**
 * Where a table's header puts its quantity and unit-price columns (x centres), when it names them,
 * and its product-code column (from its title's left edge to the description title's), when it
 * titles one left of the description ("Art-Nr-Lief. | Beschreibung").
 */
interface Header { qtyX: number | null; priceX: number | null; codeColumn: { from: number; to: number } | null; taxX: number | null; unitColumn: boolean }

/** A unit column's title ("Einheit", "Meng.-einheit", "ME", "Unit", "UoM"): a short word in a cell of its own after the quantity is the unit. */
const UNIT_TITLE = /^(?:(?:meng\.?-?)?einheit|me|units?|uom|unité|unità|eenheid|unidad)$/iu;

/** A tax-rate column's title ("MwSt-%", "USt.", "VAT %", "TVA", "IVA", "BTW"): its rows print the rate without a % sign. */
const TAX_TITLE = /^(?:mwst|ust|vat|tva|iva|btw|gst)\b/iu;

/** Column titles of article numbers and of descriptions, for the code column's extent. */
const CODE_TITLE = /^(?:art(?:ikel)?\.?-?\s?(?:nr|no|nummer)\b.*|artikelnummer|sku|code|codice|código|réf\.?|ref\.?|referenz|item\s?no\.?)$/iu;
const DESCRIPTION_TITLE = /^(?:description|bezeichnung|beschreibung|artikelbeschreibung|artikelbezeichnung|désignation|designation|libellé|descripción|descrizione|omschrijving|produkt|product|producto|prodotto|leistung|concepto)$/iu;

const QTY_WORDS = ['qty', 'qté', 'qtà', 'qta', 'quantity', 'quantité', 'quantità', 'menge', 'anzahl', 'cantidad', 'cant', 'uds', 'aantal', 'hoeveelheid', 'hours', 'hrs', 'stunden', 'std'];
/** Whole words only: "units" is a count, its abbreviation "unit." is the unit price's ("Prezzo unit."). */
const QTY_WHOLE = ['units'];
const PRICE_HEADER = /(?:price|preis|prix|precio|prezzo|prijs|cost|^rate$|^p\.?u\.?$|^tarif|^einzel)/iu;

/** A quantity column word, whole or abbreviated with a full stop ("Aant.", "Anz.", "Qté"), also as part of "Hrs/Qty". */
function isQtyHeader(word: string): boolean {
  return word.toLowerCase().split('/').some((part) => {
    const w = part.replace(/[.:]+$/, '');
    const whole = w.replace(/\./g, '');
    return QTY_WORDS.includes(whole) || QTY_WHOLE.includes(whole) || (part.endsWith('.') && w.length >= 3 && QTY_WORDS.some((q) => q.length > w.length && q.startsWith(w)));
  });
}

function headerOf(line: TableLine): Header {
  const centre = (b: BBox) => (b[0] + b[2]) / 2;
  const qty = line.words.find((w) => isQtyHeader(w.text));
  // the unit price is the first price column (a later one is the line total: "Gesamtpreis")
  const price = line.words.find((w) => PRICE_HEADER.test(w.text));
  const code = line.words.find((w) => CODE_TITLE.test(w.text.replace(/[:]$/, '')));
  const description = line.words.find((w) => DESCRIPTION_TITLE.test(w.text.replace(/[:]$/, '')));
  const codeColumn = code && description && code.bbox[0] < description.bbox[0] ? { from: code.bbox[0], to: description.bbox[0] } : null;
  const tax = line.words.find((w) => TAX_TITLE.test(w.text));
  return { qtyX: qty ? centre(qty.bbox) : null, priceX: price ? centre(price.bbox) : null, codeColumn, taxX: tax ? centre(tax.bbox) : null, unitColumn: line.words.some((w) => UNIT_TITLE.test(w.text.replace(/[.:]$/, ''))) };
}

export type ItemColumn = 'description' | 'quantity' | 'unit' | 'unitPrice' | 'amount' | 'taxRate' | 'productCode';

export interface ItemRow {
  item: LineItem;
  /** Line indices the item spans (its row, a description line above, continuation lines). */
  lines: number[];
  /** Offsets into the document text of each column's source. */
  spans: Partial<Record<ItemColumn, [number, number]>>;
  /** How the numbers were established. */
  fit: 'product' | 'discounted' | 'columns' | 'amount-only';
}

/** Column words of a table header, all languages (a header row holds two or more, and no amounts). */
const HEADER_WORDS = new RegExp(`(?<![\\p{L}])(?:${[
  'qty', 'qté', 'qtà', 'qta', 'quantity', 'menge', 'anzahl', 'quantité', 'cantidad', 'cant', 'quantità', 'aantal', 'hoeveelheid', 'uds',
  'description', 'bezeichnung', 'beschreibung', 'artikelbeschreibung', 'artikel', 'articolo', 'article', 'désignation', 'designation', 'libellé',
  'descripción', 'descrizione', 'omschrijving', 'product', 'produkt', 'producto', 'prodotto', 'item', 'items', 'leistung', 'concepto',
  'price', 'preis', 'einzelpreis', 'stückpreis', 'prix', 'precio', 'prezzo', 'prijs', 'rate', 'p.u',
  'amount', 'betrag', 'montant', 'importe', 'importo', 'imponibile', 'bedrag', 'total', 'gesamt', 'subtotaal', 'totale',
  'unit', 'einheit', 'unité', 'unità', 'eenheid',
].map((w) => w.replace(/\./g, '\\.')).join('|')})(?![\\p{L}])`, 'giu');
const BLOCKING = new Set(['payment', 'taxId', 'contact', 'page']);
const PARTIES = new Set(['vendor', 'customer', 'shipTo']);
const PERCENT = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%/gu;
const UNIT_WORD = /^\s+([\p{L}][\p{L}²³.]{0,7})(?![\p{L}\d])/u;
/** A number and a unit in one word ("5kg", "3m²", "20Stk"): the quantity and its unit. */
const GLUED_QUANTITY = /^(\d{1,6}(?:[.,]\d{1,4})?)([\p{L}][\p{L}²³.]{0,7})$/u;
/** A unit right after its quantity, no space between ("5kg"). */
const GLUED_UNIT = /^([\p{L}][\p{L}²³.]{0,7})(?![\p{L}\d])/u;
/** A plain number (a quantity): "9", "1,5", "-5" (a correction's negative quantity); never inside words, codes, dates or amounts. */
const PLAIN = /(?<![\p{L}\d.,'/:-])(?:-(?=\d))?(?:\d{1,3}(?:[.']\d{3})+,\d{1,4}|\d{1,3}(?:[,']\d{3})+\.\d{1,4}|\d{1,6}(?:[.,]\d{1,4})?)(?![\p{L}\d]|[.,/:]\d)/gu;
const GTIN_IN_TEXT = /(?<![\p{L}\d])(?:GTIN|EAN)(?:[-\s]?\d{1,2})?\s*:?\s*\d{8,14}(?!\d)/gu;
const CODE = /^[\p{L}\d][\p{L}\d\-/._]*\d[\p{L}\d\-/._]*$|^\d[\p{L}\d\-/._]*$/u;

/** A currency marker on its own ("RM", "EUR", "Fr.", "US$"; ISO codes from the money module's list, never any three capitals). */
const CURRENCY_ONLY = new RegExp(`^(?:${[...CURRENCY_CODES].join('|')}|[€$£¥]|US\\$|Rs\\.?|RM|Fr\\.)$`, 'u');
/** A currency marker that starts an amount ("-CHF 5.80", "€ 12,00", "US$3"): where a merged cell's second amount begins. */
const PREFIX_AMOUNT = /\s(?=[-−]?(?:[A-Z]{3}|[€$£¥]|US\$|Rs\.?|RM|Fr\.)\s?\d)/gu;
/** "(£3.53)", "(EUR 12,00)": a negative amount in parentheses around its currency marker. */
const PAREN_MARKED = /\(((?:[A-Z]{3}|[€$£¥]|US\$|Rs\.?|RM|Fr\.)\s?\d[\d.,' ]*\d)\)/gu;

/** An IBAN as printed: country, check digits, then groups of four (electronic or spaced). */
const IBAN_RUN = /(?<![\p{L}\d])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?(?![\p{L}\d])/gu;

/**
 * The amounts of a cell's text, as amountsIn reads them, and two printings it does not split or
 * read: two amounts with leading currency markers run together in one cell ("-CHF 3'998.96 -CHF
 * 31'991.68": the second marker is not the first amount's suffix) and a negative in parentheses
 * around its marker ("(£3.53)"); an IBAN's digits are never read. Offsets are kept (the text is
 * only cut or blanked, or "(" read as "-").
 */
export function moneyIn(text: string, offset: number, mark: DecimalMark | undefined, strict = true): ReturnType<typeof amountsIn> {
  // an IBAN's digit groups are no amounts ("GB42 IPRM 1063 5689 0200 08")
  const plain = text.replace(PAREN_MARKED, (_, inner: string) => `-${inner} `).replace(IBAN_RUN, (m) => ' '.repeat(m.length));
  const cuts = [0, ...[...plain.matchAll(PREFIX_AMOUNT)].map((m) => m.index! + 1), plain.length];
  const out: ReturnType<typeof amountsIn> = [];
  for (let i = 0; i + 1 < cuts.length; i++) out.push(...amountsIn(plain.slice(cuts[i], cuts[i + 1]), offset + cuts[i]!, mark, strict));
  // a day and month with its full stop ("bis zum 19.12.") is a date, not an amount
  return out.filter((a) => {
    const at = a.start - offset;
    const m = /^(\d{1,2})\.(\d{1,2})$/.exec(text.slice(at, a.end - offset));
    return !(m && text[a.end - offset] === '.' && Number(m[1]) >= 1 && Number(m[1]) <= 31 && Number(m[2]) >= 1 && Number(m[2]) <= 12);
  });
}

/** Document-level allowance, charge and prepayment phrases (field-lexicon roles), tokenised as the matcher reports them. */
const DOCUMENT_AMOUNT_KEYS = new Set([DISCOUNT, SHIPPING, PREPAID].flatMap((r) => r.phrases.map((p) => phraseTokens(p).join(' '))));
/**
 * A line naming a document-level amount: a tax, subtotal or total label, or an allowance, charge
 * or prepayment ("Abschlag Sondernachlass", "Zuschlag Versandkosten", "Umsatzsteuer (S)").
 */
const namesDocumentAmount = (hits: PhraseHit[]) => hits.some((h) => h.key === 'tax' || h.key === 'subtotal' || h.key === 'total'
  || (h.key === 'notTotal' && DOCUMENT_AMOUNT_KEYS.has(phraseTokens(h.phrase).join(' '))));

const carryKeys = new Set(CARRY_FORWARD.phrases.map((p) => phraseTokens(p).join(' ')));
const isCarry = (h: PhraseHit) => h.key === CARRY_FORWARD.concept && carryKeys.has(phraseTokens(h.phrase).join(' '));

interface Num { value: string; start: number; end: number; money: boolean; cellIndex: number; ownCell: boolean; x: number }

function numbersOf(line: TableLine, mark: DecimalMark | undefined): { nums: Num[]; percents: Array<{ value: string; start: number; end: number }> } {
  const cellOf = (s: number) => Math.max(0, line.cells.findIndex((c) => c.start <= line.start + s && c.end >= line.start + s));
  const own = (s: number, e: number) => {
    const c = line.cells[cellOf(s)];
    if (!c) return false;
    const rest = (line.text.slice(c.start - line.start, s) + line.text.slice(e, c.end - line.start)).trim();
    return rest === '' || /^[\p{L}][\p{L}²³.]{0,7}$/u.test(rest) || /^[€$£¥]$/.test(rest);
  };
  // per cell: a space may group thousands ("1 250,00"), never across a column gap ("11 | 290,80")
  const inCells = (strict: boolean) => line.cells.flatMap((c) => moneyIn(c.text, c.start - line.start, mark, strict));
  const money = inCells(true);
  const xOf = (s: number, e: number) => {
    const ws = line.words.filter((w) => w.end > line.start + s && w.start < line.start + e);
    return ws.length ? (Math.min(...ws.map((w) => w.bbox[0])) + Math.max(...ws.map((w) => w.bbox[2]))) / 2 : 0;
  };
  const nums: Num[] = money.map((a) => ({ value: a.value, start: a.start, end: a.end, money: true, cellIndex: cellOf(a.start), ownCell: own(a.start, a.end), x: xOf(a.start, a.end) }));
  // plain numbers (quantities): "9 hrs", "40", "1,5"; not inside words, amounts, dates or percentages
  for (const m of line.text.matchAll(PLAIN)) {
    const s = m.index!; const e = s + m[0].length;
    if (money.some((a) => a.start < e && a.end > s) || /^\s?%/.test(line.text.slice(e, e + 2))) continue;
    const v = parseMoney(m[0], { decimalMark: mark })?.value;
    if (v) nums.push({ value: v, start: s, end: e, money: false, cellIndex: cellOf(s), ownCell: own(s, e), x: xOf(s, e) });
  }
  // a quantity printed with its unit in one word, alone in its cell ("5kg", "3m²", "20Stk", "1,5h"; "2x": the times sign)
  for (const c of line.cells) {
    const t = c.text.trim();
    const m = GLUED_QUANTITY.exec(t);
    if (!m) continue;
    const s = c.start - line.start + c.text.indexOf(t); const e = s + m[1]!.length;
    const v = parseMoney(m[1]!, { decimalMark: mark })?.value;
    if (v && !nums.some((n) => n.start < e && n.end > s)) nums.push({ value: v, start: s, end: e, money: false, cellIndex: cellOf(s), ownCell: true, x: xOf(s, e) });
  }
  nums.sort((a, b) => a.start - b.start);
  const percents = [...line.text.matchAll(PERCENT)].map((m) => ({ value: parseMoney(m[1]!, { decimalMark: mark })?.value ?? m[1]!.replace(',', '.'), start: m.index!, end: m.index! + m[0].length }));
  return { nums, percents };
}

/** The row's numbers: amount, and quantity x unit price (or the column order) that yields it. */
function fitNumbers(nums: Num[], percents: Array<{ value: string }>, header: Header | null): { q: Num | null; p: Num | null; a: Num; fit: ItemRow['fit']; discount: string | null } | null {
  const moneyNums = nums.filter((n) => n.money);
  const a = moneyNums[moneyNums.length - 1];
  if (!a) return null;
  const before = nums.filter((n) => n.end <= a.start);
  const best = productOf(before, a, percents, header);
  if (best) return { q: best.q, p: best.p, a, fit: best.fit, discount: best.discount };
  // columns after the amount (its tax, the gross amount, a rate printed as money: "2 | 10,00 | 20,00 | 3,80 | 23,80"):
  // the amount is the rightmost money in a cell of its own that the quantity and price before it multiply to
  for (let k = moneyNums.length - 2; k >= 0; k--) {
    const x = moneyNums[k]!;
    if (!x.ownCell) continue;
    const fit = productOf(nums.filter((n) => n.end <= x.start), x, [], header);
    if (fit) return { q: fit.q, p: fit.p, a: x, fit: fit.fit, discount: null };
  }
  return columnsOf(before, a, header);
}

/** How far quantity x unit price may stand from the amount: a cent, and half a cent per unit of quantity (prices rounded to the cent). */
const tolerance = (q: string) => add('0.011', mul(abs(q), '0.005'));

/** The quantity and unit price among `before` whose product is the amount `a` (less a percentage discount), the likeliest pair by cells and header. */
function productOf(before: Num[], a: Num, percents: Array<{ value: string }>, header: Header | null): { q: Num; p: Num; fit: ItemRow['fit']; discount: string | null } | null {
  let best: { q: Num; p: Num; fit: ItemRow['fit']; discount: string | null; score: number } | null = null;
  for (const p of before) {
    for (const q of before) {
      if (p === q || Number(q.value) === 0) continue;
      const product = mul(q.value, p.value);
      // a number in a cell of its own is a column value; one inside the description text rarely is
      let score = (q.ownCell ? 2 : 0) + (p.ownCell ? 2 : 0) + (p.money ? 1 : 0) + (q.start < p.start ? 1 : 0) - (q.money && !p.money ? 1 : 0);
      // quantity and price stand side by side: of two equal candidates ("1 | Website | 1 | 94,97"), the row number is the farther one
      const [lo, hi] = q.start < p.start ? [q, p] : [p, q];
      if (!before.some((n) => n !== q && n !== p && n.start >= lo.end && n.end <= hi.start)) score += 0.5;
      // the header's quantity and price columns decide which is which ("Nettopreis  Menge")
      if (header?.qtyX != null && header.priceX != null) {
        const qNearQty = Math.abs(q.x - header.qtyX) < Math.abs(q.x - header.priceX);
        const pNearPrice = Math.abs(p.x - header.priceX) < Math.abs(p.x - header.qtyX);
        score += qNearQty && pNearPrice ? 3 : 0;
        // of candidates on the same side, the nearer to the column's title
        score -= (Math.abs(q.x - header.qtyX) + Math.abs(p.x - header.priceX)) / 1000;
      }
      if (approxEqual(product, a.value, tolerance(q.value))) {
        if (!best || score > best.score) best = { q, p, fit: 'product', discount: null, score };
        continue;
      }
      for (const d of percents) {
        const net = mul(product, (1 - Number(d.value) / 100).toFixed(6));
        if (approxEqual(net, a.value, tolerance(q.value))) {
          if (!best || score - 0.5 > best.score) best = { q, p, fit: 'discounted', discount: d.value, score: score - 0.5 };
        }
      }
      // a discount column printing the amount taken off ("2 | 10,00 | -2,00 | 18,00"): a money number between the price and the amount
      for (const d of before) {
        if (!d.money || d === q || d === p || d.start < Math.max(q.end, p.end) || Number(d.value) === 0) continue;
        if (approxEqual(add(product, `-${abs(d.value)}`), a.value, tolerance(q.value)) && (!best || score - 0.75 > best.score)) {
          best = { q, p, fit: 'discounted', discount: null, score: score - 0.75 };
        }
      }
    }
  }
  return best;
}

/** The column structure's reading of a row whose numbers do not multiply out, or the amount alone. */
function columnsOf(before: Num[], a: Num, header: Header | null): { q: Num | null; p: Num | null; a: Num; fit: ItemRow['fit']; discount: string | null } {
  // the column structure: a number, then a price, then the amount, each in a cell of its own
  const columns = before.filter((n) => n.ownCell);
  if (header && columns.length >= 2 && a.ownCell) {
    const p = columns[columns.length - 1]!; const q = columns[columns.length - 2]!;
    if (p.money && !q.money || (q.value.replace(/\.0+$/, '').length <= 4 && p.money)) return { q, p, a, fit: 'columns', discount: null };
    // the header's quantity and price columns name them (a gross amount, a price per unit basis: printed, not multiplied)
    if (header.qtyX != null && header.priceX != null) {
      const half = Math.abs(header.priceX - header.qtyX) / 2;
      const nearest = (x: number) => columns.reduce<Num | null>((b, n) => (Math.abs(n.x - x) < half && (!b || Math.abs(n.x - x) < Math.abs(b.x - x)) ? n : b), null);
      const qc = nearest(header.qtyX); const pc = nearest(header.priceX);
      if (qc && pc && qc !== pc && Number(qc.value) !== 0) return { q: qc, p: pc, a, fit: 'columns', discount: null };
    }
  }
  return { q: null, p: null, a, fit: 'amount-only', discount: null };
}

function isHeader(row: TableLine, mark: DecimalMark | undefined): boolean {
  // bank details in a side column beside the table stand beside its header too ("ES98 5007 ... | Concepto | Cantidad")
  let keep = 0;
  while (keep < row.cells.length - 2 && isSideCell(row.cells[keep]!.text)) keep++;
  const line = keep > 0 ? fromCell(row, keep) : row;
  const words = new Set((line.text.match(HEADER_WORDS) ?? []).map((w) => w.toLowerCase()));
  // a number alone in its cell (a year of margin text printed across the row) does not make it a data row
  return words.size >= 2 && moneyIn(line.text, 0, mark).length === 0 && !line.cells.some((c) => /\d{3,}/.test(c.text) && !/^\d+$/.test(c.text.trim()));
}

/**
 * A header by its structure, whatever its words: a row of three or more short column titles
 * (no digits, no amounts, no payment/contact label, no party heading) above a row whose numbers
 * multiply out (quantity x price = amount) and that has a description or an article code, within
 * five lines (a second header line, a note) and without a gap of more than 2.5 line heights.
 */
function isStructuralHeader(lines: readonly TableLine[], i: number, hits: PhraseHit[][], mark: DecimalMark | undefined): boolean {
  const line = lines[i]!;
  if (line.cells.length < 3 || /\d/.test(line.text) || line.cells.some((c) => c.text.length > 30)) return false;
  // a payment or contact label, or a party heading that is a cell of its own ("Seller | Buyer"), is no column title
  const wholeCell = (hit: PhraseHit) => line.cells.some((c) => c.text.replace(/[:\s]+$/, '').length === hit.end - hit.start && c.start - line.start === hit.start);
  if (hits[i]!.some((x) => BLOCKING.has(x.key) || (PARTIES.has(x.key) && wholeCell(x)))) return false;
  const h = line.bbox[3] - line.bbox[1];
  // a row that multiplies out within five lines (a header of two lines, a note under it)
  let prev = line;
  for (let k = i + 1; k <= i + 5 && k < lines.length; k++) {
    const next = lines[k]!;
    if (next.page !== line.page || next.bbox[1] - prev.bbox[3] > 2.5 * h) return false;
    prev = next;
    if (moneyIn(next.text, 0, mark).length === 0) continue;
    const row = parseRow(next, mark, headerOf(line));
    if (row !== null && (row.row.fit === 'product' || row.row.fit === 'discounted') && (/\p{L}{2,}/u.test(row.row.item.description ?? '') || row.row.item.productCode !== null)) return true;
  }
  return false;
}


/**
 * The header's titles with a second line of them (a narrow column's title wrapped: "Einzel-" /
 * "preis", "Unit" / "Price", "Line" / "Total"), or null when the line is not one: a line right
 * under the titles, without digits, each of whose words stands under a title (their x-extents
 * overlap) and that covers two or more titles, or one with a column word. Each title takes the
 * words under it (a hyphen joins without a space), so the header's columns read the whole titles.
 */
function titlesBelow(head: TableLine, line: TableLine): TableLine | null {
  if (line.page !== head.page || /\d/.test(line.text) || line.words.length === 0 || line.words.some(rotated)) return null;
  const h = Math.min(...line.words.map((w) => w.bbox[3] - w.bbox[1]));
  if (line.bbox[1] - head.bbox[3] > 0.8 * h || line.bbox[1] < head.bbox[1]) return null;
  const over = (a: BBox, b: BBox) => Math.min(a[2], b[2]) > Math.max(a[0], b[0]);
  const under = line.words.map((w) => head.words.findIndex((t) => over(t.bbox, w.bbox)));
  if (under.some((k) => k < 0)) return null;
  const covered = new Set(under);
  if (covered.size < 2 && !(line.text.match(HEADER_WORDS) ?? []).length) return null;
  const words = head.words.map((t, k) => {
    const more = line.words.filter((_, j) => under[j] === k);
    if (more.length === 0) return t;
    const text = more.reduce((acc, w) => (/\p{L}-$/u.test(acc) ? `${acc}${w.text}` : `${acc} ${w.text}`), t.text);
    return { ...t, text, bbox: [Math.min(t.bbox[0], ...more.map((w) => w.bbox[0])), t.bbox[1], Math.max(t.bbox[2], ...more.map((w) => w.bbox[2])), Math.max(...more.map((w) => w.bbox[3]))] as BBox };
  });
  return { ...head, words, bbox: [Math.min(head.bbox[0], line.bbox[0]), head.bbox[1], Math.max(head.bbox[2], line.bbox[2]), line.bbox[3]] };
}

/** The line without its leading cells of turned text (margin text that the line reader put in the row); null when nothing is left. */
function withoutMarginText(line: TableLine): TableLine | null {
  const keep = line.cells.findIndex((c) => !line.words.filter((w) => w.start >= c.start && w.end <= c.end).every(rotated));
  if (keep < 0) return null;
  return keep === 0 ? line : fromCell(line, keep);
}

/** The line from its cell `keep` on (text, words and box cut to match). */
function fromCell(line: TableLine, keep: number): TableLine {
  const cells = line.cells.slice(keep);
  const start = cells[0]!.start;
  return { ...line, start, text: line.text.slice(start - line.start), cells, words: line.words.filter((w) => w.start >= start), bbox: [cells[0]!.bbox[0], line.bbox[1], line.bbox[2], line.bbox[3]] };
}

/** A run of digit groups ("1253 4777 5153", "+60 3-9086 0540"): an account or phone number, never a product code. */
const DIGIT_GROUPS = /^\+?\d{2,}(?:[ -]\d{2,}){2,}$/u;
/** IBAN_RUN without its global flag, to test a cell. */
const IBAN_IN = new RegExp(IBAN_RUN.source, 'u');

/** A cell of a side column's bank or contact details: a payment, tax-id or contact label, an IBAN, a run of digit groups. */
function isSideCell(text: string): boolean {
  const t = text.trim();
  return labels().find(t).some((x) => BLOCKING.has(x.key)) || IBAN_IN.test(t) || DIGIT_GROUPS.test(t);
}

/**
 * The line without its leading cells of a side column printed beside the item table (bank details,
 * contact data: "SWIFT FUHEMYKL | Safety gloves (pair) | 1 ea | 329.17"): a cell before the row's
 * last that carries a payment, tax-id or contact label, an IBAN or a run of digit groups, when the
 * rest of the row still reads as an item with a description of its own. The line as it is otherwise.
 */
function withoutSideCells(line: TableLine, mark: DecimalMark | undefined, header: Header | null): TableLine {
  let keep = 0;
  while (keep < line.cells.length - 1) {
    if (!isSideCell(line.cells[keep]!.text)) break;
    keep++;
  }
  if (keep === 0) return line;
  const clipped = fromCell(line, keep);
  const rest = moneyIn(clipped.text, 0, mark).length > 0 ? parseRow(clipped, mark, header) : null;
  return rest?.row.item.description ? clipped : line;
}

/** A row that states only the sum of the items above it is their subtotal, whatever its label ("Goods value", "Zw.-Summe"). */
function isRunningSum(row: ItemRow, items: ItemRow[]): boolean {
  if (row.fit !== 'amount-only' || row.item.amount === null || items.length === 0) return false;
  const amounts = items.map((r) => r.item.amount).filter((a): a is string => a !== null);
  return approxEqual(abs(add(...amounts)), abs(row.item.amount), '0.011');
}

function endsTable(line: TableLine, hits: PhraseHit[], mark: DecimalMark | undefined): boolean {
  if (/^\s*\d/.test(line.text)) return false;
  const first = hits.filter((h) => h.start <= 2 || line.cells[0]!.start - line.start >= h.start);
  const at = (keys: string[]) => hits.some((h) => keys.includes(h.key) && (h.start <= 1 || first.includes(h)));
  if (at(['subtotal', 'total'])) return true;
  const amounts = moneyIn(line.text, 0, mark).length;
  if (at(['tax']) && amounts <= 2) return true;
  // a compound whose head is the tax word ("Versicherungsteuer 19 % 9,50 €": compounds are right-headed) opening a
  // line that states its amount, unless the line's numbers multiply out like an item's ("Ökosteuer 10000 x 0,0205")
  const firstWord = /^\s*\p{L}+/u.exec(line.text);
  if (!firstWord || amounts === 0 || amounts > 2 || !hits.some((h) => h.key === 'tax' && h.start > firstWord.index && h.end === firstWord.index + firstWord[0].length)) return false;
  const row = parseRow(line, mark, null);
  return !row || (row.row.fit !== 'product' && row.row.fit !== 'discounted');
}

interface Parsed { row: ItemRow; descCell: number; taxLine: boolean }

/**
 * A tax breakdown row (rate, base, tax: "AA | 28% | 113.60 | 31.81"), not an item: a row with only
 * an amount whose percentage of an earlier amount is that amount (of a net base, or the tax share of
 * a gross one: 20 % of 4 292,17 gross is 715,36).
 */
function isTaxLine(nums: Num[], percents: Array<{ value: string }>, a: Num): boolean {
  const bases = nums.filter((n) => n.money && n.end <= a.start && Number(n.value) !== 0);
  return percents.some((r) => {
    const rate = Number(r.value) / 100;
    return rate > 0 && bases.some((b) => [Math.abs(Number(b.value)) * rate, (Math.abs(Number(b.value)) * rate) / (1 + rate)].some((t) => Math.abs(t - Math.abs(Number(a.value))) <= 0.011 + 0.005 * Math.abs(Number(a.value)) / 100));
  });
}

function parseRow(line: TableLine, mark: DecimalMark | undefined, header: Header | null): Parsed | null {
  const { nums, percents } = numbersOf(line, mark);
  const fit = fitNumbers(nums, percents, header);
  if (!fit) return null;
  // an amount the sentence goes on after ("Der Betrag in Höhe von EUR 529,87 wird am ... eingezogen") is running text, not
  // a row: a row's amount stands in its column at the right, with at most a currency, a rate or a code after it
  if (fit.fit === 'amount-only' && /\p{Ll}{2,}/u.test(line.text.slice(fit.a.end))) return null;
  const { q, p, a } = fit;
  const used = [q, p, a].filter((n): n is Num => !!n).sort((x, y) => x.start - y.start);
  // the unit: a short word right after the quantity, in the quantity's cell
  let unit: { text: string; start: number; end: number } | null = null;
  if (q) {
    const m = UNIT_WORD.exec(line.text.slice(q.end)) ?? GLUED_UNIT.exec(line.text.slice(q.end));
    const cell = line.cells[q.cellIndex];
    // "2 x 20.68": the multiplication sign is no unit
    if (m && !/^[x×]$/iu.test(m[1]!) && cell && line.start + q.end + m[0].length <= cell.end && (q.ownCell || m[1]!.length <= 5) && !used.some((n) => n.start === q.end + m[0].length - m[1]!.length)) {
      unit = { text: m[1]!, start: q.end + m[0].length - m[1]!.length, end: q.end + m[0].length };
    }
    // under a header with a unit column, the short word alone in the cell after the quantity's ("20 | Stk. | 2,77")
    const next = line.cells[q.cellIndex + 1];
    const after = used.find((n) => n.start > q.end);
    if (!unit && header?.unitColumn && q.ownCell && next && after && next.end - line.start <= after.start && /^[\p{L}][\p{L}²³.]{0,7}$/u.test(next.text.trim()) && !/^[x×]$/iu.test(next.text.trim())) {
      const at = next.start - line.start + next.text.indexOf(next.text.trim());
      unit = { text: next.text.trim(), start: at, end: at + next.text.trim().length };
    }
  }
  // description: the longest text run between the numbers used, without percentages and the unit
  // (amounts in cells of their own that the row does not use are columns too, not description: "Pauschale | 10,00 | 50,00")
  const columnAmounts = nums.filter((n) => n.money && n.ownCell && !used.includes(n));
  const cuts = [...used.map((n) => [n.start, n.end] as [number, number]), ...columnAmounts.map((n) => [n.start, n.end] as [number, number]), ...percents.map((x) => [x.start, x.end] as [number, number]), ...(unit ? [[unit.start, unit.end] as [number, number]] : [])]
    .sort((x, y) => x[0] - y[0]);
  const runs: Array<[number, number]> = [];
  let from = 0;
  for (const [s, e] of cuts) { if (s > from) runs.push([from, s]); from = Math.max(from, e); }
  if (from < line.text.length) runs.push([from, line.text.length]);
  let productCode: { text: string; start: number; end: number } | null = null;
  const pieces = runs.map(([s, e]) => {
    // cells of the run: a code alone in its cell before the text is the product code
    const cells = line.cells.filter((c) => c.end - line.start > s && c.start - line.start < e);
    let start = s;
    for (const c of cells) {
      const t = line.text.slice(Math.max(s, c.start - line.start), Math.min(e, c.end - line.start)).trim();
      if (cells.length > 1 && c !== cells[cells.length - 1] && CODE.test(t) && !/^\d{1,3}$/.test(t)) {
        productCode ??= { text: t, start: c.start - line.start, end: c.end - line.start };
        start = Math.max(start, c.end - line.start);
      } else if (cells.length > 1 && c !== cells[cells.length - 1] && /^\d{1,3}$/.test(t)) start = Math.max(start, c.end - line.start);
      else break;
    }
    let text = line.text.slice(start, e);
    // leading row number ("12 Widget") and article code ("DP-8287 Wartungsvertrag", "998719 Laptop stand")
    for (let k = 0; k < 3; k++) {
      const m = /^(\s*)(\S+)\s+(?=\S)/u.exec(text);
      if (!m) break;
      const tok = m[2]!.replace(/[.)]$/, '');
      const at = start + m[1]!.length;
      const isQuantity = q !== null && q.start === at;
      if (/^\d{1,3}$/.test(tok) && !isQuantity) { start += m[0].length; text = text.slice(m[0].length); continue; }
      if (!isQuantity && /\d/.test(tok) && /^[\p{L}\d][\p{L}\d\-/._]{3,}$/u.test(tok) && /\p{L}{3,}/u.test(text.slice(m[0].length))) {
        productCode ??= { text: tok, start: at, end: at + tok.length };
        start += m[0].length; text = text.slice(m[0].length);
        continue;
      }
      break;
    }
    const lead = text.replace(/^[\s|:;,\-–]+/u, '');
    // a word broken at its hyphen at the end of the row keeps the hyphen ("Kfz-"): the next line continues it
    // (and a comma: the text is cut there, the next line goes on with it: "Ballons: various colors," / "~2000ml")
    const trimmed = /[\p{L}\d]-$|\p{L},$/u.test(lead.trimEnd()) ? lead.trimEnd() : lead.replace(/[\s|:;,\-–€$£]+$/u, '');
    return { text: trimmed, start: start + text.indexOf(trimmed) };
  });
  // a row of digit codes only ("4100130013294 2031": a GTIN and an article number): the last is the article's code
  const digitCodes = pieces.every((x) => !/\p{L}/u.test(x.text)) ? pieces.find((x) => /^\d{4,}\.?(?:\s+\d{4,}\.?)*$/.test(x.text.trim())) : undefined;
  if (digitCodes && !productCode) {
    const code = digitCodes.text.trim().split(/\s+/).pop()!.replace(/\.$/, '');
    const at = line.text.lastIndexOf(code, digitCodes.start + digitCodes.text.length);
    if (at >= digitCodes.start) productCode = { text: code, start: at, end: at + code.length };
  }
  // text, or a word broken at its hyphen ("4-" of "4-Fahrten-Karte" wrapped in a narrow column)
  // (a currency marker alone, "RM" of "5 x 10.57 RM", is no text)
  const texts = pieces.filter((x) => (/\p{L}{2,}/u.test(x.text) || /^[\p{L}\d]+-$/u.test(x.text)) && !CURRENCY_ONLY.test(x.text));
  const longest = texts.sort((x, y) => y.text.length - x.text.length)[0] ?? null;
  /** The description's text and the extent it was read from (a removed identifier leaves the extent as printed). */
  let desc = longest ? { ...longest, end: longest.start + longest.text.length } : null;
  // words under the header's product-code column, ending before the description's title, are the article's code, not its
  // description ("Toolbox 0815 | Stahlcoil" under "Art-Nr-Lief. | Beschreibung"), where the rest starts under that title
  const codeColumn = header?.codeColumn;
  if (desc && codeColumn) {
    const h = line.bbox[3] - line.bbox[1];
    const ws = line.words.filter((w) => w.start >= line.start + desc!.start && w.end <= line.start + desc!.end);
    const cut = ws.findIndex((w) => !(w.bbox[0] >= codeColumn.from - h && w.bbox[2] <= codeColumn.to + 1));
    const rest = cut > 0 ? ws[cut]! : null;
    if (rest && rest.bbox[0] >= codeColumn.to - h && rest.bbox[0] <= codeColumn.to + 2 * h && /\p{L}{2,}/u.test(line.text.slice(rest.start - line.start, desc.end))) {
      const code = line.text.slice(ws[0]!.start - line.start, ws[cut - 1]!.end - line.start);
      if (!productCode && cut === 1 && CODE.test(code)) productCode = { text: code, start: ws[0]!.start - line.start, end: ws[0]!.end - line.start };
      const start = rest.start - line.start;
      desc = { text: line.text.slice(start, desc.end), start, end: desc.end };
    }
  }
  // a labelled GTIN/EAN inside the text is an identifier, not description ("Trennblätter GTIN: 4012345001235 A4")
  if (desc) {
    const text = desc.text.replace(GTIN_IN_TEXT, ' ').replace(/\s+/g, ' ').trim();
    if (text !== desc.text) desc = /\p{L}{2,}/u.test(text) ? { text, start: desc.start, end: desc.end } : null;
  }
  // codes only ("4123456000014 ZS997", "4123456000021 ÖST250": digits with at most short or capital letter runs): the
  // article's identifiers; its description is printed under the row
  const tokens = desc ? desc.text.split(/\s+/) : [];
  if (desc && tokens.every((t) => CODE.test(t) && !t.endsWith('-')) && (!/\p{L}{3,}/u.test(desc.text) || !/\p{Ll}/u.test(desc.text))) {
    const code = [...tokens].reverse().find((t) => /\p{L}/u.test(t)) ?? null;
    const at = code ? line.text.lastIndexOf(code, desc.end - code.length) : -1;
    // of the codes the article number is the one with letters (a GTIN is digits only)
    const pcText = (productCode as { text: string } | null)?.text ?? null;
    if (code && (pcText === null || !/\p{L}/u.test(pcText)) && at >= desc.start) productCode = { text: code, start: at, end: at + code.length };
    desc = null;
  }
  // the row's percentage, else a plain rate in its own cell under the header's tax column ("MwSt-%" over "19,0")
  const taxRate = percents.find((x) => x.value !== fit.discount) ?? (() => {
    const taxX = header?.taxX;
    if (taxX == null) return null;
    const others = [header!.qtyX, header!.priceX].filter((x): x is number => x !== null);
    const n = nums.find((x) => !x.money && x.ownCell && !used.includes(x) && Number(x.value) <= 30
      && others.every((o) => Math.abs(x.x - taxX) < Math.abs(x.x - o)) && Math.abs(x.x - taxX) < 40);
    return n ? { value: n.value, start: n.start, end: n.end } : null;
  })();
  const item: LineItem = {
    description: desc ? desc.text.replace(/\s+/g, ' ') : null,
    quantity: q ? q.value : null,
    unit: unit?.text ?? null,
    unitPrice: p ? p.value : null,
    amount: a.value,
    taxRate: taxRate && Number(taxRate.value) <= 30 ? String(Number(taxRate.value)) : null,
    productCode: (productCode as { text: string } | null)?.text ?? null,
  };
  const spans: ItemRow['spans'] = {};
  const at = (s: number, e: number): [number, number] => [line.start + s, line.start + e];
  if (desc) spans.description = at(desc.start, desc.end);
  if (q) spans.quantity = at(q.start, q.end);
  if (p) spans.unitPrice = at(p.start, p.end);
  spans.amount = at(a.start, a.end);
  if (unit) spans.unit = at(unit.start, unit.end);
  if (taxRate && item.taxRate) spans.taxRate = at(taxRate.start, taxRate.end);
  const pc = productCode as { text: string; start: number; end: number } | null;
  if (pc) spans.productCode = at(pc.start, pc.end);
  const descCell = desc ? Math.max(0, line.cells.findIndex((c) => c.end - line.start > desc.start)) : 0;
  return { row: { item, lines: [line.index], spans, fit: fit.fit }, descCell, taxLine: fit.fit === 'amount-only' && isTaxLine(nums, percents, a) };
}

/**
 * Whether the line, right under a row that states only its amount, gives that row's quantity and
 * unit price: two of its numbers multiply to the amount, and it holds no other text than short
 * words (a unit, "x", a currency). The row takes them (its fit becomes the product's).
 */
function quantityUnder(line: TableLine, last: { row: ItemRow; line: TableLine }, mark: DecimalMark | undefined): boolean {
  const { row } = last;
  const h = last.line.bbox[3] - last.line.bbox[1];
  if (line.page !== last.line.page || line.bbox[1] - last.line.bbox[3] > 0.8 * h || row.item.amount === null || row.spans.quantity) return false;
  if ((line.text.match(/\p{L}+/gu) ?? []).some((w) => w.length > 5) || labels().find(line.text).length > 0) return false;
  const { nums } = numbersOf(line, mark);
  if (nums.length < 2 || nums.length > 3) return false;
  const amount = row.item.amount;
  for (const q of nums) for (const p of nums) {
    if (q === p || q.start > p.start || Number(q.value) === 0) continue;
    if (!approxEqual(mul(q.value, p.value), amount, tolerance(q.value))) continue;
    row.item.quantity = q.value; row.item.unitPrice = p.value;
    row.spans.quantity = [line.start + q.start, line.start + q.end];
    row.spans.unitPrice = [line.start + p.start, line.start + p.end];
    const unit = UNIT_WORD.exec(line.text.slice(q.end));
    if (unit && !/^[x×]$/iu.test(unit[1]!) && !row.item.unit) {
      row.item.unit = unit[1]!;
      const at = q.end + unit[0].length - unit[1]!.length;
      row.spans.unit = [line.start + at, line.start + at + unit[1]!.length];
    }
    row.fit = 'product';
    row.lines.push(line.index);
    last.line = line;
    return true;
  }
  return false;
}

/** A line that starts with a label ("Liefer-Datum: 01.09.2013", "Bestell-Nr: B61"): a note, never the description over a row. */
const LABEL_START = /^\s*\p{L}[\p{L}\d.\-/]*\s?:/u;

/** Where a row's numbers start (the left edge of its quantity, price or amount), for the description column's right edge. */
const rowNumbersX = new WeakMap<ItemRow, number[]>();
function numbersX(row: ItemRow, descX: number): number { return Math.min(...(rowNumbersX.get(row) ?? []).filter((x) => x > descX), Number.POSITIVE_INFINITY); }

/** Derives quantity 1 and the unit price of a row that states only its amount. */
function settle(row: ItemRow): ItemRow {
  if (row.fit !== 'amount-only' || row.item.amount === null) return row;
  return { ...row, item: { ...row.item, quantity: '1', unitPrice: row.item.amount } };
}

/** The block of item-like lines right above the first total, for documents without a header row. */
function headlessRegion(lines: readonly TableLine[], hits: PhraseHit[][], mark: DecimalMark | undefined): number[] {
  const end = lines.findIndex((l, i) => endsTable(l, hits[i]!, mark) && moneyIn(l.text, 0, mark).length > 0);
  if (end <= 0) return [];
  const out: number[] = [];
  for (let i = end - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.page !== lines[end]!.page || hits[i]!.length > 0 && hits[i]!.some((h) => h.key !== 'notTotal' || isCarry(h))) break;
    const amounts = moneyIn(l.text, 0, mark);
    if (amounts.length > 2) break;
    if (amounts.length === 0 && !/\p{L}{3,}/u.test(l.text)) break;
    out.unshift(i);
  }
  return out;
}


export function readLineItems(input: readonly TableLine[], mark: DecimalMark | undefined): ItemRow[] {
  const lines = topToBottom(baselineRows(visualRows(input)));
  const hits = lines.map((l) => labels().find(l.text));
  const rows: ItemRow[] = [];
  const headerLike = (i: number) => isHeader(lines[i]!, mark) || isStructuralHeader(lines, i, hits, mark);
  const headerAt = lines.findIndex((_, i) => headerLike(i));
  const region = headerAt < 0 ? new Set(headlessRegion(lines, hits, mark)) : null;
  let inTable = false;
  let header: Header | null = null;
  let pending: TableLine | null = null;
  /** The last item and the x where its table's descriptions start (a row whose text is below its numbers takes it from there). */
  let last: { row: ItemRow; line: TableLine } | null = null;
  let descX: number | null = null;
  /** The header's titles while no line has been read under them (a second line of titles may follow). */
  let titles: TableLine | null = null;
  /** Each table's rows and the description lines read under its header before its first row, for regroup(). */
  let table: Table = { rows: [], lead: [], loose: [] };
  const tables: Table[] = [table];
  const parts = new Map<ItemRow, RowParts>();
  /** The row number printed before the last item, where the table numbers its rows. */
  let lastNumber: number | null = null;
  const parseAt = (k: number, l: TableLine | null = lines[k] ?? null) => (l && moneyIn(l.text, 0, mark).length > 0 ? parseRow(l, mark, header) : null);
  for (const [i, raw] of lines.entries()) {
    let line = raw;
    let h = hits[i]!;
    if (region) {
      if (!region.has(i)) continue;
    } else {
      if (isHeader(line, mark) || (!inTable && isStructuralHeader(lines, i, hits, mark))) { inTable = true; header = headerOf(line); titles = line; pending = null; last = null; descX = null; table = { rows: [], lead: [], loose: [] }; tables.push(table); continue; }
      if (!inTable) continue;
      // column titles printed on two lines ("Einzel-" / "preis", "Line" / "Total"): the second line is the header's, not a total
      const below: TableLine | null = titles ? titlesBelow(titles, line) : null;
      titles = below;
      if (below) { header = headerOf(below); continue; }
      if (endsTable(line, h, mark)) { inTable = false; continue; }
      // text printed up the margin, read into the rows, is not the table's
      const clipped = withoutMarginText(line);
      if (!clipped) continue;
      // bank or contact details in a column beside the table are not the row's
      line = withoutSideCells(clipped, mark, header);
      if (line !== clipped) h = labels().find(line.text);
    }
    if (h.some(isCarry)) { pending = null; last = null; continue; }
    // the quantity and unit price printed under a row that states its amount ("Beratung  243,63" / "1,5 x 162,42")
    if (last && last.row.fit === 'amount-only' && quantityUnder(line, last, mark)) continue;
    const parsed = parseAt(i, line);
    // a payment, tax-id, contact or page label: an item only if its numbers multiply out ("Website maintenance")
    if (h.some((x) => BLOCKING.has(x.key)) && (!parsed || (parsed.row.fit !== 'product' && parsed.row.fit !== 'discounted'))) {
      pending = null; last = null; if (table.rows.length === 0) table.lead = []; continue;
    }
    // a number printed inside the description column under a row ("Stadtfahrt" / "- 2,00" / "Euro je") is the description's
    const inColumnNumber = parsed !== null && parsed.row.fit === 'amount-only' && !parsed.row.item.description && last !== null && descX !== null
      && continuation(line, last.line, descX, numbersX(last.row, descX), last.row.item.description)?.whole === true;
    if (!parsed || inColumnNumber) {
      // a description line over a quantity-and-price line ("BIN BAGS" / "2 x 20.68  41.36") belongs to that line
      const nextRow = parseAt(i + 1, lines[i + 1] ? (region ? lines[i + 1]! : withoutMarginText(lines[i + 1]!)) : null);
      const introduces = nextRow !== null && !nextRow.row.item.description && nextRow.row.fit === 'product';
      const cont = !introduces && last && descX !== null ? continuation(line, last.line, descX, numbersX(last.row, descX), last.row.item.description) : null;
      if (cont && last) {
        const d = last.row.item.description;
        // a word broken at its hyphen joins without a space ("Kfz-" / "Haftpflicht", "4-" / "Fahrten" / "-Karte")
        const text = cont.text.replace(/\s+/g, ' ');
        last.row.item.description = d ? (/[\p{L}\d]-$/u.test(d) || /^-\p{L}/u.test(text) ? `${d}${text}` : `${d} ${text}`) : text;
        last.row.spans.description = [last.row.spans.description?.[0] ?? cont.start, cont.end];
        if (cont.code && !last.row.item.productCode && last.row.lines.length === 1) {
          last.row.item.productCode = cont.code.text;
          last.row.spans.productCode = [cont.code.start, cont.code.end];
        }
        last.row.lines.push(line.index);
        parts.get(last.row)?.below.push({ top: line.bbox[1], bottom: line.bbox[3], left: line.words.find((w) => w.start >= cont.start)?.bbox[0] ?? line.bbox[0], text, start: cont.start, end: cont.end, index: line.index });
        last.line = line;
      } else if (/\p{L}{3,}/u.test(line.text) && !/\d{5,}/.test(line.text) && !LABEL_START.test(line.text)) {
        pending = line; last = null;
        if (table.rows.length === 0) table.lead.push(wholeLine(line)); else table.loose.push(wholeLine(line));
      } else { pending = null; last = null; if (table.rows.length === 0) table.lead = []; }
      continue;
    }
    const { row } = parsed;
    // an allowance, charge or tax line among the rows is the document's, unless its numbers multiply out like an item's
    // (a row numbered next after the last item's number is an item whatever it names: "2 | Ökosteuer | 0,0205 | 10000 KWH | 20,50")
    const rowNumber = line.cells.length > 1 && /^\d{1,3}$/.test(line.cells[0]!.text.trim()) ? Number(line.cells[0]!.text) : null;
    const numbered = rowNumber !== null && lastNumber !== null && rowNumber === lastNumber + 1;
    if (row.fit !== 'product' && row.fit !== 'discounted' && !numbered && (namesDocumentAmount(h) || parsed.taxLine)) { pending = null; last = null; continue; }
    // the items' subtotal under another name ends the table ("Goods value", a page's carried total)
    if (isRunningSum(row, rows)) { if (!region) inTable = false; pending = null; last = null; continue; }
    // a description line over its numbers stands right above them, on the same page
    if (pending && (pending.page !== line.page || line.bbox[1] - pending.bbox[3] > 1.2 * (line.bbox[3] - line.bbox[1]))) pending = null;
    const own = row.item.description && row.spans.description
      ? { top: line.bbox[1], bottom: line.bbox[3], left: line.words.find((w) => w.end > row.spans.description![0])?.bbox[0] ?? line.bbox[0], text: row.item.description, start: row.spans.description[0], end: row.spans.description[1], index: line.index } : null;
    parts.set(row, { line, own, above: [], below: [] });
    // a row of codes only has its description under it, not over it
    if (!row.item.description && pending && row.fit !== 'amount-only' && !row.spans.productCode) {
      parts.get(row)!.above.push(wholeLine(pending));
      row.item.description = pending.text.trim();
      row.spans.description = [pending.start, pending.end];
      row.lines.unshift(pending.index);
    }
    pending = null;
    if (row.item.description) {
      const c = line.cells[parsed.descCell];
      // (a description taken from the line over the numbers starts where that line does)
      const over = parts.get(row)!.above[0];
      if (over) descX = over.left; else if (c) descX = c.bbox[0];
    } else if (row.fit !== 'product' && row.fit !== 'discounted') { last = null; continue; }
    else if (row.spans.productCode) {
      // codes only: the description below starts under the article code
      const [codeStart, codeEnd] = row.spans.productCode;
      const w = line.words.find((x) => x.start >= codeStart && x.end <= codeEnd);
      // (only where the column is not known yet: of several codes the one beside the description is not always the one read)
      if (w && descX === null) descX = w.bbox[0];
    }
    // a row without text stays only if the lines below give it one (its description printed under its numbers)
    const starts = (['quantity', 'unitPrice', 'amount'] as const).map((c) => row.spans[c]?.[0]).filter((x): x is number => x !== undefined);
    rowNumbersX.set(row, starts.map((st) => line.words.find((w) => w.end > st)?.bbox[0]).filter((x): x is number => x !== undefined));
    rows.push(row);
    table.rows.push(row);
    if (rowNumber !== null) lastNumber = rowNumber;
    last = { row, line };
  }
  for (const t of tables) regroup(t, parts);
  return rows.filter((r) => r.item.description).map(settle);
}

/** A line of a row's description, with where it stands. */
interface Piece { top: number; bottom: number; left: number; text: string; start: number; end: number; index: number }
interface RowParts { line: TableLine; own: Piece | null; above: Piece[]; below: Piece[] }
interface Table { rows: ItemRow[]; lead: Piece[]; loose: Piece[] }
const wholeLine = (l: TableLine): Piece => {
  const t = l.text.trim();
  const at = l.start + l.text.indexOf(t);
  return { top: l.bbox[1], bottom: l.bbox[3], left: l.words[0]?.bbox[0] ?? l.bbox[0], text: t.replace(/\s+/g, ' '), start: at, end: at + t.length, index: l.index };
};

/**
 * Rows whose numbers stand beside the middle or the last line of their description, not the first
 * (cells centred, as an HTML table's are unless styled, or aligned to the bottom): the reader above
 * takes the description lines between two rows' numbers for the upper row's continuation, or drops
 * them. Where the table shows it prints numbers lower, by description lines right over its first
 * row's numbers (under the header, each right under the one before), the lines are dealt again by
 * where they stand: centred, each row's lines reach as far under its numbers as over them (from
 * the top down, a row's first line fixes its last); at the bottom, the lines between two rows open
 * the lower one and no line follows the last row's numbers. A dealing that leaves a line over or
 * leaves a row off centre is no reading; of two readings, the one whose rows part at the wider
 * vertical gaps (row padding), centred where they tie; neither: the reading stays as it was. Where
 * only the first row would gain lines, they may be a note over the table, and the reading stays.
 */
function regroup(t: Table, parts: Map<ItemRow, RowParts>): void {
  const rows = t.rows.filter((r) => parts.has(r));
  const ps = rows.map((r) => parts.get(r)!);
  if (ps.length === 0) return;
  const first = ps[0]!;
  const h = first.line.bbox[3] - first.line.bbox[1];
  const page = first.line.page;
  if (ps.some((p) => p.line.page !== page)) return;
  const seen = new Set<number>(ps.map((p) => p.line.index));
  const pieces: Piece[] = [];
  // the description column: where the rows' own descriptions start; lines elsewhere (notes, codes) are not dealt
  const owns = ps.flatMap((p) => (p.own ? [p.own.left] : []));
  if (owns.length === 0) return;
  const column = Math.min(...owns);
  const inColumn = (p: Piece) => Math.abs(p.left - column) <= h && !/:$/.test(p.text);
  for (const p of [...t.lead, ...t.loose, ...ps.flatMap((x) => [...x.above, ...x.below])]) {
    if (seen.has(p.index)) continue;
    seen.add(p.index);
    // a line elsewhere between the rows: the table holds more than descriptions, its reading stays
    if (!inColumn(p)) { if (p.top >= first.line.bbox[1]) return; continue; }
    pieces.push(p);
  }
  pieces.sort((x, y) => x.top - y.top);
  const numTop = (p: RowParts) => p.line.bbox[1];
  // the lead: lines right over the first row's numbers, each right under the one before; lines higher up are the table's notes
  const over = pieces.filter((p) => p.bottom <= numTop(first) + h / 2);
  let edge = numTop(first); let from = over.length;
  while (from > 0 && edge - over[from - 1]!.bottom <= 0.8 * h && over[from - 1]!.top < edge) { from--; edge = over[from]!.top; }
  const body = pieces.filter((p) => p.top >= edge - 0.1);
  if (body.length === 0) return;
  const lead = from < over.length;
  const numbersOf = (i: number) => ps[i]!.line;
  /** The pieces between the numbers of row i-1 and row i (i = 0: over the first; i = n: under the last). */
  const between = (i: number) => body.filter((p) => (i === 0 || p.top >= numbersOf(i - 1).bbox[1] + h / 4) && (i === ps.length || p.bottom <= numbersOf(i).bbox[3] - h / 4));
  const gaps = Array.from({ length: ps.length + 1 }, (_, i) => between(i));
  if (gaps.reduce((n, g) => n + g.length, 0) !== body.length) return;
  type Deal = { above: Piece[][]; below: Piece[][] };
  const blockTop = (i: number, d: Deal) => Math.min(ps[i]!.own ? numbersOf(i).bbox[1] : Infinity, ...d.above[i]!.map((p) => p.top), ...d.below[i]!.map((p) => p.top));
  // at the top: every row's lines start beside its numbers
  const topped = ((): Deal | null => {
    const deal: Deal = { above: ps.map(() => []), below: gaps.slice(1) };
    return gaps[0]!.length === 0 && ps.every((_, i) => Math.abs(blockTop(i, deal) - numbersOf(i).bbox[1]) <= h / 3) ? deal : null;
  })();
  const centred = ((): Deal | null => {
    const deal: Deal = { above: ps.map(() => []), below: ps.map(() => []) };
    let take = gaps[0]!;
    for (let i = 0; i < ps.length; i++) {
      const line = numbersOf(i);
      deal.above[i] = take;
      const top = Math.min(line.bbox[1], ...take.map((p) => p.top));
      const reach = 2 * ((line.bbox[1] + line.bbox[3]) / 2) - top;
      const next = gaps[i + 1]!;
      const k = next.filter((p) => p.bottom <= reach + h / 3).length;
      deal.below[i] = next.slice(0, k);
      const bottom = Math.max(line.bbox[3], ...deal.below[i]!.map((p) => p.bottom));
      if (Math.abs((top + bottom) / 2 - (line.bbox[1] + line.bbox[3]) / 2) > h / 3) return null;
      take = next.slice(k);
    }
    return take.length === 0 ? deal : null;
  })();
  const bottomed = gaps[ps.length]!.length === 0 && ps.every((p) => p.own) ? { above: gaps.slice(0, ps.length), below: ps.map(() => []) } : null;
  /** The vertical gap where the reading parts row j from row j + 1 (row padding makes it wider). */
  const gapAt = (d: Deal, j: number) => Math.min(numbersOf(j + 1).bbox[1], ...d.above[j + 1]!.map((p) => p.top)) - Math.max(numbersOf(j).bbox[3], ...d.below[j]!.map((p) => p.bottom));
  /** Whether reading d parts the rows at wider gaps than e where the two part them differently (by a quarter line each). */
  const wider = (d: Deal, e: Deal) => {
    const differ = ps.slice(1).map((_, j) => j).filter((j) => Math.abs(gapAt(d, j) - gapAt(e, j)) > 0.01);
    return differ.length > 0 && differ.reduce((sum, j) => sum + gapAt(d, j) - gapAt(e, j), 0) > differ.length * h / 4;
  };
  // the first reading that holds, unless a later one parts the rows at clearly wider gaps
  const deals = [topped, centred, bottomed].filter((d): d is Deal => d !== null);
  const deal = deals.filter((d) => ps.every((p, i) => p.own || d.above[i]!.length + d.below[i]!.length > 0))
    .reduce<Deal | null>((best, d) => (!best || wider(d, best) ? d : best), null);
  // numbers at the top, or nothing shows they stand lower (lines over the first row's numbers, or rows that cannot start beside them): the reading above stands
  if (!deal || deal === topped || (!lead && topped !== null && !wider(deal, topped))) return;
  // a line over the first row alone may be a note ("All amounts in EUR"): a later row must take lines over or under its numbers too
  if (!ps.some((_, i) => i > 0 && deal.above[i]!.length + deal.below[i]!.length > 0)) return;
  rows.forEach((row, i) => {
    const p = ps[i]!;
    const all = [...deal.above[i]!, ...(p.own ? [p.own] : []), ...deal.below[i]!].sort((a, b) => a.top - b.top);
    if (all.length === 0) { row.item.description = null; return; }
    row.item.description = all.map((x) => x.text).reduce((d, x) => (/[\p{L}\d]-$/u.test(d) || /^-\p{L}/u.test(x) ? `${d}${x}` : `${d} ${x}`));
    row.spans.description = [Math.min(...all.map((x) => x.start)), Math.max(...all.map((x) => x.end))];
    row.lines = [...new Set([...all.map((x) => x.index), p.line.index])].sort((a, b) => a - b);
  });
}

/**
 * Text continuing an item's description on the line below: the words in the description column
 * (from its left edge to where the row's numbers start), no label, no long digit run; the line's
 * other words may be codes and GTINs in their own column ("KR3M | grün 3m", "4012345001235
 * breit"), never other text or amounts. A code left of the column, on the first continuation line,
 * is the item's product code when it has none. A line wholly inside the column may be short text
 * without letters ("%)", "1"); where the description so far is visibly cut (it ends in a comma or
 * inside an open bracket) or the line goes on in lower case ("invoice", "~2000ml"), the line
 * continues it whatever words or digits it holds. `desc` is the description so far (null under
 * a row of codes only, whose first line below is its description whatever it names).
 */
function continuation(line: TableLine, prev: TableLine, descX: number, numbersX: number, desc: string | null): { text: string; start: number; end: number; whole: boolean; code: { text: string; start: number; end: number } | null } | null {
  if (line.page !== prev.page) return null;
  const h = prev.bbox[3] - prev.bbox[1];
  if (line.bbox[1] - prev.bbox[3] > 0.8 * h) return null;
  // the words from the column's left edge on, also where the text runs on past the column's right edge in the same cell
  const inColumn = line.cells.flatMap((c) => {
    const ws = line.words.filter((w) => w.start >= c.start && w.end <= c.end);
    const from = ws.findIndex((w) => w.bbox[0] >= descX - h && w.bbox[0] < numbersX - h / 2);
    return from < 0 ? [] : ws.slice(from);
  });
  const outside = line.words.filter((w) => !inColumn.includes(w));
  if (inColumn.length === 0 || outside.some((w) => /\p{L}{4,}/u.test(w.text) && !/\d/.test(w.text))) return null;
  if (outside.some((w) => w.bbox[0] >= numbersX - h / 2)) return null;
  const first = inColumn[0]!; const last = inColumn[inColumn.length - 1]!;
  const t = line.text.slice(first.start - line.start, last.end - line.start).trim();
  const flat = t.replace(/\s+/g, ' ');
  // wholly in the column and no wider than the line it continues (text wraps at the column's width: "Kommissionierer" / "1250032 D.")
  const prevWidth = Math.max(0, ...prev.cells.filter((c) => c.bbox[0] >= descX - h && c.bbox[0] < numbersX - h / 2).map((c) => c.bbox[2] - c.bbox[0]));
  const whole = outside.length === 0 && last.bbox[2] - first.bbox[0] <= prevWidth + h;
  const cut = desc !== null && (/,$/.test(desc) || (desc.match(/\(/g)?.length ?? 0) > (desc.match(/\)/g)?.length ?? 0) || /^[^\p{L}\d\s]?\p{Ll}/u.test(flat));
  const free = desc === null || cut;
  // a label (ending in a colon: "Preisbasis:") introduces a value, it continues nothing
  if ((!/\p{L}/u.test(t) && !(whole && flat.length <= 12)) || (!free && !whole && /\d{4,}/.test(t)) || /:/.test(t) || flat.length > 60) return null;
  // a label word continues nothing, unless the description is visibly cut or has none yet
  if (labels().find(t).some((x) => !free || BLOCKING.has(x.key))) return null;
  const codeWord = outside.find((w) => w.bbox[2] <= descX && CODE.test(w.text) && /\p{L}/u.test(w.text) && w.text.length <= 20);
  return { text: t, start: first.start, end: first.start + t.length, whole, code: codeWord ? { text: codeWord.text, start: codeWord.start, end: codeWord.end } : null };
}

/** The extractor's entry point: items of the layout's lines, and how many multiply out. */
export function findLineItems(layout: Layout, mark: DecimalMark | undefined): { items: LineItem[]; checked: number } {
  const rows = readLineItems(layout.lines, mark);
  return { items: rows.map((r) => r.item), checked: rows.filter((r) => r.fit === 'product' || r.fit === 'discounted').length };
}

export function sumItems(items: LineItem[]): string | null {
  const amounts = items.map((i) => i.amount).filter((a): a is string => !!a);
  return amounts.length ? add(...amounts) : null;
}
