import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfig, type Config } from '../src/config/config.js';
import type { DocumentText } from '../src/core/document-text.js';
import { readDocumentText } from '../src/document/read-document.js';
import { generateInvoice, type GeneratedInvoice } from '../src/synth/generate.js';
import type { LayoutFamily } from '../src/synth/invoice-model.js';
import { LOCALE_IDS } from '../src/synth/locales.js';

/**
 * The layout families seen on real e-invoices, generated from seeds in every locale and read back
 * through the document-text stage (text layer, embedded XML off): the true record's values are
 * printed where the family says, and the labels that introduce them come from the lexicon or the
 * held-out variants.
 */
let config: Config;
before(() => { config = { ...loadConfig({ env: {} }), embedded: false }; });

interface Doc { g: GeneratedInvoice; text: DocumentText; lines: string[] }
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

async function make(layout: LayoutFamily, seed: number, locale: (typeof LOCALE_IDS)[number]): Promise<Doc> {
  const g = await generateInvoice(seed, { layouts: [layout], locales: [locale] });
  const text = await readDocumentText(g.pdf, { file: `${g.name}.pdf`, config, ocr: false });
  return { g, text, lines: text.text.split(/[\n\f]/).map(squash) };
}

const spanText = (g: GeneratedInvoice, field: string) => g.spans.find((s) => s.field === field)?.parts[0]?.text ?? null;
const lineOf = (d: Doc, s: string, from = 0) => d.lines.findIndex((l, i) => i >= from && l.includes(squash(s)));
const label = (g: GeneratedInvoice, key: string) => g.labels?.find((u) => u.key === key) ?? null;
const has = (line: string | undefined, s: string) => !!line && line.toLowerCase().includes(s.toLowerCase());

/** Every recorded field's provenance text is in the text read back; every label has a known source. */
function checkCommon(d: Doc, layout: string): void {
  const { g } = d;
  const where = `${layout}/${g.lang} seed ${g.seed}`;
  const read = d.text.text.replace(/\s+/g, ' ');
  for (const field of Object.keys(g.record.fields)) {
    // Multi-line values (addresses) are read line by line, possibly interleaved with a neighbouring column.
    for (const part of g.spans.find((s) => s.field === field)!.parts) assert.ok(read.includes(squash(part.text)), `${where}: ${field} "${part.text}" not read back`);
  }
  for (const f of ['vendor.name', 'invoiceNumber', 'invoiceDate', 'total'] as const) assert.ok(g.record.fields[f], `${where}: ${f} not printed`);
  for (const u of g.labels ?? []) assert.ok(u.source === 'lexicon' || u.source === 'variant' || (u.source === 'fixed' && u.key === 'vatId'), `${where}: label ${u.key} from ${u.source}`);
}

