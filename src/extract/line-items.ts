import type { LineItem } from '../core/invoice-record.js';
import { add, approxEqual, mul } from './decimal.js';
import { labels } from '../lexicon/index.js';
import { amountsIn } from './candidates.js';
import type { Layout } from './layout.js';
import { parseMoney, type DecimalMark } from './normalize-money.js';

const HEADER_WORDS = /\b(?:qty|quantity|menge|anzahl|quantit[ée]|cantidad|quantit[àa]|aantal|description|bezeichnung|beschreibung|artikel|d[ée]signation|descripci[óo]n|descrizione|omschrijving|product|produkt|item|price|preis|prix|precio|prezzo|prijs|amount|betrag|montant|importe|importo|bedrag|total|gesamt)\b/gi;

/**
 * Table rows between a header row (two or more column words) and the totals block. A row is an item
 * when it has a description and an amount; quantity and unit price are kept only when
 * quantity x unit price = amount (to the cent), so that a misread column never yields a wrong item.
 */
export function findLineItems(layout: Layout, mark: DecimalMark | undefined): { items: LineItem[]; checked: number } {
  const items: LineItem[] = [];
  let checked = 0;
  let inTable = false;
  for (const line of layout.lines) {
    const headerHits = new Set((line.text.match(HEADER_WORDS) ?? []).map((w) => w.toLowerCase()));
    if (!inTable) {
      if (headerHits.size >= 2 && amountsIn(line.text, 0, mark).length === 0) inTable = true;
      continue;
    }
    const concepts = new Set(labels().find(line.text).map((h) => h.key));
    if ((concepts.has('total') || concepts.has('subtotal')) && !/^\s*\d/.test(line.text)) break;
    if (concepts.has('tax') && amountsIn(line.text, 0, mark).length <= 2 && !/^\s*\d/.test(line.text)) break;
    const amounts = amountsIn(line.text, 0, mark, false).filter((a) => !/%/.test(line.text.slice(a.end, a.end + 2)));
    const description = line.cells.map((c) => c.text).filter((t) => /\p{L}{3,}/u.test(t)).sort((a, b) => b.length - a.length)[0] ?? null;
    if (amounts.length === 0 || !description) continue;
    const amount = amounts[amounts.length - 1]!.value;
    let quantity: string | null = null; let unitPrice: string | null = null;
    // every (quantity, unit price) pair among the numbers before the amount; the one that multiplies out wins
    const nums = amounts.slice(0, -1).map((a) => a.value);
    const plain = [...line.text.matchAll(/(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,%])/g)].map((m) => parseMoney(m[0], { decimalMark: mark })?.value).filter((v): v is string => !!v);
    outer: for (const q of [...nums, ...plain]) {
      for (const u of nums) {
        if (q === u && nums.filter((x) => x === u).length < 2) continue;
        if (approxEqual(mul(q, u), amount, '0.01')) { quantity = q; unitPrice = u; break outer; }
      }
    }
    if (quantity) checked++;
    items.push({ description, quantity, unit: null, unitPrice, amount, taxRate: null, productCode: null });
  }
  return { items, checked };
}

export function sumItems(items: LineItem[]): string | null {
  const amounts = items.map((i) => i.amount).filter((a): a is string => !!a);
  return amounts.length ? add(...amounts) : null;
}
