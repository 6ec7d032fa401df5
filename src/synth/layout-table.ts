/**
 * The items table (paginated: a full page carries its running total forward, the next page repeats
 * a compact header and brings the total forward), the totals block, terms, footer and page numbers.
 */
import type { LayoutPreset } from './layout-presets.js';
import type { FieldRef, PageWriter } from './page-writer.js';
import type { FirstUse, Frame, Printer } from './printer.js';
import { categoryCode, categoryTitle, drawDueSentence, drawPaymentTable, drawTaxBreakdown } from './layout-payment.js';

type ColKey = 'pos' | 'code' | 'description' | 'qty' | 'unit' | 'unitPrice' | 'discount' | 'cat' | 'vat' | 'amount';
interface Col { key: ColKey; title: string; width: number; x: number; align: 'left' | 'right' }

export function drawItemsAndTotals(
  w: PageWriter, p: Printer, preset: LayoutPreset, frame: Frame, startY: number,
  ctx: { title: string; numberLabel: string; first: FirstUse },
): void {
  const m = p.m;
  const rng = p.rng;
  const fs = preset.baseSize;
  const lh = fs * 1.35;
  const width = frame.right - frame.left;

  // ---- columns ----------------------------------------------------------------------------------
  const keys: ColKey[] = [];
  if (rng.chance(0.45)) keys.push('pos');
  if (m.lines.some((l) => l.code) && (m.kind === 'tax-invoice' || rng.chance(0.4))) keys.push('code');
  keys.push('description', 'qty');
  if (m.lines.some((l) => l.unit)) keys.push('unit');
  keys.push('unitPrice');
  if (m.lines.some((l) => l.discountBp)) keys.push('discount');
  if (preset.taxTable) keys.push('cat', 'vat');
  else if (new Set(m.lines.map((l) => l.taxBp)).size > 1 || rng.chance(0.3)) keys.push('vat');
  keys.push('amount');
  const fixed: Record<ColKey, number> = { pos: 24, code: 52, description: 0, qty: 40, unit: 34, unitPrice: 66, discount: 38, cat: 28, vat: 40, amount: 74 };
  const titles: Record<ColKey, string> = {
    pos: p.L('pos', true), code: m.kind === 'tax-invoice' ? 'HSN/SAC' : 'Art.', description: p.L('description', true), qty: p.L('qty', true),
    unit: p.L('unit', true), unitPrice: p.L('unitPrice', true), discount: p.L('discount', true), cat: preset.taxTable ? categoryTitle(p) : '',
    vat: p.L('vatRate', true), amount: p.L('amount', true),
  };
  // Narrow frames (a sidebar) drop the optional columns before the description gets too narrow.
  const singleRate = new Set(m.lines.map((l) => l.taxBp)).size <= 1;
  for (const optional of ['pos', 'code', ...(singleRate && !preset.taxTable ? ['vat'] as const : [])] as const) {
    if (width - keys.reduce((s, k) => s + fixed[k], 0) >= 120) break;
    const at = keys.indexOf(optional);
    if (at >= 0) keys.splice(at, 1);
  }
  const descW = width - keys.reduce((s, k) => s + fixed[k], 0);
  let cx = frame.left;
  const cols: Col[] = keys.map((key) => {
    const col: Col = { key, title: titles[key], width: key === 'description' ? descW : fixed[key], x: cx, align: key === 'description' || key === 'code' || key === 'unit' ? 'left' : 'right' };
    cx += col.width;
    return col;
  });
  const cellX = (c: Col) => (c.align === 'left' ? c.x + 3 : c.x + c.width - 3);

  let y = startY;
  const tableHeader = () => {
    const h = lh + 4;
    if (preset.table === 'header-bar' || preset.table === 'zebra') w.rect(frame.left, y, width, h, { fill: preset.table === 'header-bar' ? preset.accent : [0.85, 0.85, 0.85] });
    const color: [number, number, number] = preset.table === 'header-bar' ? [1, 1, 1] : [0, 0, 0];
    for (const c of cols) {
      // Long column titles shrink to their column, as table designers do.
      w.text(c.title, cellX(c), y + 3, { size: w.fitSize(c.title, c.width - 6, fs - 0.5, 'bold', 4), font: 'bold', align: c.align, color });
    }
    if (preset.table === 'grid') { w.rect(frame.left, y, width, h, { border: 0.6 }); for (const c of cols.slice(1)) w.line(c.x, y, c.x, y + h, 0.6); }
    if (preset.table === 'ruled' || preset.table === 'plain') w.line(frame.left, y + h, frame.right, y + h, preset.table === 'ruled' ? 0.8 : 0.4);
    y += h + 3;
  };

  const pages = { compactHeader: () => {
    w.addPage();
    let hy = frame.top;
    w.text(m.vendor.name, frame.left, hy, { font: 'bold', size: fs + 2, field: p.ent('ORG') });
    w.runs([{ text: ctx.title }, { text: ctx.numberLabel }, { text: m.invoiceNumber, field: p.ent('INVOICE_NO') }], frame.right, hy, { size: fs, align: 'right' });
    hy += lh + 2;
    w.runs([{ text: p.L('invoiceDate') }, { text: p.date(m.invoiceDate), field: p.ent('DATE') }], frame.right, hy, { size: fs, align: 'right' });
    hy += lh + 4;
    w.line(frame.left, hy, frame.right, hy, 0.5, 0.3);
    y = hy + 10;
  } };

  const runningRow = (label: string, cents: number) => {
    w.text(label, frame.left + 3, y, { size: fs, font: 'italic' });
    w.text(p.cell(cents), frame.right - 3, y, { size: fs, font: 'bold', align: 'right', field: p.ent('MONEY') });
    y += lh + 2;
  };

  tableHeader();
  let running = 0;
  const descCol = cols.find((c) => c.key === 'description')!;
  m.lines.forEach((line, i) => {
    const longest = line.description.split(' ').reduce((a, b) => (w.measure(b, fs) > w.measure(a, fs) ? b : a), '');
    const descSize = w.fitSize(longest, descCol.width - 6, fs);
    const descLines = w.wrap(line.description, descCol.width - 6, descSize);
    const rowH = descLines.length * lh + 3;
    if (y + rowH > frame.bottom - lh * 2) {
      runningRow(p.L('carriedForward'), running);
      pages.compactHeader();
      runningRow(p.L('broughtForward'), running);
      tableHeader();
    }
    if (preset.table === 'zebra' && i % 2 === 1) w.rect(frame.left, y - 2, width, rowH, { fill: [0.95, 0.95, 0.95] });
    for (const c of cols) {
      const x = cellX(c);
      const opts = { size: fs, align: c.align } as const;
      switch (c.key) {
        case 'pos': w.text(String(i + 1), x, y, opts); break;
        case 'code': w.text(line.code ?? '', x, y, opts); break;
        case 'description': descLines.forEach((t, k) => w.text(t, x, y + k * lh, { ...opts, size: descSize })); break;
        case 'qty': { const t = p.qty(line.quantityMilli); w.text(t, x, y, { ...opts, size: w.fitSize(t, c.width - 5, fs) }); break; }
        case 'unit': w.text(line.unit ?? '', x, y, { ...opts, size: w.fitSize(line.unit ?? '', c.width - 5, fs) }); break;
        case 'unitPrice': { const t = p.cell(line.unitCents); w.text(t, x, y, { ...opts, size: w.fitSize(t, c.width - 5, fs), field: p.ent('MONEY', `lineItems.${i}.unitPrice`) }); break; }
        case 'discount': { const t = line.discountBp ? p.rate(line.discountBp) : ''; w.text(t, x, y, { ...opts, size: w.fitSize(t, c.width - 5, fs) }); break; }
        case 'cat': w.text(categoryCode(p, line.taxBp, preset.taxTable ?? 'uncl'), x, y, opts); break;
        case 'vat': w.text(p.rate(line.taxBp), x, y, opts); break;
        case 'amount': { const t = p.cell(line.amountCents); w.text(t, x, y, { ...opts, size: w.fitSize(t, c.width - 5, fs), field: p.ent('MONEY', `lineItems.${i}.amount`) }); break; }
      }
    }
    if (preset.table === 'grid') { w.rect(frame.left, y - 3, width, rowH, { border: 0.4 }); for (const c of cols.slice(1)) w.line(c.x, y - 3, c.x, y - 3 + rowH, 0.4); }
    if (preset.table === 'ruled') w.line(frame.left, y + rowH - 2, frame.right, y + rowH - 2, 0.3, 0.6);
    running += line.amountCents;
    y += rowH + (preset.table === 'plain' ? 1 : 2);
  });
  y += 8;

  // ---- totals -----------------------------------------------------------------------------------
  type Row = { label: string; cents: number; field: FieldRef | null; bold?: boolean };
  const rows: Row[] = [];
  const take = (f: string) => ctx.first.take(f);
  const hasAdjust = !!(m.discount || m.shipping);
  if (m.pricesIncludeTax) {
    if (m.shipping) rows.push({ label: p.L('shipping'), cents: m.shipping.cents, field: p.ent('MONEY') });
    rows.push({ label: p.L('total'), cents: m.totalCents, field: p.ent('MONEY', take('total')), bold: true });
    rows.push({ label: p.L('netTotal'), cents: m.subtotalCents, field: p.ent('MONEY', take('subtotal')) });
    for (const t of m.taxes) {
      const inc = p.L('taxIncluded', true);
      const label = inc.toLowerCase().includes(t.label.toLowerCase()) ? `${inc} ${p.rate(t.rateBp)}` : `${inc} ${t.label} ${p.rate(t.rateBp)}`;
      rows.push({ label, cents: t.taxCents, field: p.ent('MONEY', m.taxes.length === 1 ? take('tax') : null) });
    }
  } else {
    rows.push({ label: p.L('subtotal'), cents: m.itemsCents, field: p.ent('MONEY', hasAdjust ? 'itemsTotal' : take('subtotal')) });
    if (m.discount) rows.push({ label: `${p.L('docDiscount', true)} ${p.rate(m.discount.rateBp)}`, cents: -m.discount.cents, field: p.ent('MONEY') });
    if (m.shipping) rows.push({ label: p.L('shipping'), cents: m.shipping.cents, field: p.ent('MONEY') });
    if (hasAdjust) rows.push({ label: p.L('netTotal'), cents: m.subtotalCents, field: p.ent('MONEY', take('subtotal')) });
    for (const t of m.taxes) {
      const base = m.taxes.length > 1 && rng.chance(0.5) ? ` (${p.money(t.baseCents, false)})` : '';
      rows.push({ label: `${t.label} ${p.rate(t.rateBp)}${base}`, cents: t.taxCents, field: p.ent('MONEY', m.taxes.length === 1 ? take('tax') : null) });
    }
    if (m.taxes.length > 1 && rng.chance(0.6)) rows.push({ label: p.L('tax', true), cents: m.taxCents, field: p.ent('MONEY', take('tax')) });
    rows.push({ label: p.L('total'), cents: m.totalCents, field: p.ent('MONEY', take('total')), bold: true });
  }
  if (m.kind !== 'credit-note' && !preset.amountDueTop && rng.chance(0.2)) rows.push({ label: p.L('amountDue'), cents: m.totalCents, field: p.ent('MONEY'), bold: true });

  const breakdownH = preset.taxTable ? (m.taxes.length + 1) * (lh + 1) + 16 : 0;
  const needed = rows.length * (lh + 3) + 20 + breakdownH;
  if (y + needed > frame.bottom) { pages.compactHeader(); }
  if (preset.taxTable) y = drawTaxBreakdown(w, p, frame, y, fs, preset.taxTable);
  const amountX = frame.right - 3;
  const labelX = preset.totals === 'left' ? frame.left + 3 : preset.totals === 'in-table' ? (cols.find((c) => c.key === 'unitPrice')?.x ?? frame.right - 220) : frame.right - 230;
  if (preset.totals === 'box-right') w.rect(labelX - 8, y - 4, frame.right - labelX + 8, rows.length * (lh + 3) + 6, { border: 0.6 });
  const leftAmountX = frame.left + 230;
  for (const r of rows) {
    const base = r.label.match(/^(.*) \((.*)\)$/);
    const font = r.bold ? 'bold' : 'regular';
    // Labels shrink rather than run into the amount column.
    const amountLeft = (preset.totals === 'left' ? leftAmountX : amountX) - w.measure(p.money(r.cents), fs, font) - 8;
    const size = w.fitSize(r.label, amountLeft - labelX, fs, font);
    if (base) {
      // A tax row naming its base: the base amount is money too.
      w.runs([{ text: base[1]! }, { text: `(${base[2]!})`, field: p.ent('MONEY') }], labelX, y, { size, font });
    } else {
      w.text(r.label, labelX, y, { size, font });
    }
    w.text(p.money(r.cents), preset.totals === 'left' ? leftAmountX : amountX, y, { size: fs, font, align: 'right', field: r.field });
    if (preset.totals === 'in-table') w.line(labelX - 3, y + lh, frame.right, y + lh, 0.3, 0.5);
    if (r.bold && preset.totals !== 'in-table') w.line(labelX, y - 2, preset.totals === 'left' ? leftAmountX : frame.right, y - 2, 0.6);
    y += lh + 3;
  }
  y += 12;

  // ---- terms, thanks ----------------------------------------------------------------------------
  const needTerms = lh * (preset.due === 'payment-table' ? 7 : 4);
  if (y + needTerms > frame.bottom) pages.compactHeader();
  if (m.paymentDays !== null && m.kind !== 'credit-note' && preset.due === 'payment-table') y = drawPaymentTable(w, p, frame, y, fs, take);
  else if (m.paymentDays !== null && m.kind !== 'credit-note' && preset.due === 'terms-sentence') y = drawDueSentence(w, p, frame, y, fs, take);
  else if (m.paymentDays !== null && m.kind !== 'credit-note') {
    const sentence = p.L('terms', true);
    w.text(sentence, frame.left, y, { size: fs });
    y += lh;
    if (m.dueDate && rng.chance(0.6)) {
      w.runs([{ text: p.L('dueDate') }, { text: p.date(m.dueDate), field: p.ent('DATE', take('dueDate')) }], frame.left, y, { size: fs });
      y += lh;
    }
  }
  if (m.kind === 'credit-note' && rng.chance(0.5)) { w.text(p.L('refInvoice') + ' ' + (m.refInvoiceNumber ?? ''), frame.left, y, { size: fs }); y += lh; }
  if (rng.chance(0.5)) { w.text(p.L('thanks', true), frame.left, y + 4, { size: fs, font: 'italic' }); y += lh; }

  // ---- footer on every page, page numbers -------------------------------------------------------
  const total = w.pages.length;
  w.pages.forEach((_, index) => w.onPage(index, () => {
    drawFooter(w, p, preset, frame, index, take);
    if (total > 1) w.text(`${p.L('page', true)} ${index + 1} ${m.labels.of} ${total}`, frame.right, w.height - 22, { size: fs - 1, align: 'right' });
  }));
}

