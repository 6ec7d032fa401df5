/**
 * Header and party blocks of the newer layout families:
 *  - form-style party blocks: a header ("Seller", "Buyer / Payer") over `Name:` / `Address:` lines;
 *  - a brand and tagline above the legal seller name; a payee (factoring company) above the supplier;
 *  - a two-column header: sender block left, document data right (labels above values, or columns);
 *  - a DIN 5008 window: one-line sender, unlabelled billing address, labelled delivery block beside it.
 * The record's vendor is always the legal supplier; brand and payee lines carry no record field.
 */
import type { Language } from './labels-text.js';
import type { LayoutContext, Run } from './layout-context.js';

/** Labels of an address line in a form block (no lexicon concept: never recorded). */
const ADDRESS_LABEL: Record<Language, string[]> = {
  en: ['Address', 'Addr.', 'Street address', 'Registered address'],
  de: ['Anschrift', 'Adresse', 'Straße / Ort', 'Sitz'],
  fr: ['Adresse', 'Siège', 'Adresse postale'],
  es: ['Dirección', 'Domicilio', 'Domicilio social'],
  it: ['Indirizzo', 'Sede', 'Sede legale'],
  nl: ['Adres', 'Vestigingsadres', 'Postadres'],
};

/** Generic taglines under a brand: general phrases, not taken from any document. */
const TAGLINES: Record<Language, string[]> = {
  en: ['Quality you can rely on', 'Your partner for every project', 'Service since 1998', 'Fast. Friendly. Fair.', 'Solutions that work'],
  de: ['Qualität, auf die Sie bauen können', 'Ihr Partner für jedes Projekt', 'Seit 1998 für Sie da', 'Schnell. Zuverlässig. Fair.'],
  fr: ['La qualité au quotidien', 'Votre partenaire de confiance', 'Depuis 1998 à votre service'],
  es: ['Calidad en la que confiar', 'Su socio de confianza', 'A su servicio desde 1998'],
  it: ['Qualità di cui fidarsi', 'Il vostro partner di fiducia', 'Al vostro servizio dal 1998'],
  nl: ['Kwaliteit waar u op kunt bouwen', 'Uw partner in elk project', 'Sinds 1998 tot uw dienst'],
};

export function tagline(lang: Language, pick: <T>(xs: readonly T[]) => T): string { return pick(TAGLINES[lang]); }

/** Brand line (large, accent colour) and tagline above the legal name; returns the y below. */
export function drawBrand(ctx: LayoutContext, x: number, y: number, align: 'left' | 'right' | 'center'): number {
  const { w, p, preset } = ctx;
  const brand = p.m.brand!;
  const size = w.fitSize(brand.name, ctx.frame.right - ctx.frame.left - 60, p.rng.pick([20, 24, 28]), 'bold', 12);
  w.text(brand.name, x, y, { font: 'bold', size, align, color: preset.accent });
  y += size + 4;
  if (brand.tagline) { w.text(brand.tagline, x, y, { font: 'italic', size: ctx.fs, align, color: [0.35, 0.35, 0.35] }); y += ctx.lh + 4; }
  return y + 4;
}

/** A payee (factoring company) box above the supplier: header, name, address on one line; returns the y below. */
export function drawPayee(ctx: LayoutContext, y: number): number {
  const { w, p, frame, fs, lh } = ctx;
  const payee = p.m.payee!;
  const boxW = Math.min(300, frame.right - frame.left);
  const x = p.rng.chance(0.5) ? frame.left : frame.right - boxW;
  const lines = [payee.addressLines.join(', ')];
  const h = lh * (2 + lines.length) + 8;
  w.rect(x, y, boxW, h, { border: 0.5, stroke: 0.4 });
  w.text(p.L('payee'), x + 6, y + 4, { font: 'bold', size: fs - 0.5 });
  w.text(payee.name, x + 6, y + 4 + lh, { font: 'bold', size: w.fitSize(payee.name, boxW - 12, fs + 0.5, 'bold') });
  lines.forEach((line, i) => w.text(line, x + 6, y + 4 + lh * (2 + i), { size: w.fitSize(line, boxW - 12, fs - 0.5) }));
  return y + h + 14;
}

