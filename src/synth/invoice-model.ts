/**
 * The invoice before it is drawn: parties, numbers, dates, line items and the arithmetic, all in
 * integer cents. Rules (documented because the tests check them):
 *  - net pricing: line amount = round(qty x unit price x (1 - discount)); subtotal (the record's) =
 *    sum of line amounts - document discount + shipping; tax per rate = round(base x rate) on the
 *    rate's total ('total' rounding) or the sum of per-line rounded taxes ('line' rounding);
 *    India splits each rate into CGST + SGST halves, each rounded; total = subtotal + tax.
 *  - gross pricing (till receipts, some B2C): line amounts include tax; total = sum of line amounts
 *    + shipping; tax per rate = round(gross x r / (1 + r)); subtotal = total - tax.
 *  - credit notes: unit prices and every amount negative; quantities positive.
 */
import { type CalendarDate, type DateFormat, addDays, fromEpochDay } from './dates.js';
import { LABELS, type LabelSet } from './labels-text.js';
import { drawLabel, type LabelUse } from './label-vocab.js';
import { PRODUCTS, RECEIPT_ITEMS } from './locale-data.js';
import { LOCALES, chooseMoneyStyle, type LocaleId, type LocaleSpec } from './locales.js';
import { NUMBER_STYLES, lineAmount, percentOf, taxInGross, type MoneyStyle, type NumberStyle } from './money.js';
import { makeParty, type Party } from './parties.js';
import type { Rng } from './prng.js';
import { tagline } from './layout-parties.js';
import { winAnsi } from './win-ansi.js';

export const LAYOUT_FAMILIES = [
  'letterhead-left', 'letterhead-right', 'letterhead-centred', 'din-5008', 'two-column-parties', 'unruled-plain',
  'grid-boxed', 'amount-due-top', 'banner', 'sidebar', 'multi-page', 'credit-note', 'till-receipt', 'gst-tax-invoice',
  // families of layouts seen on real e-invoices (layout-parties.ts, layout-payment.ts)
  'form-parties', 'brand-header', 'factoring-payee', 'two-column-header', 'din-window-delivery', 'payment-table', 'terms-due-date',
  'tax-breakdown', 'title-number',
] as const;
export type LayoutFamily = (typeof LAYOUT_FAMILIES)[number];

export interface InvoiceLine {
  description: string;
  code: string | null;
  quantityMilli: number;
  unit: string | null;
  unitCents: number;
  discountBp: number;
  taxBp: number;
  amountCents: number;
}

export interface TaxGroup { label: string; rateBp: number; baseCents: number; taxCents: number }

