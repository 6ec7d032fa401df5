/**
 * generateInvoice(seed): one synthetic invoice, a pure function of the seed and options. Returns
 * the PDF bytes, the ground-truth InvoiceRecord and every printed entity span (text, page, box).
 */
import { createHash } from 'node:crypto';
import type { InvoiceRecord } from '../core/invoice-record.js';
import { CORE_FIELDS, InvoiceRecordSchema } from '../core/invoice-record.js';
import { toIso } from './dates.js';
import { LAYOUT_FAMILIES, buildInvoiceModel, type InvoiceModel, type LayoutFamily } from './invoice-model.js';
import { drawInvoice, paperSize } from './layout-invoice.js';
import { presetFor } from './layout-presets.js';
import type { LabelUse } from './label-vocab.js';
import { drawReceipt, layoutReceipt, receiptWidth } from './layout-receipt.js';
import { LOCALE_IDS, type LocaleId } from './locales.js';
import { centsToDecimal, milliToDecimal } from './money.js';
import { PageWriter, type BBoxPt, type PrintedSpan } from './page-writer.js';
import { Printer } from './printer.js';
import { Rng } from './prng.js';

/** Bumped whenever the same seed gives a different document (caches keyed by seed include it). */
export const SYNTH_VERSION = '1.1.2';

export interface GenerateOptions {
  /** Restrict the locale (one is drawn from the list); all when absent. */
  locales?: readonly LocaleId[];
  layouts?: readonly LayoutFamily[];
  /** Base name for the record's source.file (NAME.pdf). */
  name?: string;
  /**
   * A vendor's history: invoices with the same vendorSeed come from one vendor (its party, brand,
   * locale, layout family, house style, currency and number and date formats), and the seed draws
   * the rest (customer, dates, numbers, lines). Absent: the seed draws everything.
   */
  vendorSeed?: number;
}

export interface GeneratedInvoice {
  seed: number;
  name: string;
  pdf: Uint8Array;
  record: InvoiceRecord;
  layout: LayoutFamily;
  lang: LocaleId;
  /** How dates were printed (for corpus statistics). */
  dateFormat: string;
  numberStyle: string;
  pages: { width: number; height: number }[];
  spans: PrintedSpan[];
  /** Every string drawn (labelled or not), for layout checks. */
  drawn: PageWriter['drawn'];
  model: InvoiceModel;
  /**
   * Every label printed through the vocabulary (label-vocab.ts): key, lexicon concept, text as
   * printed, whether it came from the lexicon or the held-out variants, and whether the lexicon's
   * matcher recognises it. Scores on fields whose label has lexiconMatch false measure generalisation.
   */
  labels?: LabelUse[];
}

function chooseLocaleAndLayout(rng: Rng, options: GenerateOptions): { locale: LocaleId; layout: LayoutFamily } {
  const locales = options.locales?.length ? options.locales : LOCALE_IDS;
  let layouts = options.layouts?.length ? options.layouts : LAYOUT_FAMILIES;
  if (!options.layouts?.length) {
    const locale = rng.pick(locales);
    // The GST tax-invoice layout is Indian (a third of Indian invoices); other locales draw from the rest.
    if (locale !== 'en-IN') return { locale, layout: rng.pick(layouts.filter((l) => l !== 'gst-tax-invoice')) };
    return { locale, layout: rng.chance(0.35) ? 'gst-tax-invoice' : rng.pick(layouts) };
  }
  const layout = rng.pick(layouts);
  const locale = layout === 'gst-tax-invoice' && locales.includes('en-IN') ? 'en-IN' : rng.pick(locales);
  return { locale, layout };
}

function unionBox(parts: PrintedSpan['parts']): BBoxPt {
  const page = parts[0]!.page;
  const on = parts.filter((q) => q.page === page);
  return [Math.min(...on.map((q) => q.bbox[0])), Math.min(...on.map((q) => q.bbox[1])), Math.max(...on.map((q) => q.bbox[2])), Math.max(...on.map((q) => q.bbox[3]))];
}

