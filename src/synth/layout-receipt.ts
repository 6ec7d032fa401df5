/**
 * Narrow till receipts (80 mm or 58 mm paper): shop header centred, one line per article with
 * the amount at the right margin, totals, tax breakdown, payment and change. Rows are laid out
 * first so that the page is exactly as long as the receipt.
 */
import type { FieldRef, PageWriter } from './page-writer.js';
import { FirstUse, type Printer } from './printer.js';

type Run = { text: string; field?: FieldRef | null };
type Row =
  | { kind: 'center'; runs: Run[]; bold?: boolean; size?: number }
  | { kind: 'lr'; left: Run[]; right: Run | null; bold?: boolean }
  | { kind: 'rule' }
  | { kind: 'space' };

export function receiptWidth(p: Printer): number { return p.rng.chance(0.7) ? 226 : 164; }

/** Builds the receipt's rows; returns them with the page height they need. */
export function layoutReceipt(p: Printer, size: number, width: number, measure: (t: string, size: number) => number): { rows: Row[]; height: number } {
  const m = p.m;
  const v = m.vendor;
  const rng = p.rng;
  const first = new FirstUse();
  const rows: Row[] = [];
  rows.push({ kind: 'center', runs: [{ text: v.name, field: p.ent('ORG', first.take('vendor.name')) }], bold: true, size: size + 2 });
  const addr = p.ent('ADDRESS', first.take('vendor.address'));
  for (const line of v.addressLines) rows.push({ kind: 'center', runs: [{ text: line, field: addr }] });
  if (v.phone) rows.push({ kind: 'center', runs: [{ text: p.L('phone') }, { text: v.phone }] });
  if (v.vatId) rows.push({ kind: 'center', runs: [{ text: p.L('vatId') }, { text: v.vatId, field: p.ent('TAX_ID', first.take('vendor.taxId')) }] });
  rows.push({ kind: 'space' });
  if (rng.chance(0.6)) rows.push({ kind: 'center', runs: [{ text: p.L('receipt', true) }], bold: true });
  rows.push({ kind: 'lr', left: [{ text: p.L('receiptNo') }, { text: m.invoiceNumber, field: p.ent('INVOICE_NO', first.take('invoiceNumber')) }], right: null });
  const time = `${String(rng.int(7, 21)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  rows.push({ kind: 'lr', left: [{ text: p.date(m.invoiceDate), field: p.ent('DATE', first.take('invoiceDate')) }, { text: time }], right: { text: `${rng.pick(['Kasse', 'POS', 'Till', 'Caja', 'Cassa'])} ${rng.int(1, 9)}` } });
  if (m.customer) {
    const ref = p.ent(m.customer.kind === 'org' ? 'ORG' : 'PERSON', first.take('customer.name'));
    rows.push({ kind: 'lr', left: [{ text: m.customer.name, field: ref }], right: null });
  }
  rows.push({ kind: 'rule' });
  const note = p.currencyNote();
  if (note) rows.push({ kind: 'lr', left: [{ text: note }], right: null });
  m.lines.forEach((line, i) => {
    const amount: Run = { text: p.cell(line.amountCents), field: p.ent('MONEY', `lineItems.${i}.amount`) };
    const fits = measure(line.description, size) + measure(amount.text, size) + 28 < width;
    if (line.quantityMilli !== 1000 || !fits) {
      rows.push({ kind: 'lr', left: [{ text: line.description }], right: null });
      rows.push({ kind: 'lr', left: [{ text: `  ${p.qty(line.quantityMilli)} x` }, { text: p.cell(line.unitCents), field: p.ent('MONEY', `lineItems.${i}.unitPrice`) }], right: amount });
    } else {
      rows.push({ kind: 'lr', left: [{ text: line.description }], right: amount });
    }
  });
  rows.push({ kind: 'rule' });
  if (!m.pricesIncludeTax) {
    rows.push({ kind: 'lr', left: [{ text: p.L('subtotal') }], right: { text: p.money(m.subtotalCents), field: p.ent('MONEY', first.take('subtotal')) } });
    for (const t of m.taxes) rows.push({ kind: 'lr', left: [{ text: `${t.label} ${p.rate(t.rateBp)}` }], right: { text: p.money(t.taxCents), field: p.ent('MONEY', m.taxes.length === 1 ? first.take('tax') : null) } });
  }
  rows.push({ kind: 'lr', left: [{ text: p.L('total') }], right: { text: p.money(m.totalCents), field: p.ent('MONEY', first.take('total')) }, bold: true });
  if (m.tenderedCents !== null) {
    rows.push({ kind: 'lr', left: [{ text: p.L('cash', true) }], right: { text: p.money(m.tenderedCents), field: p.ent('MONEY') } });
    rows.push({ kind: 'lr', left: [{ text: p.L('change', true) }], right: { text: p.money(m.tenderedCents - m.totalCents), field: p.ent('MONEY') } });
  }
  if (m.pricesIncludeTax) {
    rows.push({ kind: 'space' });
    for (const t of m.taxes) {
      rows.push({ kind: 'lr', left: [{ text: `${p.L('taxIncluded', true)} ${p.rate(t.rateBp)}` }], right: { text: p.money(t.taxCents), field: p.ent('MONEY', m.taxes.length === 1 ? first.take('tax') : null) } });
    }
    rows.push({ kind: 'lr', left: [{ text: p.L('netTotal') }], right: { text: p.money(m.subtotalCents), field: p.ent('MONEY', first.take('subtotal')) } });
  }
  rows.push({ kind: 'space' });
  rows.push({ kind: 'center', runs: [{ text: p.L('thanks', true) }] });
  const lh = size * 1.4;
  const height = 30 + rows.reduce((s, r) => s + (r.kind === 'space' ? lh / 2 : r.kind === 'rule' ? lh * 0.6 : r.kind === 'center' && r.size ? (r.size * 1.4) : lh), 0) + 24;
  return { rows, height };
}

export function drawReceipt(w: PageWriter, rows: Row[], size: number): void {
  const left = 10;
  const right = w.width - 10;
  const lh = size * 1.4;
  let y = 24;
  for (const r of rows) {
    if (r.kind === 'space') { y += lh / 2; continue; }
    if (r.kind === 'rule') { w.line(left, y + lh * 0.2, right, y + lh * 0.2, 0.5, 0.2); y += lh * 0.6; continue; }
    const font = 'bold' in r && r.bold ? 'bold' : 'regular';
    if (r.kind === 'center') {
      const s = r.size ?? size;
      w.runs(r.runs, w.width / 2, y, { size: s, font, align: 'center' });
      y += s * 1.4;
      continue;
    }
    w.runs(r.left, left, y, { size, font });
    if (r.right) w.text(r.right.text, right, y, { size, font, align: 'right', field: r.right.field ?? null });
    y += lh;
  }
}