export interface InvoiceModel {
  locale: LocaleSpec;
  labels: LabelSet;
  layout: LayoutFamily;
  kind: 'invoice' | 'credit-note' | 'receipt' | 'tax-invoice';
  vendor: Party;
  customer: Party | null;
  shipTo: string[] | null;
  invoiceNumber: string;
  refInvoiceNumber: string | null;
  refInvoiceDate: CalendarDate | null;
  customerNumber: string | null;
  orderNumber: string | null;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate | null;
  deliveryDate: CalendarDate | null;
  orderDate: CalendarDate | null;
  paymentDays: number | null;
  currency: string;
  number: NumberStyle;
  money: MoneyStyle;
  dateFormat: DateFormat;
  pricesIncludeTax: boolean;
  taxRounding: 'line' | 'total';
  lines: InvoiceLine[];
  itemsCents: number;
  discount: { rateBp: number; cents: number } | null;
  shipping: { cents: number; taxBp: number } | null;
  taxes: TaxGroup[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** Cash tendered on receipts. */
  tenderedCents: number | null;
  /** A brand and tagline printed above the legal vendor name (brand-header family). */
  brand?: { name: string; tagline: string | null } | null;
  /** A payee (factoring company) printed above the supplier (factoring-payee family); never the record's vendor. */
  payee?: Party | null;
  /** The name line of the delivery block, when it has one. */
  shipToName?: string | null;
  /** Labels chosen while building the model (the tax name), before the printer's. */
  labelUses?: LabelUse[];
}

function invoiceNumber(rng: Rng, spec: LocaleSpec, date: CalendarDate, kind: InvoiceModel['kind']): string {
  const y = date.y;
  const n = rng.int(1, 99999);
  const prefix = kind === 'credit-note'
    ? rng.pick(['CN', 'GS', 'AV', 'NC', 'CR'])
    : rng.pick(({ en: ['INV', 'IN', 'SI'], de: ['RE', 'R', 'RG'], fr: ['FA', 'F', 'FAC'], es: ['FRA', 'F', 'FV'], it: ['FT', 'FATT'], nl: ['F', 'FAC', 'INV'] } as Record<string, string[]>)[spec.language]!);
  return rng.weighted<string>([
    [`${prefix}-${y}-${String(n).padStart(5, '0')}`, 25],
    [`${prefix}${y}${String(n % 10000).padStart(4, '0')}`, 15],
    [`${y}/${String(n % 1000).padStart(3, '0')}`, 10],
    [`${prefix}-${String(n).padStart(6, '0')}`, 15],
    [String(rng.int(10000, 9999999)), 15],
    [spec.id === 'en-IN' ? `INV/${y % 100}-${(y % 100) + 1}/${String(n % 10000).padStart(4, '0')}` : `${prefix}/${String(n).padStart(5, '0')}`, 10],
    [`${rng.letters(1)}${rng.digits(2)}-${rng.digits(5)}`, 10],
  ]);
}

function makeLines(rng: Rng, spec: LocaleSpec, labels: LabelSet, count: number, receipt: boolean, sign: 1 | -1): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  const rates = spec.taxRates;
  const multiRate = rates.length > 1 && rng.chance(receipt ? 0.6 : 0.3);
  const lineDiscounts = !receipt && rng.chance(0.25);
  const fractional = rng.chance(0.2);
  for (let i = 0; i < count; i++) {
    const description = winAnsi(receipt ? rng.pick(RECEIPT_ITEMS[spec.language]) : rng.pick(PRODUCTS[spec.language])
      + (rng.chance(0.2) ? ` ${rng.pick(['-', '/'])} ${rng.letters(2)}${rng.digits(3)}` : ''));
    // Price bands pair with plausible quantities: bulk items are cheap, big tickets come singly.
    const band = rng.weighted([['cheap', 45], ['mid', 40], ['dear', 15]] as const);
    const unitCents = receipt ? rng.int(25, 2500)
      : band === 'cheap' ? rng.int(20, 4000) : band === 'mid' ? rng.int(4000, 40000) : rng.int(40000, 600000);
    const quantityMilli = receipt
      ? (rng.chance(0.75) ? 1000 : rng.int(2, 6) * 1000)
      : fractional && rng.chance(0.5) ? rng.int(1, band === 'cheap' ? 200 : 40) * 250
        : band === 'cheap' ? rng.weighted([[1000, 20], [rng.int(2, 20) * 1000, 50], [rng.int(21, 500) * 1000, 30]])
          : band === 'mid' ? rng.weighted([[1000, 50], [rng.int(2, 12) * 1000, 50]])
            : rng.weighted([[1000, 80], [rng.int(2, 3) * 1000, 20]]);
    const discountBp = lineDiscounts && rng.chance(0.4) ? rng.pick([500, 1000, 1500, 250, 2000, 300]) : 0;
    const taxBp = multiRate ? rng.pick(rates) : rates[0]!;
    const signedUnit = sign * unitCents;
    lines.push({
      // India prints HSN/SAC codes (digits); elsewhere an article number, sometimes.
      description, code: spec.country === 'IN' ? rng.pick(['8471', '847130', '998314', '9983', '4819', '85444299', '940310', '998719'])
        : rng.chance(0.35) ? `${rng.letters(2)}-${rng.digits(4)}` : null,
      quantityMilli, unit: rng.chance(0.5) ? rng.pick(labels.units) : null,
      unitCents: signedUnit, discountBp, taxBp, amountCents: lineAmount(quantityMilli, signedUnit, discountBp),
    });
  }
  return lines;
}

