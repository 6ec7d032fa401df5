/**
 * Payment and tax blocks of the newer families: the due date only in a payment table
 * ("Fällig am | Betrag") or only in a terms sentence ("zahlbar bis 04.04.2024"), and a tax
 * breakdown table (category code, rate, base, tax per rate) between the items and the totals.
 * The labelled tax amount of the totals block stays the record's tax; breakdown rows carry none.
 */
import type { Language } from './labels-text.js';
import type { FieldRef, PageWriter } from './page-writer.js';
import type { Frame, Printer } from './printer.js';
import { addDays } from './dates.js';
import { percentOf } from './money.js';

type Take = (field: string) => string | null;

/** Sentences that state the due date: {date} is the due date, {amount} the total. General wordings. */
const DUE_SENTENCES: Record<Language, string[]> = {
  en: ['Please pay the total amount by {date}.', 'Payable by {date} without deduction.', 'Payment is due on {date}.',
    'Please transfer {amount} by {date} to the account below.', 'Kindly settle this invoice no later than {date}.'],
  de: ['Zahlbar bis {date} ohne Abzug.', 'Bitte überweisen Sie den Betrag von {amount} bis zum {date}.', 'Der Rechnungsbetrag ist bis spätestens {date} fällig.',
    'Bitte begleichen Sie die Rechnung bis {date}.', 'Zahlbar ohne Abzug bis zum {date} auf das unten genannte Konto.'],
  fr: ['Paiement à effectuer avant le {date}.', 'À régler au plus tard le {date}.', 'Merci de régler la somme de {amount} avant le {date}.',
    'Facture payable au plus tard le {date}.'],
  es: ['Pagar antes del {date}.', 'Rogamos abonen el importe de {amount} antes del {date}.', 'Vencimiento de la factura el {date}.',
    'Forma de pago: transferencia antes del {date}.'],
  it: ['Pagamento entro il {date}.', 'Da saldare entro il {date} tramite bonifico.', "Si prega di pagare l'importo di {amount} entro il {date}.",
    'Pagamento con bonifico bancario entro il {date}.'],
  nl: ['Gelieve te betalen voor {date}.', 'Te voldoen uiterlijk op {date}.', 'Wij verzoeken u het bedrag van {amount} voor {date} over te maken.',
    'Betaling uiterlijk {date} op onderstaande rekening.'],
};

/** Column titles of the payment table besides the due-date label. */
const PAY_TABLE: Record<Language, { amount: string[]; discount: string[] }> = {
  en: { amount: ['Amount', 'Amount due'], discount: ['Early payment', 'Less {rate} discount'] },
  de: { amount: ['Betrag', 'Zahlbetrag'], discount: ['abzgl. {rate} Skonto', 'Mit {rate} Skonto'] },
  fr: { amount: ['Montant'], discount: ['Escompte {rate}'] },
  es: { amount: ['Importe'], discount: ['Dto. pronto pago {rate}'] },
  it: { amount: ['Importo'], discount: ['Sconto {rate} pagamento anticipato'] },
  nl: { amount: ['Bedrag'], discount: ['Betalingskorting {rate}'] },
};

const CATEGORY_TITLE: Record<Language, string[]> = {
  en: ['Cat.', 'Tax cat.', 'Code'], de: ['Kat.', 'St.-Kz.', 'Code'], fr: ['Cat.', 'Code TVA'], es: ['Cat.', 'Cód.'], it: ['Cat.', 'Cod. IVA'], nl: ['Cat.', 'Code'],
};

/** A line's tax category as printed: UN/CEFACT codes (S standard, AA reduced, Z zero) or letters per rate. */
export function categoryCode(p: Printer, rateBp: number, style: 'uncl' | 'letters'): string {
  const rates = p.m.locale.taxRates;
  if (style === 'uncl') return rateBp === 0 ? 'Z' : rateBp === rates[0] ? 'S' : 'AA';
  const all = [...new Set(p.m.taxes.map((t) => t.rateBp))].sort((a, b) => b - a);
  return 'ABCDEFG'[Math.max(0, all.indexOf(rateBp))]!;
}
export function categoryTitle(p: Printer): string { return p.rng.pick(CATEGORY_TITLE[p.m.locale.language]); }

