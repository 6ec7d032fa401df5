import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { generateInvoice } from '../src/synth/generate.js';
import { LAYOUT_FAMILIES } from '../src/synth/invoice-model.js';
import { LOCALE_IDS } from '../src/synth/locales.js';
import { decimalToCents, formatAbs, formatMoney, lineAmount, NUMBER_STYLES, percentOf, taxInGross } from '../src/synth/money.js';
import { Rng } from '../src/synth/prng.js';
import { isWinAnsi } from '../src/synth/win-ansi.js';

describe('synth: money and prng', () => {
  it('rounds half away from zero in integer cents', () => {
    assert.equal(lineAmount(1000, 105, 0), 105);
    assert.equal(lineAmount(1500, 333, 0), 500); // 499.5 -> 500
    assert.equal(lineAmount(1500, -333, 0), -500);
    assert.equal(lineAmount(3000, 1999, 1000), 5397); // 59.97 * 0.9 = 53.973
    assert.equal(percentOf(1050, 1900), 200); // 199.5 -> 200
    assert.equal(taxInGross(11900, 1900), 1900);
  });
  it('prints the number conventions', () => {
    assert.equal(formatAbs(123456789, NUMBER_STYLES.en), '1,234,567.89');
    assert.equal(formatAbs(123456789, NUMBER_STYLES.de), '1.234.567,89');
    assert.equal(formatAbs(123456789, NUMBER_STYLES.ch), "1'234'567.89");
    assert.equal(formatAbs(123456789, NUMBER_STYLES.fr), '1 234 567,89');
    assert.equal(formatAbs(123456789, NUMBER_STYLES.in), '12,34,567.89');
    assert.equal(formatMoney(-123456, { number: NUMBER_STYLES.en, marker: '£', position: 'before', negative: 'parentheses' }), '(£1,234.56)');
    assert.equal(formatMoney(-123456, { number: NUMBER_STYLES.de, marker: '€', position: 'after-space', negative: 'trailing-minus' }), '1.234,56 €-');
  });
  it('is a deterministic stream per seed', () => {
    const a = new Rng(42); const b = new Rng(42); const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextU32()));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextU32()));
  });
});

