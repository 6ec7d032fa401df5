/**
 * Draws an A4/Letter invoice from a model and a layout preset: letterhead, parties, meta data,
 * the items table (paginated with repeated headers and carried totals), totals, terms, footer.
 * Every labelled string is recorded with its field and box by the PageWriter.
 */
import type { InvoiceModel } from './invoice-model.js';
import type { LayoutPreset } from './layout-presets.js';
import type { FieldRef, PageWriter } from './page-writer.js';
import type { LayoutContext, Pair } from './layout-context.js';
import { drawBrand, drawFormParty, drawPayee, drawTwoColumnHeader, drawWindowWithDelivery } from './layout-parties.js';
import { drawItemsAndTotals } from './layout-table.js';
import { FirstUse, type Frame, type Printer } from './printer.js';

const PAPER = { A4: [595.28, 841.89], Letter: [612, 792] } as const;
export function paperSize(m: InvoiceModel): [number, number] { return [...PAPER[m.locale.paper]] as [number, number]; }

/** What sits between a title and its number ("Facture n° 12"; "" for "Invoice INV-0042"). */
const TITLE_CONNECTORS: Record<string, string[]> = {
  en: ['', '', 'No.', '#'], de: ['', 'Nr.'], fr: ['n°', 'N°', 'no'], es: ['nº', 'n.º', 'Nº'], it: ['n.', 'nr.', 'N.'], nl: ['', 'nr.'],
};