/** The tax breakdown: one row per rate with code, rate, base and tax; returns the y below. */
export function drawTaxBreakdown(w: PageWriter, p: Printer, frame: Frame, y: number, fs: number, style: 'uncl' | 'letters'): number {
  const lh = fs * 1.35;
  const x0 = frame.right - 300;
  const cols = [x0, x0 + 50, x0 + 110, x0 + 205, frame.right];
  const titles = [categoryTitle(p), p.L('vatRate', true), p.L('netTotal', true), p.L('tax', true)];
  w.line(x0, y - 2, frame.right, y - 2, 0.4, 0.4);
  titles.forEach((t, i) => {
    const right = i >= 1;
    const x = right ? cols[i + 1]! - 3 : cols[i]! + 3;
    w.text(t, x, y, { size: w.fitSize(t, cols[i + 1]! - cols[i]! - 6, fs - 1, 'bold', 4), font: 'bold', align: right ? 'right' : 'left' });
  });
  y += lh + 2;
  for (const t of p.m.taxes) {
    w.text(categoryCode(p, t.rateBp, style), cols[0]! + 3, y, { size: fs });
    w.text(p.rate(t.rateBp), cols[2]! - 3, y, { size: fs, align: 'right' });
    w.text(p.cell(t.baseCents), cols[3]! - 3, y, { size: fs, align: 'right', field: p.ent('MONEY') });
    w.text(p.cell(t.taxCents), cols[4]! - 3, y, { size: fs, align: 'right', field: p.ent('MONEY') });
    y += lh + 1;
  }
  w.line(x0, y, frame.right, y, 0.4, 0.4);
  return y + 12;
}

/** The due date only in a payment table (optionally after an early-payment discount row); returns the y below. */
export function drawPaymentTable(w: PageWriter, p: Printer, frame: Frame, y: number, fs: number, take: Take): number {
  const m = p.m;
  if (!m.dueDate) return y;
  const lh = fs * 1.35;
  const lang = m.locale.language;
  const amountTitle = p.rng.pick(PAY_TABLE[lang].amount);
  const x0 = frame.left;
  const cols = [x0, x0 + 150, x0 + 300];
  w.rect(x0, y - 2, 300, lh + 2, { fill: [0.9, 0.9, 0.9] });
  w.text(p.L('dueDate', true), cols[0]! + 4, y, { size: fs, font: 'bold' });
  w.text(amountTitle, cols[2]! - 4, y, { size: fs, font: 'bold', align: 'right' });
  y += lh + 4;
  const rows: { date: ReturnType<typeof addDays>; cents: number; note: string | null; field: string | null }[] = [];
  if (p.rng.chance(0.3) && (m.paymentDays ?? 0) > 10) {
    const rateBp = p.rng.pick([200, 300]);
    const note = p.rng.pick(PAY_TABLE[lang].discount).replace('{rate}', p.rate(rateBp));
    rows.push({ date: addDays(m.invoiceDate, p.rng.pick([7, 10])), cents: m.totalCents - percentOf(m.totalCents, rateBp), note, field: null });
  }
  rows.push({ date: m.dueDate, cents: m.totalCents, note: null, field: 'dueDate' });
  for (const r of rows) {
    const ref: FieldRef = p.ent('DATE', r.field ? take(r.field) : null);
    const box = w.text(p.date(r.date), cols[0]! + 4, y, { size: fs, field: ref });
    if (r.note) w.text(r.note, box[2] + 10, y, { size: w.fitSize(r.note, cols[1]! + 80 - box[2], fs - 1, 'italic', 4), font: 'italic' });
    w.text(p.money(r.cents), cols[2]! - 4, y, { size: fs, align: 'right', field: p.ent('MONEY') });
    y += lh + 2;
  }
  w.line(x0, y, x0 + 300, y, 0.4, 0.5);
  return y + 10;
}

/** The due date only inside a sentence; returns the y below. */
export function drawDueSentence(w: PageWriter, p: Printer, frame: Frame, y: number, fs: number, take: Take): number {
  const m = p.m;
  if (!m.dueDate) return y;
  const template = p.rng.pick(DUE_SENTENCES[m.locale.language]);
  const pieces = template.split(/(\{date\}|\{amount\})/).filter((s) => s.length > 0);
  let x = frame.left;
  let size = fs;
  const text = (s: string) => (s === '{date}' ? p.date(m.dueDate!) : s === '{amount}' ? p.money(m.totalCents) : s);
  const width = pieces.reduce((s, piece) => s + w.measure(text(piece), fs), 0);
  if (width > frame.right - frame.left) size = w.fitSize(pieces.map(text).join(''), frame.right - frame.left, fs);
  for (const piece of pieces) {
    const field = piece === '{date}' ? p.ent('DATE', take('dueDate')) : piece === '{amount}' ? p.ent('MONEY') : null;
    const box = w.text(text(piece), x, y, { size, field });
    x = box[2];
  }
  return y + fs * 1.35;
}
