/**
 * Layout families as presets of block placements. A family fixes what makes it recognisable
 * (where the letterhead, parties, totals go; table style; special behaviour); the rest varies per seed.
 */
import type { LayoutFamily } from './invoice-model.js';
import type { FontFamily } from './page-writer.js';
import type { Rng } from './prng.js';

export interface LayoutPreset {
  header: 'left' | 'right' | 'centre' | 'banner' | 'sidebar' | 'none';
  title: 'left' | 'right' | 'centre' | 'banner';
  parties: 'window' | 'din' | 'two-column' | 'stacked' | 'right' | 'form' | 'two-column-header' | 'din-delivery';
  meta: 'pairs-right' | 'boxes' | 'pairs-left';
  table: 'ruled' | 'grid' | 'plain' | 'zebra' | 'header-bar';
  totals: 'right' | 'left' | 'in-table' | 'box-right';
  amountDueTop: boolean;
  footer: 'columns' | 'centre-line' | 'none';
  font: FontFamily;
  accent: [number, number, number];
  baseSize: number;
  /** Above the legal vendor name: a brand and tagline, or a payee (factoring company) box. */
  vendorHead?: 'brand' | 'payee';
  /** Where the due date is printed when not among the meta pairs: only a payment table or only a terms sentence. */
  due?: 'payment-table' | 'terms-sentence';
  /** The document number straight after the title ("Invoice INV-0042", "Facture n° 12"), not among the pairs. */
  numberInTitle?: boolean;
  /** Tax category codes and rates in the line rows and a breakdown table before the totals. */
  taxTable?: 'uncl' | 'letters';
}

const ACCENTS: [number, number, number][] = [[0.1, 0.2, 0.45], [0.15, 0.15, 0.15], [0.0, 0.35, 0.3], [0.45, 0.1, 0.1], [0.25, 0.25, 0.35]];

export function presetFor(family: LayoutFamily, rng: Rng): LayoutPreset {
  const font = rng.weighted<FontFamily>([['Helvetica', 60], ['Times', 25], ['Courier', 15]]);
  const base: LayoutPreset = {
    header: 'left', title: 'right', parties: 'window', meta: 'pairs-right', table: 'ruled', totals: 'right',
    amountDueTop: false, footer: 'columns', font, accent: rng.pick(ACCENTS), baseSize: rng.pick([8, 8.5, 9, 9.5]),
  };
  switch (family) {
    case 'letterhead-left': return { ...base, table: rng.pick(['ruled', 'header-bar']) };
    case 'letterhead-right': return { ...base, header: 'right', title: 'left', meta: 'pairs-left', table: rng.pick(['plain', 'ruled']), footer: 'centre-line' };
    case 'letterhead-centred': return { ...base, header: 'centre', title: 'centre', parties: 'two-column', meta: 'boxes', table: 'grid', totals: 'box-right' };
    case 'din-5008': return { ...base, header: 'right', title: 'left', parties: 'din', meta: 'pairs-right', table: 'ruled', footer: 'columns', font: rng.chance(0.8) ? 'Helvetica' : 'Times' };
    case 'two-column-parties': return { ...base, title: 'left', parties: 'two-column', meta: 'boxes', table: 'zebra' };
    case 'unruled-plain': return { ...base, font: rng.chance(0.5) ? 'Courier' : 'Times', parties: 'stacked', meta: 'pairs-left', table: 'plain', totals: 'left', footer: rng.pick(['none', 'centre-line']) };
    case 'grid-boxed': return { ...base, parties: 'two-column', meta: 'boxes', table: 'grid', totals: 'in-table' };
    case 'amount-due-top': return { ...base, amountDueTop: true, parties: 'stacked', table: rng.pick(['header-bar', 'zebra']), footer: 'centre-line', font: rng.chance(0.8) ? 'Helvetica' : 'Times' };
    case 'banner': return { ...base, header: 'banner', title: 'banner', parties: 'two-column', table: 'header-bar', totals: rng.pick(['right', 'box-right']) };
    case 'sidebar': return { ...base, header: 'sidebar', title: 'left', parties: 'stacked', meta: 'pairs-right', table: rng.pick(['plain', 'ruled']), footer: 'none' };
    case 'multi-page': return { ...base, header: rng.pick(['left', 'right']), table: rng.pick(['ruled', 'zebra', 'grid']), parties: rng.pick(['window', 'din']) };
    case 'credit-note': return { ...base, header: rng.pick(['left', 'right', 'centre']), parties: rng.pick(['window', 'two-column']), table: rng.pick(['ruled', 'plain']) };
    case 'gst-tax-invoice': return { ...base, header: 'centre', title: 'centre', parties: 'two-column', meta: 'boxes', table: 'grid', totals: rng.pick(['right', 'in-table']) };
    case 'form-parties': return { ...base, header: 'none', title: rng.pick(['left', 'centre']), parties: 'form', meta: 'pairs-right', table: rng.pick(['ruled', 'grid', 'zebra']) };
    case 'brand-header': return { ...base, header: rng.pick(['left', 'right', 'centre']), vendorHead: 'brand', parties: rng.pick(['window', 'two-column']), meta: rng.pick(['pairs-right', 'boxes']) };
    case 'factoring-payee': return { ...base, header: rng.pick(['left', 'right']), vendorHead: 'payee', parties: rng.pick(['window', 'stacked']), footer: 'columns' };
    case 'two-column-header': return { ...base, header: 'none', title: 'right', parties: 'two-column-header', table: rng.pick(['ruled', 'header-bar', 'plain']) };
    case 'din-window-delivery': return { ...base, header: 'right', title: 'left', parties: 'din-delivery', table: 'ruled', footer: 'columns', font: rng.chance(0.8) ? 'Helvetica' : 'Times' };
    case 'payment-table': return { ...base, header: rng.pick(['left', 'right']), parties: rng.pick(['window', 'din', 'two-column']), due: 'payment-table' };
    case 'terms-due-date': return { ...base, header: rng.pick(['left', 'centre']), parties: rng.pick(['window', 'stacked', 'two-column']), due: 'terms-sentence' };
    case 'tax-breakdown': return { ...base, parties: rng.pick(['window', 'two-column', 'din']), table: rng.pick(['ruled', 'grid', 'zebra']), taxTable: rng.pick(['uncl', 'letters']) };
    case 'title-number': return { ...base, header: rng.pick(['left', 'right', 'centre']), title: rng.pick(['left', 'right', 'centre']), parties: rng.pick(['window', 'stacked']), numberInTitle: true };
    case 'till-receipt': return { ...base, font: rng.chance(0.7) ? 'Courier' : 'Helvetica' };
  }
}