export function drawInvoice(w: PageWriter, p: Printer, preset: LayoutPreset): void {
  const m = p.m;
  const rng = p.rng;
  const first = new FirstUse();
  const fs = preset.baseSize;
  const lh = fs * 1.35;
  const frame: Frame = { left: rng.int(40, 62), right: w.width - rng.int(36, 55), top: rng.int(32, 50), bottom: w.height - (preset.footer === 'none' ? 40 : 88) };
  const sidebarW = preset.header === 'sidebar' ? 150 : 0;
  if (sidebarW) frame.left = sidebarW + 24;
  const title = m.kind === 'credit-note' ? p.L('creditNote', true) : m.kind === 'tax-invoice' ? p.L('taxInvoice', true) : p.L('invoice', true);
  const numberLabel = m.kind === 'credit-note' ? p.L('creditNoteNo') : p.L('invoiceNo');
  const v = m.vendor;
  const pairs: Pair[] = [];
  // Helpers are reached through ctx by the block drawers of layout-parties.ts; they are defined below.
  const ctx: LayoutContext = {
    w, p, preset, frame, first, fs, lh, title, pairs,
    addressBlock: (...a) => addressBlock(...a), customerBlock: (...a) => customerBlock(...a), drawPairs: (...a) => drawPairs(...a),
  };
  const connector = preset.numberInTitle ? rng.pick(TITLE_CONNECTORS[m.locale.language] ?? ['']) : '';
  /** The title, followed by the document number when the family prints it there. */
  const drawTitle = (x: number, ty: number, size: number, align: 'left' | 'right' | 'center') => {
    if (!preset.numberInTitle) { w.text(title, x, ty, { font: 'bold', size, align }); return; }
    const runs = [{ text: title }, ...(connector ? [{ text: connector }] : []), { text: m.invoiceNumber, field: p.ent('INVOICE_NO', first.take('invoiceNumber')) }];
    w.runs(runs, x, ty, { font: 'bold', size, align });
  };

  const vendorName = (x: number, y: number, size: number, align: 'left' | 'right' | 'center', color?: [number, number, number]) =>
    w.text(v.name, x, y, { font: 'bold', size, align, color: color ?? [0, 0, 0], field: p.ent('ORG', first.take('vendor.name')) });
  const addressBlock = (lines: string[], x: number, y: number, size: number, align: 'left' | 'right' | 'center', field: string | null, color?: [number, number, number]) => {
    const ref = p.ent('ADDRESS', field ? first.take(field) : null);
    lines.forEach((line, i) => w.text(line, x, y + i * size * 1.3, { size, align, field: ref, color: color ?? [0, 0, 0] }));
    return y + lines.length * size * 1.3;
  };
  const taxIdRuns = (label: string, value: string, field: string | null): { text: string; field?: FieldRef | null }[] =>
    [{ text: label }, { text: value, field: p.ent('TAX_ID', field ? first.take(field) : null) }];

  // ---- letterhead -------------------------------------------------------------------------------
  let y = frame.top;
  if (preset.vendorHead === 'payee' && m.payee) y = drawPayee(ctx, y);
  const contactLines = (): { text: string; field?: FieldRef | null }[][] => {
    const rows: { text: string; field?: FieldRef | null }[][] = [];
    if (v.phone) rows.push([{ text: p.L('phone') }, { text: v.phone }]);
    if (v.email) rows.push([{ text: p.L('email') }, { text: v.email }]);
    if (v.web && rng.chance(0.5)) rows.push([{ text: v.web }]);
    if (v.vatId && rng.chance(0.5)) rows.push(taxIdRuns(p.L('vatId'), v.vatId, 'vendor.taxId'));
    return rows;
  };
  if (preset.header === 'banner') {
    w.rect(0, 0, w.width, 78, { fill: preset.accent });
    vendorName(frame.left, 20, 16, 'left', [1, 1, 1]);
    addressBlock([v.addressLines.join(', ')], frame.left, 42, fs, 'left', 'vendor.address', [1, 1, 1]);
    w.text(title, frame.right, 22, { font: 'bold', size: 22, align: 'right', color: [1, 1, 1] });
    y = 96;
  } else if (preset.header === 'sidebar') {
    w.rect(0, 0, sidebarW, w.height, { fill: [0.92, 0.93, 0.95] });
    let sy = 40;
    const names = w.wrap(v.name, sidebarW - 30, 12, 'bold');
    const ref = p.ent('ORG', first.take('vendor.name'));
    for (const n of names) { w.text(n, 16, sy, { font: 'bold', size: 12, field: ref }); sy += 15; }
    const addrSize = Math.min(...v.addressLines.map((l) => w.fitSize(l, sidebarW - 24, fs)));
    sy = addressBlock(v.addressLines, 16, sy + 6, addrSize, 'left', 'vendor.address') + 10;
    for (const row of contactLines()) { w.runs(row, 16, sy, { size: w.fitSize(row.map((r) => r.text).join('   '), sidebarW - 24, fs - 0.5) }); sy += lh; }
    sy += 10;
    if (v.iban) { w.text(p.L('bank'), 16, sy, { font: 'bold', size: fs }); sy += lh; w.text(v.iban, 16, sy, { size: fs - 1 }); sy += lh; }
    if (v.bic) { w.runs([{ text: (v.bicLabel ?? p.L('bic')) }, { text: v.bic }], 16, sy, { size: fs - 1 }); sy += lh; }
    y = 40;
  } else if (preset.header !== 'none') {
    const align = preset.header === 'left' ? 'left' : preset.header === 'right' ? 'right' : 'center';
    const x = align === 'left' ? frame.left : align === 'right' ? frame.right : w.width / 2;
    // The name keeps clear of the amount-due box (top right) and of the page edges.
    const room = preset.amountDueTop ? frame.right - frame.left - 200 : frame.right - frame.left;
    if (preset.vendorHead === 'brand' && m.brand) y = drawBrand(ctx, x, y, align);
    const nameSize = w.fitSize(v.name, room, preset.vendorHead === 'brand' ? rng.pick([10, 11, 12]) : rng.pick([13, 15, 17, 20]), 'bold', 9);
    vendorName(x, y, nameSize, align, preset.accent);
    y += nameSize + 6;
    if (preset.header === 'centre' || rng.chance(0.5)) {
      addressBlock([v.addressLines.join(rng.pick([', ', ' - ', ' | ']))], x, y, fs, align, 'vendor.address');
      y += lh;
    } else {
      y = addressBlock(v.addressLines, x, y, fs, align, 'vendor.address');
    }
    for (const row of contactLines()) { w.runs(row, x, y, { size: fs - 0.5, align }); y += lh; }
    y += 12;
  }

  // ---- title ------------------------------------------------------------------------------------
  const titleSize = rng.pick([16, 18, 22]);
  const ownTitle = preset.parties === 'two-column-header' || preset.parties === 'din-delivery';
  if (ownTitle) { /* the header block draws the title */ }
  else if (preset.title === 'centre') { drawTitle(w.width / 2, y, titleSize, 'center'); y += titleSize + 14; }
  else if (preset.title === 'left' && preset.header !== 'right') { drawTitle(frame.left, y, titleSize, 'left'); y += titleSize + 12; }
  const titleRight = preset.title === 'right' || (preset.title === 'left' && preset.header === 'right');

  // ---- meta pairs -------------------------------------------------------------------------------
  if (!preset.numberInTitle) pairs.push({ label: numberLabel, value: m.invoiceNumber, field: p.ent('INVOICE_NO', first.take('invoiceNumber')) });
  pairs.push({ label: p.L('invoiceDate'), value: p.date(m.invoiceDate), field: p.ent('DATE', first.take('invoiceDate')) });
  if (m.refInvoiceNumber) pairs.push({ label: p.L('refInvoice'), value: m.refInvoiceNumber, field: null });
  if (m.refInvoiceDate) pairs.push({ label: p.L('invoiceDate'), value: p.date(m.refInvoiceDate), field: p.ent('DATE', 'refInvoiceDate') });
  if (m.deliveryDate) pairs.push({ label: p.L('deliveryDate'), value: p.date(m.deliveryDate), field: p.ent('DATE', 'deliveryDate') });
  if (m.orderNumber) pairs.push({ label: p.L('orderNo'), value: m.orderNumber, field: null });
  if (m.orderDate) pairs.push({ label: p.L('orderDate'), value: p.date(m.orderDate), field: p.ent('DATE', 'orderDate') });
  if (m.customerNumber) pairs.push({ label: p.L('customerNo'), value: m.customerNumber, field: null });
  if (m.dueDate && !preset.due && rng.chance(0.7)) pairs.push({ label: p.L('dueDate'), value: p.date(m.dueDate), field: p.ent('DATE', first.take('dueDate')) });
  const note = p.currencyNote();

  const drawPairs = (x: number, top: number, width: number, right: boolean): number => {
    const labelW = Math.max(0, ...pairs.map((q) => w.measure(q.label, fs, 'bold'))) + 10;
    let py = top;
    for (const q of pairs) {
      w.text(q.label, x, py, { size: fs, font: 'bold' });
      if (right) w.text(q.value, x + width, py, { size: fs, align: 'right', field: q.field });
      else w.text(q.value, x + labelW, py, { size: fs, field: q.field });
      py += lh;
    }
    return py;
  };
  const drawBoxes = (top: number): number => {
    const colW = (frame.right - frame.left) / Math.min(pairs.length, 4);
    let py = top;
    for (let i = 0; i < pairs.length; i += 4) {
      pairs.slice(i, i + 4).forEach((q, j) => {
        const x = frame.left + j * colW;
        w.rect(x, py, colW - 4, lh * 2 + 6, { border: 0.5, stroke: 0.5 });
        w.text(q.label, x + 4, py + 3, { size: fs - 1.5, color: [0.35, 0.35, 0.35] });
        w.text(q.value, x + 4, py + 3 + lh, { size: fs, font: 'bold', field: q.field });
      });
      py += lh * 2 + 12;
    }
    return py;
  };

  // ---- parties ----------------------------------------------------------------------------------
  const customerBlock = (x: number, top: number, heading: string | null, maxW: number): number => {
    const c = m.customer;
    let cy = top;
    if (heading) { w.text(heading, x, cy, { font: 'bold', size: fs - 0.5, color: preset.accent }); cy += lh; }
    if (!c) return cy;
    // Private customers: a salutation line (German window letters) or title (elsewhere), never part of the name.
    if (c.kind === 'person' && rng.chance(0.4)) {
      const lang = m.locale.language;
      const salutation = rng.pick(({ de: ['Herrn', 'Frau'], fr: ['M.', 'Mme'], es: ['Sr.', 'Sra.'], it: ['Sig.', 'Sig.ra'], nl: ['Dhr.', 'Mevr.'] } as Record<string, string[]>)[lang] ?? ['Mr', 'Ms', 'Mrs']);
      w.text(salutation, x, cy, { size: fs });
      cy += lh;
    }
    const names = w.wrap(c.name, maxW, fs + 1, 'bold');
    const ref = p.ent(c.kind === 'org' ? 'ORG' : 'PERSON', first.take('customer.name'));
    for (const n of names) { w.text(n, x, cy, { size: fs + 1, font: 'bold', field: ref }); cy += lh + 1; }
    if (c.contact && c.kind === 'org') { w.runs([{ text: p.L('contact') }, { text: c.contact, field: p.ent('PERSON') }], x, cy, { size: fs }); cy += lh; }
    cy = addressBlock(c.addressLines, x, cy, fs, 'left', 'customer.address');
    if (c.vatId) { w.runs(taxIdRuns(p.L('vatId'), c.vatId, 'customer.taxId'), x, cy, { size: fs - 0.5 }); cy += lh; }
    if (c.email && rng.chance(0.5)) { w.text(c.email, x, cy, { size: fs - 0.5 }); cy += lh; }
    return cy;
  };
  const shipToBlock = (x: number, top: number): number => {
    if (!m.shipTo) return top;
    w.text(p.L('shipTo'), x, top, { font: 'bold', size: fs - 0.5, color: preset.accent });
    return addressBlock(m.shipTo, x, top + lh, fs, 'left', null);
  };

  const mid = frame.left + (frame.right - frame.left) * 0.55;
  let after: number;
  if (preset.parties === 'form') {
    const colW = (frame.right - frame.left) / 2 - 12;
    const vEnd = drawFormParty(ctx, 'vendor', frame.left, y, colW);
    let cEnd = drawFormParty(ctx, 'customer', frame.left + colW + 24, y, colW);
    if (m.shipTo) cEnd = shipToBlock(frame.left + colW + 24, cEnd + 10) + 6;
    const top = Math.max(vEnd, cEnd) + 14;
    after = preset.meta === 'boxes' || rng.chance(0.4) ? drawBoxes(top) + 8 : drawPairs(frame.left, top, 220, false) + 14;
  } else if (preset.parties === 'two-column-header') {
    after = drawTwoColumnHeader(ctx, y);
    if (m.shipTo) after = shipToBlock(frame.left, after) + 12;
  } else if (preset.parties === 'din-delivery') {
    after = drawWindowWithDelivery(ctx, y);
  } else if (preset.parties === 'din') {
    // DIN 5008: a one-line sender above the recipient in the envelope window.
    const wy = Math.max(y + 14, 127);
    const senderRuns = [{ text: v.name, field: p.ent('ORG') }, { text: rng.pick(['·', '-', '|']) }, { text: v.addressLines.join(', '), field: p.ent('ADDRESS') }];
    const senderWidth = senderRuns.reduce((s, r) => s + w.measure(r.text, 6.5) + 4, 0);
    w.runs(senderRuns, frame.left, wy - 14, { size: Math.max(4.5, Math.min(6.5, 6.5 * 240 / senderWidth)) });
    w.line(frame.left, wy - 5, frame.left + 240, wy - 5, 0.3, 0.4);
    const cEnd = customerBlock(frame.left, wy, null, 230);
    const mEnd = drawPairs(Math.max(mid - 10, frame.left + 262), wy - 14, frame.right - Math.max(mid - 10, frame.left + 262), rng.chance(0.5));
    after = Math.max(cEnd, mEnd) + 24;
    if (preset.numberInTitle) { drawTitle(frame.left, after, 14, 'left'); after += 28; }
    else if (titleRight || preset.title === 'left') { w.text(title + (rng.chance(0.5) ? ` ${m.invoiceNumber}` : ''), frame.left, after, { font: 'bold', size: 14 }); after += 28; }
  } else if (preset.parties === 'two-column') {
    if (titleRight) { drawTitle(frame.right, y - 4, titleSize, 'right'); y += titleSize + 8; }
    const colW = (frame.right - frame.left) / 2 - 10;
    w.text(p.L('from'), frame.left, y, { font: 'bold', size: fs - 0.5, color: preset.accent });
    let fy = y + lh;
    w.text(v.name, frame.left, fy, { size: fs + 1, font: 'bold', field: p.ent('ORG', first.take('vendor.name')) });
    fy = addressBlock(v.addressLines, frame.left, fy + lh + 1, fs, 'left', 'vendor.address');
    if (v.vatId) { w.runs(taxIdRuns(p.L('vatId'), v.vatId, 'vendor.taxId'), frame.left, fy, { size: fs - 0.5 }); fy += lh; }
    const cy = customerBlock(frame.left + colW + 20, y, p.L('billTo'), colW);
    let ay = Math.max(fy, cy) + 14;
    if (m.shipTo) ay = shipToBlock(frame.left + colW + 20, ay) + 10;
    after = preset.meta === 'boxes' ? drawBoxes(ay) + 8 : drawPairs(frame.left, ay, colW, false) + 14;
  } else if (preset.parties === 'stacked') {
    if (titleRight) { drawTitle(frame.right, y - 4, titleSize, 'right'); }
    let sy = customerBlock(frame.left, y + (titleRight ? titleSize + 6 : 0), p.L('billTo'), 250) + 10;
    if (m.shipTo) sy = shipToBlock(frame.left, sy) + 10;
    const my = preset.meta === 'pairs-left' ? drawPairs(frame.left, sy, 200, false) : drawPairs(mid, y + titleSize + 8, frame.right - mid, true);
    after = Math.max(sy, my) + 16;
  } else {
    // window: customer left, meta right (or below, for pairs-left)
    if (titleRight) { drawTitle(frame.right, y, titleSize, 'right'); y += titleSize + 10; }
    const heading = rng.chance(0.5) ? p.L('billTo') : null;
    let cy = customerBlock(frame.left, y, heading, 240) + 8;
    if (m.shipTo) cy = shipToBlock(frame.left, cy) + 8;
    if (preset.meta === 'boxes') after = drawBoxes(cy + 6) + 8;
    else if (preset.meta === 'pairs-left') after = drawPairs(frame.left, cy + 6, 200, false) + 16;
    else after = Math.max(cy, drawPairs(mid, y, frame.right - mid, rng.chance(0.6))) + 18;
  }
  y = after;
  if (preset.amountDueTop) {
    const boxW = 190;
    w.rect(frame.right - boxW, frame.top, boxW, 44, { fill: [0.93, 0.93, 0.93] });
    w.text(p.L('amountDue', true), frame.right - boxW + 8, frame.top + 6, { size: fs, font: 'bold' });
    w.text(p.money(m.totalCents), frame.right - 8, frame.top + 22, { size: 14, font: 'bold', align: 'right', field: p.ent('MONEY', first.take('total')) });
  }
  if (note) { w.text(note, frame.left, y, { size: fs - 0.5, font: 'italic' }); y += lh + 4; }

  drawItemsAndTotals(w, p, preset, frame, y, { title, numberLabel, first });
}
