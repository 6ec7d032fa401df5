/** Per-document print conventions: the label variants chosen, amounts, dates and quantities as printed. */
import type { EntityType } from '../core/labels.js';
import { type CalendarDate, formatDate } from './dates.js';
import type { LabelSet } from './labels-text.js';
import type { InvoiceModel } from './invoice-model.js';
import { formatMoney, formatQuantity, formatRate } from './money.js';
import { KEY_CONCEPTS, drawLabel, lexiconMatches, type CaseStyle, type LabelUse, type VocabKey } from './label-vocab.js';
import type { FieldRef } from './page-writer.js';
import type { Rng } from './prng.js';

type ListKey = { [K in keyof LabelSet]: LabelSet[K] extends string[] ? K : never }[keyof LabelSet];
/** Keys with a lexicon concept (label-vocab.ts) or only a hand list (labels-text.ts). */
export type LabelKey = ListKey | VocabKey;

export class Printer {
  private picked = new Map<string, string>();
  private keyCounter = 0;
  /** Whether table cells carry the currency marker (totals always do unless the style has none). */
  readonly markerInTable: boolean;
  /** Labels end with a colon on this document. */
  readonly colon: boolean;
  readonly upperLabels: boolean;
  /** How lexicon phrases are cased on this document. */
  readonly caseStyle: CaseStyle;
  /** The labels this document printed through L(), in first-use order (the model's tax name first). */
  readonly labelUses: LabelUse[];
  private readonly rateSpace: boolean;

  constructor(readonly m: InvoiceModel, readonly rng: Rng) {
    this.markerInTable = rng.chance(0.3);
    this.colon = rng.chance(0.45);
    this.upperLabels = rng.chance(0.15);
    this.caseStyle = rng.weighted<CaseStyle>([['sentence', 60], ['title', 32], ['lower', 8]]);
    this.labelUses = m.labelUses ? [...m.labelUses] : [];
    this.rateSpace = m.locale.language === 'fr' || (m.locale.language === 'de' && rng.chance(0.3));
  }

  /**
   * The document's label for a key (picked once, then reused): keys with a lexicon concept draw
   * from the lexicon or the held-out variants (label-vocab.ts) and are recorded in labelUses;
   * the others come from the hand lists in labels-text.ts.
   */
  L(key: LabelKey, bare = false): string {
    let v = this.picked.get(key);
    if (v === undefined) {
      v = this.draw(key);
      this.picked.set(key, v);
    }
    return this.dress(v, bare);
  }

  /** A second, different label of a key's concept (compound headers "Buyer / Payer"), recorded too. */
  another(key: VocabKey, bare = false): string {
    const use = drawLabel(this.rng, this.m.locale, this.m.labels, key, this.caseStyle, [this.picked.get(key) ?? '']);
    this.labelUses.push(use);
    return this.dress(use.text, bare);
  }

  private dress(v: string, bare: boolean): string {
    const t = this.upperLabels ? v.toUpperCase() : v;
    return bare || !this.colon || /[:#]$/.test(t) ? t : `${t}:`;
  }

  private draw(key: LabelKey): string {
    const spec = this.m.locale;
    if (key in KEY_CONCEPTS && !(key === 'vatId' && spec.vatLabels)) {
      const avoid = key === 'netTotal' ? [this.picked.get('subtotal') ?? ''] : key === 'subtotal' ? [this.picked.get('netTotal') ?? ''] : [];
      const use = drawLabel(this.rng, spec, this.m.labels, key as VocabKey, this.caseStyle, avoid);
      this.labelUses.push(use);
      return use.text;
    }
    if (key === 'vatId' && spec.vatLabels) {
      const text = this.rng.pick(spec.vatLabels);
      this.labelUses.push({ key, concept: 'taxId', text, source: 'fixed', field: 'vendor.taxId', lexiconMatch: lexiconMatches(text, 'taxId') });
      return text;
    }
    let v = this.rng.pick(this.m.labels[key as ListKey]);
    // Locales whose tax is not called VAT (US sales tax, GST, SST) rename it in every label.
    if (spec.taxNames) v = v.replace(/\bVAT\b/, spec.taxNames[0]!);
    if (key === 'terms') v = v.replace('{days}', String(this.m.paymentDays ?? 30));
    return v;
  }

  money(cents: number, withMarker = true): string { return formatMoney(cents, this.m.money, withMarker); }
  cell(cents: number): string { return this.money(cents, this.markerInTable); }
  date(d: CalendarDate): string { return formatDate(d, this.m.dateFormat, this.m.labels, this.m.locale.language); }
  qty(milli: number): string { return formatQuantity(milli, this.m.number); }
  rate(bp: number): string { return formatRate(bp, this.m.number, this.rateSpace); }

  /** A fresh entity instance; parts drawn with the same ref join into one entity. */
  ent(label: EntityType, field: string | null = null): FieldRef {
    return { label, field, key: `e${this.keyCounter++}` };
  }
  /** The currency note printed when amounts carry no marker. */
  currencyNote(): string | null {
    if (this.m.money.position !== 'none' && this.m.money.marker) return null;
    return ({ en: `All amounts in ${this.m.currency}`, de: `Alle Beträge in ${this.m.currency}`, fr: `Montants en ${this.m.currency}`,
      es: `Importes en ${this.m.currency}`, it: `Importi in ${this.m.currency}`, nl: `Bedragen in ${this.m.currency}` } as Record<string, string>)[this.m.locale.language]!;
  }
}

/** Hands out each record field to its first printed occurrence only (provenance points there). */
export class FirstUse {
  private used = new Set<string>();
  take(field: string): string | null { if (this.used.has(field)) return null; this.used.add(field); return field; }
}

/** The printable area of a page, in points from the top-left corner. */
export interface Frame { left: number; right: number; top: number; bottom: number }