function drawFooter(w: PageWriter, p: Printer, preset: LayoutPreset, frame: Frame, pageIndex: number, take: (f: string) => string | null): void {
  const v = p.m.vendor;
  const size = preset.baseSize - 1.5;
  const lh = size * 1.3;
  const top = frame.bottom + 16;
  if (preset.footer === 'none') return;
  if (preset.footer === 'centre-line') {
    w.line(frame.left, top - 6, frame.right, top - 6, 0.4, 0.5);
    const parts: { text: string; field?: FieldRef | null }[] = [{ text: v.name, field: p.ent('ORG') }, { text: '|' }, { text: v.addressLines.join(', '), field: p.ent('ADDRESS') }];
    w.runs(parts, w.width / 2, top, { size, align: 'center' });
    const second: { text: string; field?: FieldRef | null }[] = [];
    if (v.iban) second.push({ text: (v.accountLabel ?? p.L('iban')) }, { text: v.iban });
    if (v.bic) second.push({ text: (v.bicLabel ?? p.L('bic')) }, { text: v.bic });
    if (v.vatId) second.push({ text: p.L('vatId') }, { text: v.vatId, field: p.ent('TAX_ID', take('vendor.taxId')) });
    if (second.length) w.runs(second, w.width / 2, top + lh, { size, align: 'center' });
    return;
  }
  // columns
  const cols: { text: string; field?: FieldRef | null }[][][] = [];
  const addrRef = p.ent('ADDRESS', pageIndex === 0 ? take('vendor.address') : null);
  cols.push([[{ text: v.name, field: p.ent('ORG') }], ...v.addressLines.map((l) => [{ text: l, field: addrRef }])]);
  const contact: { text: string; field?: FieldRef | null }[][] = [];
  if (v.phone) contact.push([{ text: p.L('phone') }, { text: v.phone }]);
  if (v.email) contact.push([{ text: p.L('email') }, { text: v.email }]);
  if (v.web) contact.push([{ text: v.web }]);
  if (contact.length) cols.push(contact);
  const bank: { text: string; field?: FieldRef | null }[][] = [];
  if (v.bankName) bank.push([{ text: v.bankName }]);
  if (v.iban) bank.push([{ text: (v.accountLabel ?? p.L('iban')) }, { text: v.iban }]);
  if (v.bic) bank.push([{ text: (v.bicLabel ?? p.L('bic')) }, { text: v.bic }]);
  if (bank.length) cols.push(bank);
  const legal: { text: string; field?: FieldRef | null }[][] = [];
  if (v.vatId) legal.push([{ text: p.L('vatId') }, { text: v.vatId, field: p.ent('TAX_ID', take('vendor.taxId')) }]);
  if (v.taxNo) legal.push([{ text: p.L('taxNo') }, { text: v.taxNo, field: p.ent('TAX_ID') }]);
  if (v.register) legal.push(...w.wrap(v.register, 120, size).map((t) => [{ text: t }]));
  if (legal.length) cols.push(legal);
  const colW = (frame.right - frame.left) / cols.length;
  cols.forEach((col, ci) => {
    let ri = 0;
    const x0 = frame.left + ci * colW;
    const maxW = colW - 6;
    for (const row of col) {
      let x = x0;
      for (const run of row) {
        const width = w.measure(run.text, size);
        // A run that does not fit after its label moves to the next row; only text that still
        // does not fit is shortened (and then not labelled).
        if (x > x0 && x + width > x0 + maxW) { ri++; x = x0; }
        const text = fit(w, run.text, x0 + maxW - x, size);
        const box = w.text(text, x, top + ri * lh, { size, field: text === run.text ? run.field ?? null : null });
        x = box[2] + w.gap(size);
      }
      ri++;
    }
  });
  w.line(frame.left, top - 6, frame.right, top - 6, 0.4, 0.5);
}

/** Shortens a string to a width (footers are narrow); a shortened field is printed but not labelled. */
function fit(w: PageWriter, text: string, maxWidth: number, size: number): string {
  if (w.measure(text, size) <= maxWidth) return text;
  let t = text;
  while (t.length > 1 && w.measure(`${t}.`, size) > maxWidth) t = t.slice(0, -1);
  return `${t.trimEnd()}.`;
}