export async function generateInvoice(seed: number, options: GenerateOptions = {}): Promise<GeneratedInvoice> {
  const rng = new Rng(seed);
  const house = options.vendorSeed === undefined ? rng : new Rng(options.vendorSeed);
  const { locale, layout } = chooseLocaleAndLayout(house, options);
  let model = buildInvoiceModel(rng.fork(1), { locale, layout });
  if (house !== rng) {
    const v = buildInvoiceModel(house.fork(1), { locale, layout });
    model = { ...model, vendor: v.vendor, brand: v.brand, payee: v.payee, currency: v.currency, number: v.number, money: v.money, dateFormat: v.dateFormat };
  }
  const drawRng = house.fork(2);
  const printer = new Printer(model, drawRng);
  const preset = presetFor(layout, drawRng);
  let writer: PageWriter;
  if (layout === 'till-receipt') {
    const width = receiptWidth(printer);
    const size = width < 200 ? 7.5 : drawRng.pick([8, 8.5, 9]);
    writer = await PageWriter.create(width, 1000, preset.font);
    const { rows, height } = layoutReceipt(printer, size, width, (t, s) => writer.measure(t, s));
    writer.page.setSize(width, Math.ceil(height));
    drawReceipt(writer, rows, size);
  } else {
    const [w, h] = paperSize(model);
    writer = await PageWriter.create(w, h, preset.font);
    drawInvoice(writer, printer, preset);
  }
  const pdf = await writer.save();
  const name = options.name ?? `synth-${seed}`;
  const record = buildRecord(model, writer, pdf, name);
  return {
    seed, name, pdf, record, layout, lang: locale, dateFormat: model.dateFormat, numberStyle: model.number.id,
    pages: writer.pages.map((pg) => ({ width: pg.getWidth(), height: pg.getHeight() })),
    spans: writer.spans, drawn: writer.drawn, model, labels: printedLabels(printer.labelUses, writer.drawn),
  };
}

/** The label uses whose text the document printed (a label picked but never drawn is left out). */
function printedLabels(uses: readonly LabelUse[], drawn: PageWriter['drawn']): LabelUse[] {
  const strings = drawn.map((d) => d.text.toLowerCase());
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A label is printed when a drawn string is it, starts with it, or holds it as a part ("Buyer / Payer", "MwSt 19%").
  return uses.filter((u) => {
    const re = new RegExp(`(^|[\\s/(])${escape(u.text.toLowerCase())}($|[\\s:/)])`);
    return strings.some((t) => re.test(t));
  });
}

const DOCUMENT_TYPE_OF_KIND = { invoice: 'invoice', 'credit-note': 'credit_note', receipt: 'receipt', 'tax-invoice': 'invoice' } as const;

function buildRecord(m: InvoiceModel, w: PageWriter, pdf: Uint8Array, name: string): InvoiceRecord {
  const printed = new Map<string, PrintedSpan>();
  for (const s of w.spans) if (s.field && !printed.has(s.field)) printed.set(s.field, s);
  const has = (f: string) => printed.has(f);
  const fields: InvoiceRecord['fields'] = {};
  for (const f of CORE_FIELDS) {
    const s = printed.get(f);
    if (!s) continue;
    fields[f] = { confidence: 1, review: false, method: 'rule', provenance: { page: s.parts[0]!.page, bbox: unionBox(s.parts), text: s.parts.map((q) => q.text).join(' ') } };
  }
  // Record v2 sign convention: amounts positive on a credit note; documentType says how to book it.
  const sign = m.kind === 'credit-note' ? -1 : 1;
  const money = (cents: number) => centsToDecimal(sign * cents);
  const record: InvoiceRecord = {
    schemaVersion: 2,
    documentType: DOCUMENT_TYPE_OF_KIND[m.kind],
    vendor: {
      name: has('vendor.name') ? m.vendor.name : null,
      address: has('vendor.address') ? m.vendor.addressLines.join(', ') : null,
      taxId: has('vendor.taxId') ? m.vendor.vatId : null,
    },
    customer: {
      name: m.customer && has('customer.name') ? m.customer.name : null,
      address: m.customer && has('customer.address') ? m.customer.addressLines.join(', ') : null,
      taxId: m.customer && has('customer.taxId') ? m.customer.vatId : null,
    },
    invoiceNumber: m.invoiceNumber,
    invoiceDate: toIso(m.invoiceDate),
    dueDate: m.dueDate && has('dueDate') ? toIso(m.dueDate) : null,
    currency: m.currency,
    // Not yet in the truth (printed or not is not tracked for them): purchase order, terms, payment, breakdown.
    purchaseOrder: null, paymentTerms: { text: null, netDays: null, discounts: [] }, payment: { iban: null, bic: null, accountHolder: null, reference: null },
    subtotal: money(m.subtotalCents),
    tax: money(m.taxCents),
    total: money(m.totalCents),
    discount: m.discount ? money(m.discount.cents) : null,
    shipping: m.shipping ? money(m.shipping.cents) : null,
    prepaid: null, amountDue: null, taxBreakdown: [],
    lineItems: m.lines.map((l) => ({
      description: l.description, quantity: milliToDecimal(l.quantityMilli),
      // the unit column is printed whenever a line has a unit
      unit: l.unit, unitPrice: money(l.unitCents), amount: money(l.amountCents), taxRate: null, productCode: null,
    })),
    fields,
    warnings: [],
    source: {
      file: `${name}.pdf`, sha256: createHash('sha256').update(pdf).digest('hex'),
      mediaType: 'application/pdf', bytes: pdf.byteLength, pages: w.pages.length,
    },
    model: { name: 'synth', version: SYNTH_VERSION },
  };
  return InvoiceRecordSchema.parse(record);
}