/** One party as a form: header, then `Name:`, `Address:` (first line labelled), VAT id, contact; returns the y below. */
export function drawFormParty(ctx: LayoutContext, role: 'vendor' | 'customer', x: number, top: number, maxW: number): number {
  const { w, p, fs, lh, first } = ctx;
  const party = role === 'vendor' ? p.m.vendor : p.m.customer;
  if (!party) return top;
  let y = top;
  const compound = role === 'customer' && p.rng.chance(0.3);
  const header = role === 'vendor' ? p.L('seller', true) : compound ? `${p.L('buyer', true)} / ${p.another('buyer', true)}` : p.L('buyer', true);
  w.text(header, x, y, { font: 'bold', size: fs + 0.5, color: ctx.preset.accent });
  w.line(x, y + fs + 3, x + maxW, y + fs + 3, 0.4, 0.5);
  y += lh + 6;
  const labelOf = (t: string) => (/[:#.]$/.test(t) ? t : `${t}:`);
  const nameLabel = labelOf(p.L('nameField', true));
  const addrLabel = labelOf(p.rng.pick(ADDRESS_LABEL[p.m.locale.language]));
  const labels = [nameLabel, addrLabel];
  const vatLabel = party.vatId ? labelOf(p.L('vatId', true)) : null;
  if (vatLabel) labels.push(vatLabel);
  const labelW = Math.max(...labels.map((l) => w.measure(l, fs, 'bold'))) + 8;
  const valueX = x + labelW;
  const valueW = maxW - labelW;
  const nameField = role === 'vendor' ? 'vendor.name' : 'customer.name';
  const entity = party.kind === 'org' ? 'ORG' : 'PERSON';
  const names = w.wrap(party.name, valueW, fs, 'bold');
  const ref = p.ent(entity, first.take(nameField));
  w.text(nameLabel, x, y, { font: 'bold', size: fs });
  for (const n of names) { w.text(n, valueX, y, { size: fs, font: 'bold', field: ref }); y += lh; }
  w.text(addrLabel, x, y, { font: 'bold', size: fs });
  const size = Math.min(...party.addressLines.map((l) => w.fitSize(l, valueW, fs)));
  y = ctx.addressBlock(party.addressLines, valueX, y, size, 'left', role === 'vendor' ? 'vendor.address' : 'customer.address');
  if (vatLabel && party.vatId) {
    w.text(vatLabel, x, y, { font: 'bold', size: fs });
    w.text(party.vatId, valueX, y, { size: fs, field: p.ent('TAX_ID', role === 'vendor' ? first.take('vendor.taxId') : first.take('customer.taxId')) });
    y += lh;
  }
  if (role === 'vendor' && party.phone && p.rng.chance(0.6)) {
    const phone = labelOf(p.L('phone', true));
    w.text(phone, x, y, { font: 'bold', size: w.fitSize(phone, labelW - 4, fs, 'bold') });
    w.text(party.phone, valueX, y, { size: fs });
    y += lh;
  }
  return y;
}

/**
 * The two-column header: sender block left (name, address, contact, VAT id), title and document
 * data right, with labels stacked above their values or as a label/value column. Returns the y below.
 */
export function drawTwoColumnHeader(ctx: LayoutContext, top: number): number {
  const { w, p, frame, fs, lh, first } = ctx;
  const v = p.m.vendor;
  const mid = frame.left + (frame.right - frame.left) * 0.55;
  const leftW = mid - frame.left - 16;
  let ly = top;
  if (p.m.brand) ly = drawBrand(ctx, frame.left, ly, 'left');
  const nameSize = w.fitSize(v.name, leftW, p.rng.pick([12, 14, 16]), 'bold', 8);
  w.text(v.name, frame.left, ly, { font: 'bold', size: nameSize, field: p.ent('ORG', first.take('vendor.name')) });
  ly = ctx.addressBlock(v.addressLines, frame.left, ly + nameSize + 4, fs, 'left', 'vendor.address');
  const contact: Run[][] = [];
  if (v.phone) contact.push([{ text: p.L('phone') }, { text: v.phone }]);
  if (v.email) contact.push([{ text: p.L('email') }, { text: v.email }]);
  if (v.vatId) contact.push([{ text: p.L('vatId') }, { text: v.vatId, field: p.ent('TAX_ID', first.take('vendor.taxId')) }]);
  for (const row of contact) { w.runs(row, frame.left, ly, { size: w.fitSize(row.map((r) => r.text).join('   '), leftW, fs - 0.5) }); ly += lh; }

  const rightW = frame.right - mid;
  let ry = top;
  const titleSize = w.fitSize(ctx.title, rightW, p.rng.pick([16, 18, 20]), 'bold', 10);
  w.text(ctx.title, mid, ry, { font: 'bold', size: titleSize });
  ry += titleSize + 10;
  if (p.rng.chance(0.5)) {
    // Labels stacked above values, two data cells per row.
    const cellW = rightW / 2;
    ctx.pairs.forEach((q, i) => {
      const cx = mid + (i % 2) * cellW;
      const cy = ry + Math.floor(i / 2) * (lh * 2 + 6);
      const label = q.label.replace(/:$/, '');
      w.text(label, cx, cy, { size: w.fitSize(label, cellW - 8, fs - 1, 'regular', 5), color: [0.4, 0.4, 0.4] });
      w.text(q.value, cx, cy + lh, { size: w.fitSize(q.value, cellW - 8, fs, 'bold', 5), font: 'bold', field: q.field });
    });
    ry += Math.ceil(ctx.pairs.length / 2) * (lh * 2 + 6);
  } else {
    ry = ctx.drawPairs(mid, ry, rightW, p.rng.chance(0.5));
  }
  let y = Math.max(ly, ry) + 20;
  const heading = p.rng.chance(0.6) ? p.L('billTo') : null;
  y = ctx.customerBlock(frame.left, y, heading, leftW) + 16;
  return y;
}

/**
 * DIN 5008 window without a label: one-line sender above the billing address; a labelled delivery
 * block beside the window; the document data below both as one row of pairs. Returns the y below.
 */
export function drawWindowWithDelivery(ctx: LayoutContext, top: number): number {
  const { w, p, frame, fs, lh, first } = ctx;
  const v = p.m.vendor;
  const wy = Math.max(top + 14, 127);
  const senderRuns: Run[] = [{ text: v.name, field: p.ent('ORG') }, { text: p.rng.pick(['·', '-', '|']) }, { text: v.addressLines.join(', '), field: p.ent('ADDRESS') }];
  const senderWidth = senderRuns.reduce((s, r) => s + w.measure(r.text, 6.5) + 4, 0);
  w.runs(senderRuns, frame.left, wy - 14, { size: Math.max(4.5, Math.min(6.5, 6.5 * 240 / senderWidth)) });
  w.line(frame.left, wy - 5, frame.left + 240, wy - 5, 0.3, 0.4);
  const cEnd = ctx.customerBlock(frame.left, wy, null, 230);
  // Delivery block beside the window, always labelled.
  const dx = frame.left + 262;
  const dW = frame.right - dx;
  let dy = wy - 14;
  w.text(p.L('shipTo', true), dx, dy, { font: 'bold', size: fs, color: ctx.preset.accent });
  dy += lh;
  const ship = p.m.shipTo ?? p.m.customer?.addressLines ?? [];
  if (p.m.shipToName) { w.text(p.m.shipToName, dx, dy, { size: w.fitSize(p.m.shipToName, dW, fs), font: 'bold', field: p.ent('ORG') }); dy += lh; }
  const ref = p.ent('ADDRESS');
  for (const line of ship) { w.text(line, dx, dy, { size: w.fitSize(line, dW, fs), field: ref }); dy += lh; }
  let y = Math.max(cEnd, dy) + 20;
  w.text(ctx.title, frame.left, y, { font: 'bold', size: 14 });
  y += 26;
  // The data row: label above value, as many columns as pairs (at most five per row).
  const perRow = Math.min(5, ctx.pairs.length);
  const colW = (frame.right - frame.left) / perRow;
  ctx.pairs.forEach((q, i) => {
    const cx = frame.left + (i % perRow) * colW;
    const cy = y + Math.floor(i / perRow) * (lh * 2 + 6);
    const label = q.label.replace(/:$/, '');
    w.text(label, cx, cy, { size: w.fitSize(label, colW - 6, fs - 1, 'regular', 5), color: [0.35, 0.35, 0.35] });
    w.text(q.value, cx, cy + lh, { size: w.fitSize(q.value, colW - 6, fs, 'regular', 5), field: q.field });
  });
  y += Math.ceil(ctx.pairs.length / perRow) * (lh * 2 + 6) + 10;
  return y;
}