const FAMILIES: Record<string, (d: Doc) => void> = {
  'form-parties': (d) => {
    const { g } = d;
    for (const [role, header] of [['vendor', 'seller'], ['customer', 'buyer']] as const) {
      const name = spanText(g, `${role}.name`);
      if (!name) continue;
      const nameLabel = label(g, 'nameField')!;
      const at = lineOf(d, name);
      // The value follows its form label on the line ("Firma: Kraft GmbH"), under the block's header.
      const pattern = new RegExp(`${nameLabel.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:?\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i');
      assert.match(d.lines[at]!, pattern, `${role} name after its form label`);
      const head = label(g, header)!;
      assert.ok(d.lines.slice(0, at).some((l) => has(l, head.text)), `${role}: header "${head.text}" above the name`);
    }
    assert.equal(g.record.vendor.name, g.model.vendor.name);
  },
  'brand-header': (d) => {
    const { g } = d;
    const brand = g.model.brand!;
    assert.notEqual(brand.name, g.record.vendor.name);
    const b = lineOf(d, brand.name);
    assert.ok(b >= 0 && b < lineOf(d, g.record.vendor.name!), 'brand above the legal name');
    if (brand.tagline) assert.ok(lineOf(d, brand.tagline) > b, 'tagline under the brand');
  },
  'factoring-payee': (d) => {
    const { g } = d;
    const payee = g.model.payee!;
    assert.equal(g.record.vendor.name, g.model.vendor.name, 'the supplier, not the payee, is the vendor');
    const p = lineOf(d, payee.name);
    assert.ok(p >= 0 && p < lineOf(d, g.record.vendor.name!), 'payee above the supplier');
    assert.ok(has(d.lines[p - 1], label(g, 'payee')!.text), 'payee header above its name');
  },
  'two-column-header': (d) => {
    const { g } = d;
    const mid = g.pages[0]!.width / 2;
    const box = (f: string) => g.spans.find((s) => s.field === f)!.parts[0]!.bbox;
    assert.ok(box('vendor.name')[0] < mid && box('invoiceNumber')[0] > mid, 'sender left, document data right');
    assert.ok(Math.abs(box('invoiceNumber')[1] - box('vendor.name')[1]) < 200, 'side by side in the header');
  },
  'din-window-delivery': (d) => {
    const { g } = d;
    const name = spanText(g, 'customer.name')!;
    const at = lineOf(d, name);
    const billTo = label(g, 'billTo');
    assert.ok(!billTo || !has(d.lines[at - 1], billTo.text), 'the billing window has no label');
    const ship = label(g, 'shipTo')!;
    assert.ok(d.lines.slice(0, at + 1).some((l) => has(l, ship.text)), 'the delivery block is labelled beside the window');
    assert.ok(g.record.customer.address && g.model.shipTo && !g.record.customer.address.includes(g.model.shipTo[0]!), 'customer address is the window, not the delivery block');
  },
  'payment-table': (d) => {
    const { g } = d;
    if (g.model.kind === 'credit-note') return;
    const due = spanText(g, 'dueDate')!;
    assert.equal(d.lines.filter((l) => l.includes(due)).length, 1, 'the due date is printed once');
    const at = lineOf(d, due);
    assert.ok(d.lines[at]!.includes(squash(spanText(g, 'total')!).replace(/^\S+\s/, '').split(' ')[0]!) || d.lines[at]!.length > due.length, 'an amount beside the due date');
    assert.ok(d.lines.slice(Math.max(0, at - 3), at).some((l) => has(l, label(g, 'dueDate')!.text)), 'the table header names the due date');
    assert.equal(g.record.dueDate, `${g.model.dueDate!.y}-${String(g.model.dueDate!.m).padStart(2, '0')}-${String(g.model.dueDate!.d).padStart(2, '0')}`);
  },
  'terms-due-date': (d) => {
    const { g } = d;
    if (g.model.kind === 'credit-note') return;
    const due = spanText(g, 'dueDate')!;
    const lines = d.lines.filter((l) => l.includes(due));
    assert.equal(lines.length, 1, 'the due date is printed once');
    assert.ok(lines[0]!.split(' ').length >= 4 && !lines[0]!.startsWith(due), `inside a sentence: ${lines[0]}`);
    assert.ok(!label(g, 'dueDate'), 'no due-date label');
  },
  'tax-breakdown': (d) => {
    const { g } = d;
    const rates = new Set(g.model.taxes.map((t) => t.rateBp));
    const taxField = g.spans.find((s) => s.field === 'tax')!.parts[0]!;
    const breakdownRows = d.lines.filter((l) => /^(S|AA|Z|[A-G])\s+\d/.test(l));
    assert.ok(breakdownRows.length >= rates.size, `a breakdown row per rate: ${breakdownRows.join(' | ')}`);
    // Item rows carry a category code and a rate; the record's tax is the labelled total-block amount below the breakdown.
    assert.ok(d.lines.some((l) => /\s(S|AA|Z|[A-G])\s+\d+([.,]\d+)?\s?%/.test(l)), 'category and rate in the line rows');
    const breakdownY = g.drawn.find((x) => x.page === taxField.page && /^(S|AA|Z|[A-G])$/.test(x.text) && x.bbox[0] > g.pages[0]!.width - 320)!;
    assert.ok(breakdownY && taxField.bbox[1] > breakdownY.bbox[1], 'the tax of the totals block is below the breakdown');
  },
  'title-number': (d) => {
    const { g } = d;
    const number = g.record.invoiceNumber!;
    const at = lineOf(d, number);
    const title = d.lines[at]!;
    const prov = g.record.fields.invoiceNumber!;
    assert.equal(prov.provenance.text, number);
    assert.ok(new RegExp(`\\S+\\s+(\\S{1,4}\\s+)?${number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(title), `number straight after the title: ${title}`);
    const numberLabel = label(g, 'invoiceNo') ?? label(g, 'creditNoteNo');
    assert.ok(!numberLabel || !g.drawn.some((x) => x.page === 1 && x.text.toLowerCase().replace(/:$/, '') === numberLabel.text.toLowerCase()), 'no separate number label on page 1');
  },
};

describe('synth: layout families of real e-invoices, read back through the text stage', () => {
  for (const [i, [layout, check]] of Object.entries(FAMILIES).entries()) {
    it(`${layout}: values where the family prints them, in every locale`, async () => {
      for (const [j, locale] of LOCALE_IDS.entries()) {
        const d = await make(layout as LayoutFamily, 31_000 + i * 100 + j, locale);
        assert.equal(d.g.layout, layout);
        checkCommon(d, layout);
        try { check(d); } catch (e) { throw new Error(`${layout}/${locale} seed ${d.g.seed}: ${(e as Error).message}`); }
      }
    });
  }
});