describe('synth: generated invoices', () => {
  it('gives byte-identical PDFs and records for the same seed', async () => {
    for (const seed of [1, 77, 4242]) {
      const a = await generateInvoice(seed);
      const b = await generateInvoice(seed);
      assert.ok(Buffer.from(a.pdf).equals(Buffer.from(b.pdf)), `seed ${seed}: PDF bytes differ`);
      assert.deepEqual(a.record, b.record);
      assert.deepEqual(a.spans, b.spans);
    }
    const c = await generateInvoice(2);
    assert.ok(!Buffer.from(c.pdf).equals(Buffer.from((await generateInvoice(1)).pdf)));
  });

  it('keeps the arithmetic of every record', async () => {
    for (let seed = 500; seed < 640; seed++) {
      const g = await generateInvoice(seed);
      const r = InvoiceRecordSchema.parse(g.record);
      const m = g.model;
      // the record states a credit note's amounts positive (record v2 sign convention); the model's cents are negative
      const sign = m.kind === 'credit-note' ? -1 : 1;
      const c = (v: string | null) => sign * decimalToCents(v!) + 0; // + 0: no -0
      assert.equal(c(r.total), c(r.subtotal) + c(r.tax), `seed ${seed}: total != subtotal + tax`);
      const items = r.lineItems.reduce((s, l) => s + c(l.amount), 0);
      assert.equal(items, m.itemsCents);
      r.lineItems.forEach((l, i) => {
        const line = m.lines[i]!;
        assert.equal(c(l.amount), lineAmount(Math.round(Number(l.quantity) * 1000), c(l.unitPrice), line.discountBp), `seed ${seed} line ${i}`);
      });
      const shipping = m.shipping?.cents ?? 0;
      if (m.pricesIncludeTax) assert.equal(c(r.total), items + shipping, `seed ${seed}: gross total`);
      else assert.equal(c(r.subtotal), items - (m.discount?.cents ?? 0) + shipping, `seed ${seed}: net subtotal`);
      const taxSum = m.taxes.reduce((s, t) => s + t.taxCents, 0);
      assert.equal(c(r.tax), taxSum);
      if (m.kind === 'credit-note') {
        assert.ok(c(r.total) < 0 && decimalToCents(r.total!) > 0, `seed ${seed}: a credit note prints negative amounts and records them positive`);
        assert.equal(r.documentType, 'credit_note');
      } else assert.ok(c(r.total) >= 0);
      assert.ok(r.lineItems.length >= 1 && r.lineItems.length <= 40);
    }
  });

  it('exercises every layout family', async () => {
    for (const [i, layout] of LAYOUT_FAMILIES.entries()) {
      const g = await generateInvoice(9000 + i, { layouts: [layout] });
      assert.equal(g.layout, layout);
      assert.equal(new TextDecoder('latin1').decode(g.pdf.slice(0, 5)), '%PDF-');
      const labels = new Set(g.spans.map((s) => s.label));
      for (const l of ['ORG', 'DATE', 'MONEY', 'INVOICE_NO'] as const) assert.ok(labels.has(l), `${layout}: no ${l} printed`);
      const fields = new Set(g.spans.map((s) => s.field));
      for (const f of ['vendor.name', 'invoiceNumber', 'invoiceDate', 'total']) assert.ok(fields.has(f), `${layout}: ${f} not printed`);
      if (layout === 'multi-page') {
        assert.ok(g.pages.length > 1, 'multi-page has one page');
        assert.ok(g.record.lineItems.length >= 28);
      }
      if (layout === 'credit-note') assert.ok(decimalToCents(g.record.total!) > 0 && g.record.documentType === 'credit_note');
      if (layout === 'till-receipt') assert.ok(g.pages[0]!.width < 300);
      if (layout === 'gst-tax-invoice') assert.equal(g.lang, 'en-IN');
      for (const s of g.spans) for (const part of s.parts) {
        assert.ok(isWinAnsi(part.text), `${layout}: not WinAnsi: ${part.text}`);
        const page = g.pages[part.page - 1]!;
        assert.ok(part.bbox[0] >= 0 && part.bbox[2] <= page.width + 1 && part.bbox[1] >= 0 && part.bbox[3] <= page.height, `${layout}: ${part.text} off the page`);
      }
    }
  });

  it('exercises every locale with its conventions', async () => {
    for (const [i, lang] of LOCALE_IDS.entries()) {
      const g = await generateInvoice(7000 + i, { locales: [lang], layouts: ['letterhead-left'] });
      assert.equal(g.lang, lang);
      assert.equal(g.record.currency!.length, 3);
      const date = g.spans.find((s) => s.field === 'invoiceDate')!.parts[0]!.text;
      // The printed date reads back to the record's ISO date for numeric formats.
      const [y, mo, d] = g.record.invoiceDate!.split('-');
      if (/^\d/.test(date) && !/[a-z]/i.test(date)) {
        assert.ok(date.includes(String(Number(d)).padStart(2, '0')) && date.includes(mo!) && (date.includes(y!) || date.includes(y!.slice(2))), `${lang}: ${date} vs ${g.record.invoiceDate}`);
      }
    }
  });

  it('draws no string over another or off the page', async () => {
    for (let seed = 5000; seed < 5120; seed++) {
      const g = await generateInvoice(seed);
      const d = g.drawn;
      for (const x of d) {
        const page = g.pages[x.page - 1]!;
        assert.ok(x.bbox[0] >= 0 && x.bbox[2] <= page.width + 0.5 && x.bbox[1] >= 0 && x.bbox[3] <= page.height, `seed ${seed} ${g.layout}: ${x.text} off the page`);
      }
      for (let i = 0; i < d.length; i++) for (let j = i + 1; j < d.length; j++) {
        const a = d[i]!; const b = d[j]!;
        if (a.page !== b.page) continue;
        const ox = Math.min(a.bbox[2], b.bbox[2]) - Math.max(a.bbox[0], b.bbox[0]);
        const oy = Math.min(a.bbox[3], b.bbox[3]) - Math.max(a.bbox[1], b.bbox[1]);
        assert.ok(!(ox > 1 && oy > 2), `seed ${seed} ${g.layout}: "${a.text}" overlaps "${b.text}"`);
      }
    }
  });
});