/** A brand: a short word or initials, different from the legal name's words; a tagline half the time. */
function makeBrand(rng: Rng, spec: LocaleSpec, vendor: Party): { name: string; tagline: string | null } {
  const words = vendor.name.split(' ').filter((x) => /^[A-Za-z]{3,}$/.test(x));
  const initials = words.slice(0, 3).map((x) => x[0]!.toUpperCase()).join('');
  const coined = `${rng.pick(['Nova', 'Blue', 'Prime', 'Alto', 'Vita', 'Terra', 'Luma', 'Astra', 'Orbi', 'Flex'])}${rng.pick(['line', 'works', 'tec', 'point', 'box', 'go', 'lab', ''])}`;
  const name = rng.weighted<string>([[coined, 55], [initials.length >= 2 ? initials : coined, 25], [coined.toUpperCase(), 20]]);
  return { name, tagline: rng.chance(0.55) ? tagline(spec.language, (xs) => rng.pick(xs)) : null };
}

export interface ModelOptions { locale: LocaleId; layout: LayoutFamily }

export function buildInvoiceModel(rng: Rng, options: ModelOptions): InvoiceModel {
  const spec = LOCALES[options.locale];
  const labels = LABELS[spec.language];
  const layout = options.layout;
  // Credit notes (negative amounts) are more common in the tax-breakdown and title-number families, as in e-invoicing.
  const creditShare = layout === 'tax-breakdown' || layout === 'title-number' ? 0.2 : 0.04;
  const kind: InvoiceModel['kind'] = layout === 'credit-note' ? 'credit-note' : layout === 'till-receipt' ? 'receipt'
    : layout === 'gst-tax-invoice' ? 'tax-invoice' : rng.chance(creditShare) ? 'credit-note' : 'invoice';
  const receipt = kind === 'receipt';
  const sign: 1 | -1 = kind === 'credit-note' ? -1 : 1;

  const vendor = makeParty(spec, rng, { kind: 'org', vendor: true });
  const customer = receipt && rng.chance(0.85) ? null : makeParty(spec, rng, { kind: rng.chance(0.22) ? 'person' : 'org', vendor: false });
  const shipParty = customer && !receipt && (layout === 'din-window-delivery' || rng.chance(0.2)) ? makeParty(spec, rng, { kind: 'org', vendor: false }) : null;
  const shipTo = shipParty ? shipParty.addressLines : null;

  const invoiceDate = fromEpochDay(rng.int(17900, 20800)); // 2019-01 .. 2026-12
  const paymentDays = receipt ? null : rng.pick([7, 10, 14, 14, 30, 30, 30, 45, 60]);
  const dueDate = paymentDays !== null && (layout === 'payment-table' || layout === 'terms-due-date' || rng.chance(0.75)) ? addDays(invoiceDate, paymentDays) : null;
  const deliveryDate = !receipt && rng.chance(0.45) ? addDays(invoiceDate, -rng.int(0, 20)) : null;
  const orderDate = !receipt && rng.chance(0.3) ? addDays(invoiceDate, -rng.int(5, 40)) : null;

  const currency = rng.weighted(spec.currencies);
  const number = NUMBER_STYLES[rng.weighted(spec.numberStyles)];
  const money = chooseMoneyStyle(rng, spec, currency, number);
  const dateFormat = rng.weighted(spec.dateFormats);

  const count = layout === 'multi-page' ? rng.int(28, 40)
    : receipt ? rng.int(1, 18)
    : rng.weighted([[rng.int(1, 3), 35], [rng.int(4, 8), 40], [rng.int(9, 16), 20], [rng.int(17, 24), 5]]);
  const lines = makeLines(rng, spec, labels, count, receipt, sign);
  const pricesIncludeTax = receipt ? spec.country !== 'US' && spec.country !== 'MY' : rng.chance(0.05);
  const taxRounding: InvoiceModel['taxRounding'] = rng.chance(0.35) ? 'line' : 'total';
  const singleRate = new Set(lines.map((l) => l.taxBp)).size === 1;

  const itemsCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const discount = !receipt && !pricesIncludeTax && singleRate && rng.chance(0.12)
    ? (() => { const rateBp = rng.pick([200, 300, 500, 1000]); return { rateBp, cents: percentOf(itemsCents, rateBp) }; })() : null;
  const shipping = !receipt && rng.chance(0.2) ? { cents: sign * rng.int(300, 4900), taxBp: spec.taxRates[0]! } : null;

  // Taxable base per rate.
  const rates = [...new Set([...lines.map((l) => l.taxBp), ...(shipping ? [shipping.taxBp] : [])])].sort((a, b) => b - a);
  const taxes: TaxGroup[] = [];
  const taxUse = spec.taxNames ? null : drawLabel(rng, spec, labels, 'tax', 'sentence');
  const taxName = taxUse ? taxUse.text : rng.pick(spec.taxNames!);
  const india = spec.country === 'IN' && rng.chance(0.7);
  let subtotalCents: number;
  let totalCents: number;
  if (pricesIncludeTax) {
    totalCents = itemsCents + (shipping?.cents ?? 0);
    for (const rate of rates) {
      const base = lines.filter((l) => l.taxBp === rate).reduce((s, l) => s + l.amountCents, 0) + (shipping && shipping.taxBp === rate ? shipping.cents : 0);
      taxes.push({ label: taxName, rateBp: rate, baseCents: base, taxCents: taxInGross(base, rate) });
    }
    subtotalCents = totalCents - taxes.reduce((s, t) => s + t.taxCents, 0);
  } else {
    subtotalCents = itemsCents - (discount?.cents ?? 0) + (shipping?.cents ?? 0);
    for (const rate of rates) {
      const rateLines = lines.filter((l) => l.taxBp === rate);
      const shipBase = shipping && shipping.taxBp === rate ? shipping.cents : 0;
      const base = rateLines.reduce((s, l) => s + l.amountCents, 0) - (discount?.cents ?? 0) + shipBase;
      const lineTax = (bp: number) => rateLines.reduce((s, l) => s + percentOf(l.amountCents, bp), 0) + percentOf(shipBase, bp);
      const useLine = taxRounding === 'line' && !discount;
      if (india && rate > 0) {
        const half = rate / 2;
        const t = useLine ? lineTax(half) : percentOf(base, half);
        taxes.push({ label: 'CGST', rateBp: half, baseCents: base, taxCents: t }, { label: 'SGST', rateBp: half, baseCents: base, taxCents: t });
      } else {
        taxes.push({ label: taxName, rateBp: rate, baseCents: base, taxCents: useLine ? lineTax(rate) : percentOf(base, rate) });
      }
    }
    totalCents = subtotalCents + taxes.reduce((s, t) => s + t.taxCents, 0);
  }
  const taxCents = taxes.reduce((s, t) => s + t.taxCents, 0);
  const tenderedCents = receipt && rng.chance(0.5) ? Math.ceil(totalCents / 1000 + 0.0001) * 1000 + rng.pick([0, 0, 1000, 2000]) : null;

  return {
    locale: spec, labels, layout, kind, vendor, customer, shipTo,
    invoiceNumber: invoiceNumber(rng, spec, invoiceDate, kind),
    refInvoiceNumber: kind === 'credit-note' ? invoiceNumber(rng, spec, invoiceDate, 'invoice') : null,
    refInvoiceDate: kind === 'credit-note' ? addDays(invoiceDate, -rng.int(3, 60)) : null,
    customerNumber: customer && rng.chance(0.5) ? `${rng.pick(['', 'K', 'C', 'D-'])}${rng.digits(rng.int(4, 7))}` : null,
    orderNumber: !receipt && rng.chance(0.4) ? `${rng.pick(['PO-', 'BE', '', 'ORD-'])}${rng.digits(rng.int(5, 8))}` : null,
    invoiceDate, dueDate, deliveryDate, orderDate, paymentDays,
    currency, number, money, dateFormat, pricesIncludeTax, taxRounding,
    lines, itemsCents, discount, shipping, taxes, subtotalCents, taxCents, totalCents, tenderedCents,
    labelUses: taxUse ? [taxUse] : [],
    brand: layout === 'brand-header' || (layout === 'two-column-header' && rng.chance(0.3)) ? makeBrand(rng, spec, vendor) : null,
    payee: layout === 'factoring-payee' ? makeParty(spec, rng, { kind: 'org', vendor: false }) : null,
    shipToName: shipParty && rng.chance(0.6) ? shipParty.name : null,
  };
}
