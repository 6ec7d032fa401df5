/**
 * Invoice facts in running text, for the token classifier's plain-text path (issue 14): the
 * sentences of cover e-mails, reminders, remittance notes and ledger memos that users type or paste
 * into `ledgerlens ner "..."`. Each record is one short message: whitespace words (punctuation
 * stays on its word, as in DocumentText), IOB2 tags, zero boxes (plain text has no layout).
 *
 * The facts come from the synthetic generator's invoice model (parties, numbers, dates and amounts
 * of every locale); the wording is composed from clause banks per language (a reference, then the
 * parties, dates and amounts in random order and number, joined by random punctuation), so no
 * sentence is a fixed template.
 *   node --import tsx training/prose-corpus.ts --count 3000 --seed 1 --out runs/corpus/prose-train.jsonl
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DATE_FORMATS, formatDate } from '../src/synth/dates.js';
import { buildInvoiceModel, LAYOUT_FAMILIES, type InvoiceModel } from '../src/synth/invoice-model.js';
import { LOCALE_IDS } from '../src/synth/locales.js';
import { formatMoney } from '../src/synth/money.js';
import { Rng } from '../src/synth/prng.js';

type Tag = 'ORG' | 'PERSON' | 'DATE' | 'MONEY' | 'INVOICE_NO' | 'TAX_ID' | 'ADDRESS';
/** A piece of the message: literal text (O) or a value with its entity type. */
type Piece = string | { text: string; tag: Tag };

interface Facts {
  title: string; number: Piece; vendor: Piece; customer: Piece | null; contact: Piece | null;
  date: Piece; due: Piece | null; total: Piece; tax: Piece | null; vatId: Piece | null; address: Piece | null;
  order: string | null; days: number | null;
}

/** Clause banks: each entry is a function of the facts, returning pieces or null when a fact is missing. */
interface Bank {
  ref: ((f: Facts) => Piece[])[];
  from: ((f: Facts) => Piece[] | null)[];
  to: ((f: Facts) => Piece[] | null)[];
  dated: ((f: Facts) => Piece[])[];
  due: ((f: Facts) => Piece[] | null)[];
  amount: ((f: Facts) => Piece[])[];
  amountSentence: ((f: Facts) => Piece[] | null)[];
  lead: ((f: Facts) => Piece[] | null)[];
  close: ((f: Facts) => Piece[] | null)[];
  /** Whole sentences around a reference: [before, after] pieces. */
  frames: ((f: Facts, ref: Piece[]) => Piece[] | null)[];
}

const opt = <T>(x: T | null, f: (x: T) => Piece[]): Piece[] | null => (x === null ? null : f(x));

const BANKS: Record<string, Bank> = {
  en: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'no.', f.number], (f) => [f.title, 'number', f.number], (f) => [`${f.title} #`, f.number], (f) => ['our', f.title, f.number], (f) => ['ref.', f.number]],
    from: [(f) => ['from', f.vendor], (f) => ['issued by', f.vendor], (f) => ['by', f.vendor], (f) => ['sent by', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['to', c]), (f) => opt(f.customer, (c) => ['for', c]), (f) => opt(f.customer, (c) => ['addressed to', c])],
    dated: [(f) => ['dated', f.date], (f) => ['of', f.date], (f) => ['issued on', f.date], (f) => ['on', f.date], (f) => ['from', f.date], (f) => ['date:', f.date]],
    due: [(f) => opt(f.due, (d) => ['due', d]), (f) => opt(f.due, (d) => ['due on', d]), (f) => opt(f.due, (d) => ['payable by', d]), (f) => opt(f.due, (d) => ['due by', d])],
    amount: [(f) => ['for', f.total], (f) => ['totalling', f.total], (f) => ['of', f.total], (f) => ['amounting to', f.total], (f) => ['over', f.total], (f) => ['with a total of', f.total]],
    amountSentence: [(f) => ['Total due:', f.total], (f) => ['Amount due:', f.total], (f) => ['Total:', f.total], (f) => ['The balance is', f.total], (f) => ['Please pay', f.total],
      (f) => ['Amount payable', f.total], (f) => ['Grand total', f.total], (f) => ['Outstanding:', f.total], (f) => opt(f.tax, (t) => ['VAT', t, 'included, total', f.total])],
    lead: [() => ['Hello,'], () => ['Hi,'], (f) => opt(f.contact, (c) => ['Dear', c, ',']), () => ['Dear Sir or Madam,'], () => ['Good morning,'], () => ['Reminder:'], () => ['FYI:'], () => ['Re:']],
    close: [() => ['Thank you for your business.'], () => ['Kind regards,'], (f) => opt(f.contact, (c) => ['Regards,', c]), (f) => ['Best wishes,', f.vendor],
      (f) => opt(f.vatId, (v) => ['VAT reg. no.', v]), (f) => opt(f.address, (a) => ['Address:', a]), (f) => opt(f.order, (o) => ['Your order', o]),
      (f) => opt(f.days, (d) => [`Payment within ${d} days, please.`]), () => ['Please quote the reference with your payment.']],
    frames: [(_, r) => ['Please find attached', ...r], (_, r) => ['Attached is', ...r], (_, r) => ['We have received', ...r], (_, r) => ['Our records show that', ...r, 'is still unpaid'],
      (_, r) => ['Could you confirm payment of', ...r], (_, r) => [...r, 'has been paid'], (_, r) => [...r, 'is overdue'], (_, r) => ['Payment for', ...r, 'received'], (_, r) => r, (_, r) => r,
      (f, r) => [f.vendor, 'sent', ...r], (f, r) => opt(f.customer, (c) => [c, 'paid', ...r])],
  },
  de: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'Nr.', f.number], (f) => [f.title, 'Nummer', f.number], (f) => ['unsere', f.title, f.number]],
    from: [(f) => ['von', f.vendor], (f) => ['der', f.vendor], (f) => ['ausgestellt von', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['an', c]), (f) => opt(f.customer, (c) => ['für', c])],
    dated: [(f) => ['vom', f.date], (f) => ['datiert', f.date], (f) => ['Datum:', f.date]],
    due: [(f) => opt(f.due, (d) => ['fällig am', d]), (f) => opt(f.due, (d) => ['zahlbar bis', d]), (f) => opt(f.due, (d) => ['fällig', d])],
    amount: [(f) => ['über', f.total], (f) => ['in Höhe von', f.total], (f) => ['mit', f.total]],
    amountSentence: [(f) => ['Gesamtbetrag:', f.total], (f) => ['Zu zahlen:', f.total], (f) => ['Summe', f.total], (f) => ['Offener Betrag:', f.total], (f) => ['Bitte überweisen Sie', f.total]],
    lead: [() => ['Hallo,'], (f) => opt(f.contact, (c) => ['Sehr geehrte(r)', c, ',']), () => ['Sehr geehrte Damen und Herren,'], () => ['Erinnerung:'], () => ['Betreff:']],
    close: [() => ['Vielen Dank.'], () => ['Mit freundlichen Grüßen'], (f) => opt(f.contact, (c) => ['Gruß,', c]), (f) => opt(f.vatId, (v) => ['USt-IdNr.', v]),
      (f) => opt(f.address, (a) => ['Anschrift:', a]), (f) => opt(f.days, (d) => [`Zahlbar innerhalb von ${d} Tagen.`])],
    frames: [(_, r) => ['anbei erhalten Sie', ...r], (_, r) => ['Im Anhang finden Sie', ...r], (_, r) => [...r, 'ist noch offen'], (_, r) => ['Wir haben', ...r, 'erhalten'], (_, r) => r, (f, r) => [f.vendor, 'schickt', ...r]],
  },
  fr: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'n°', f.number], (f) => [f.title, 'numéro', f.number], (f) => ['notre', f.title, f.number]],
    from: [(f) => ['de', f.vendor], (f) => ['émise par', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['à', c]), (f) => opt(f.customer, (c) => ['pour', c])],
    dated: [(f) => ['du', f.date], (f) => ['datée du', f.date], (f) => ['date :', f.date]],
    due: [(f) => opt(f.due, (d) => ['échéance', d]), (f) => opt(f.due, (d) => ['à régler avant le', d])],
    amount: [(f) => ['de', f.total], (f) => ["d'un montant de", f.total], (f) => ['pour', f.total]],
    amountSentence: [(f) => ['Total TTC :', f.total], (f) => ['Montant dû :', f.total], (f) => ['Net à payer', f.total], (f) => ['Reste à payer :', f.total]],
    lead: [() => ['Bonjour,'], () => ['Madame, Monsieur,'], (f) => opt(f.contact, (c) => ['Cher', c, ',']), () => ['Rappel :'], () => ['Objet :']],
    close: [() => ['Merci.'], () => ['Cordialement,'], (f) => opt(f.contact, (c) => ['Bien à vous,', c]), (f) => opt(f.vatId, (v) => ['TVA intracom.', v]),
      (f) => opt(f.address, (a) => ['Adresse :', a]), (f) => opt(f.days, (d) => [`Paiement à ${d} jours.`])],
    frames: [(_, r) => ['Veuillez trouver ci-joint', ...r], (_, r) => [...r, 'reste impayée'], (_, r) => ['Nous avons reçu', ...r], (_, r) => r, (f, r) => [f.vendor, 'vous adresse', ...r]],
  },
  es: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'n.º', f.number], (f) => [f.title, 'número', f.number], (f) => ['nuestra', f.title, f.number]],
    from: [(f) => ['de', f.vendor], (f) => ['emitida por', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['a', c]), (f) => opt(f.customer, (c) => ['para', c])],
    dated: [(f) => ['del', f.date], (f) => ['con fecha', f.date], (f) => ['fecha:', f.date]],
    due: [(f) => opt(f.due, (d) => ['vence el', d]), (f) => opt(f.due, (d) => ['vencimiento', d])],
    amount: [(f) => ['por', f.total], (f) => ['por importe de', f.total], (f) => ['de', f.total]],
    amountSentence: [(f) => ['Total a pagar:', f.total], (f) => ['Importe:', f.total], (f) => ['Total', f.total], (f) => ['Pendiente:', f.total]],
    lead: [() => ['Hola,'], () => ['Estimados señores:'], (f) => opt(f.contact, (c) => ['Estimado/a', c, ':']), () => ['Recordatorio:'], () => ['Asunto:']],
    close: [() => ['Gracias.'], () => ['Un saludo,'], (f) => opt(f.contact, (c) => ['Atentamente,', c]), (f) => opt(f.vatId, (v) => ['NIF', v]),
      (f) => opt(f.address, (a) => ['Dirección:', a]), (f) => opt(f.days, (d) => [`Pago a ${d} días.`])],
    frames: [(_, r) => ['Adjuntamos', ...r], (_, r) => [...r, 'sigue pendiente'], (_, r) => ['Hemos recibido', ...r], (_, r) => r, (f, r) => [f.vendor, 'envía', ...r]],
  },
  it: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'n.', f.number], (f) => [f.title, 'numero', f.number], (f) => ['la nostra', f.title, f.number]],
    from: [(f) => ['di', f.vendor], (f) => ['emessa da', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['a', c]), (f) => opt(f.customer, (c) => ['per', c])],
    dated: [(f) => ['del', f.date], (f) => ['in data', f.date], (f) => ['data:', f.date]],
    due: [(f) => opt(f.due, (d) => ['scadenza', d]), (f) => opt(f.due, (d) => ['da pagare entro il', d])],
    amount: [(f) => ['di', f.total], (f) => ["per un importo di", f.total], (f) => ['per', f.total]],
    amountSentence: [(f) => ['Totale da pagare:', f.total], (f) => ['Importo:', f.total], (f) => ['Totale', f.total], (f) => ['Saldo:', f.total]],
    lead: [() => ['Buongiorno,'], () => ['Gentili signori,'], (f) => opt(f.contact, (c) => ['Gentile', c, ',']), () => ['Promemoria:'], () => ['Oggetto:']],
    close: [() => ['Grazie.'], () => ['Cordiali saluti,'], (f) => opt(f.contact, (c) => ['Saluti,', c]), (f) => opt(f.vatId, (v) => ['P. IVA', v]),
      (f) => opt(f.address, (a) => ['Indirizzo:', a]), (f) => opt(f.days, (d) => [`Pagamento a ${d} giorni.`])],
    frames: [(_, r) => ['In allegato', ...r], (_, r) => [...r, 'risulta ancora aperta'], (_, r) => ['Abbiamo ricevuto', ...r], (_, r) => r, (f, r) => [f.vendor, 'invia', ...r]],
  },
  nl: {
    ref: [(f) => [f.title, f.number], (f) => [f.title, 'nr.', f.number], (f) => [f.title, 'nummer', f.number], (f) => ['onze', f.title, f.number]],
    from: [(f) => ['van', f.vendor], (f) => ['uitgegeven door', f.vendor]],
    to: [(f) => opt(f.customer, (c) => ['aan', c]), (f) => opt(f.customer, (c) => ['voor', c])],
    dated: [(f) => ['van', f.date], (f) => ['gedateerd', f.date], (f) => ['datum:', f.date]],
    due: [(f) => opt(f.due, (d) => ['vervalt op', d]), (f) => opt(f.due, (d) => ['te betalen voor', d])],
    amount: [(f) => ['van', f.total], (f) => ['ter waarde van', f.total], (f) => ['voor', f.total]],
    amountSentence: [(f) => ['Totaal te betalen:', f.total], (f) => ['Bedrag:', f.total], (f) => ['Totaal', f.total], (f) => ['Openstaand:', f.total]],
    lead: [() => ['Hallo,'], () => ['Geachte heer/mevrouw,'], (f) => opt(f.contact, (c) => ['Beste', c, ',']), () => ['Herinnering:'], () => ['Betreft:']],
    close: [() => ['Dank u.'], () => ['Met vriendelijke groet,'], (f) => opt(f.contact, (c) => ['Groet,', c]), (f) => opt(f.vatId, (v) => ['btw-nr.', v]),
      (f) => opt(f.address, (a) => ['Adres:', a]), (f) => opt(f.days, (d) => [`Betaling binnen ${d} dagen.`])],
    frames: [(_, r) => ['Bijgaand ontvangt u', ...r], (_, r) => [...r, 'staat nog open'], (_, r) => ['Wij hebben', ...r, 'ontvangen'], (_, r) => r, (f, r) => [f.vendor, 'stuurt', ...r]],
  },
};

function facts(m: InvoiceModel, rng: Rng): Facts {
  const L = m.labels;
  const titleWord = rng.pick(m.kind === 'credit-note' ? L.creditNote : L.invoice);
  const title = rng.weighted<string>([[titleWord, 40], [titleWord.toLowerCase(), 45], [titleWord.toUpperCase(), 15]]);
  // prose writes dates in any of the conventions, most often the locale's own
  const fmt = rng.chance(0.6) ? m.dateFormat : rng.pick(DATE_FORMATS);
  const date = (d: { y: number; m: number; d: number }) => ({ text: formatDate(d, fmt, L, m.locale.language), tag: 'DATE' as const });
  const party = (p: { kind: 'org' | 'person'; name: string }): Piece => ({ text: p.name, tag: p.kind === 'org' ? 'ORG' : 'PERSON' });
  const money = (c: number) => ({ text: formatMoney(c, rng.chance(0.15) ? { ...m.money, position: rng.pick(['before-space', 'after-space'] as const), marker: m.currency } : m.money), tag: 'MONEY' as const });
  return {
    title, number: { text: m.invoiceNumber, tag: 'INVOICE_NO' }, vendor: party(m.vendor), customer: m.customer ? party(m.customer) : null,
    contact: m.vendor.contact ? { text: m.vendor.contact, tag: 'PERSON' } : null,
    date: date(m.invoiceDate), due: m.dueDate ? date(m.dueDate) : null, total: money(m.totalCents),
    tax: m.taxCents ? money(m.taxCents) : null, vatId: m.vendor.vatId ? { text: m.vendor.vatId, tag: 'TAX_ID' } : null,
    address: m.vendor.addressLines.length ? { text: m.vendor.addressLines.join(', '), tag: 'ADDRESS' } : null,
    order: m.orderNumber, days: m.paymentDays,
  };
}

/** One message: optional lead, a framed reference with 0-4 clauses, optional amount sentence and closings. */
function message(rng: Rng, bank: Bank, f: Facts): Piece[][] {
  const pick = <T>(fs: ((f: Facts) => T | null)[]): T | null => rng.pick(fs)(f);
  const sentences: Piece[][] = [];
  if (rng.chance(0.35)) { const l = pick(bank.lead); if (l) sentences.push(l); }
  const clauses: Piece[][] = [];
  for (const [group, p] of [[bank.from, 0.6], [bank.to, 0.25], [bank.dated, 0.6], [bank.due, 0.3], [bank.amount, 0.4]] as const) {
    if (rng.chance(p)) { const c = pick(group as ((f: Facts) => Piece[] | null)[]); if (c) clauses.push(c); }
  }
  for (let i = clauses.length - 1; i > 0; i--) { const j = rng.int(0, i); [clauses[i], clauses[j]] = [clauses[j]!, clauses[i]!]; }
  const ref: Piece[] = [...rng.pick(bank.ref)(f)];
  for (const c of clauses) {
    const sep = rng.weighted([['', 70], [',', 25], [' -', 5]] as const);
    if (sep) ref.push(sep);
    ref.push(...c);
  }
  const framed = rng.pick(bank.frames)(f, ref) ?? ref;
  sentences.push(framed);
  if (rng.chance(0.5)) { const a = pick(bank.amountSentence); if (a) sentences.push(a); }
  if (rng.chance(0.3)) { const c = pick(bank.close); if (c) sentences.push(c); }
  return sentences;
}

/** Pieces to whitespace words and IOB2 tags; a separator piece (",", " -") glues to the previous word. */
function render(rng: Rng, sentences: Piece[][]): { words: string[]; tags: string[] } {
  const words: string[] = [];
  const tags: string[] = [];
  const end = rng.weighted([['.', 70], ['', 20], ['!', 3], [';', 7]] as const);
  sentences.forEach((pieces, si) => {
    pieces.forEach((piece, pi) => {
      const text = typeof piece === 'string' ? piece : piece.text;
      if (typeof piece === 'string' && (piece === ',' || piece === ';' || piece === ':') && words.length) { words[words.length - 1] += piece; return; }
      const ws = text.split(/\s+/).filter(Boolean);
      ws.forEach((w, wi) => {
        const first = si === 0 && pi === 0 && wi === 0;
        words.push(first && typeof piece === 'string' ? w[0]!.toUpperCase() + w.slice(1) : w);
        tags.push(typeof piece === 'string' ? 'O' : `${wi === 0 ? 'B' : 'I'}-${piece.tag}`);
      });
    });
    const last = words.length - 1;
    if (last >= 0 && !/[.,:;!?]$/.test(words[last]!) && (si < sentences.length - 1 || end)) words[last] += si < sentences.length - 1 ? '.' : end;
  });
  return { words, tags };
}

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
if (!values.out) throw new Error('--out is required');
const rng = new Rng(Number(values.seed) * 7919 + 17);
const lines: string[] = [];
for (let i = 0; i < Number(values.count); i++) {
  const doc = rng.fork(i);
  const model = buildInvoiceModel(doc, { locale: doc.pick(LOCALE_IDS), layout: doc.pick(LAYOUT_FAMILIES.filter((l) => l !== 'till-receipt')) });
  const { words, tags } = render(doc, message(doc, BANKS[model.locale.language]!, facts(model, doc)));
  lines.push(JSON.stringify({ id: `prose-${values.seed}-${i}`, words, boxes: words.map(() => [0, 0, 0, 0]), tags, source: 'prose', lang: model.locale.language, layout: 'prose' }));
}
writeFileSync(values.out, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${lines.length} messages (${lines.reduce((s, l) => s + (JSON.parse(l) as { words: unknown[] }).words.length, 0)} words) to ${values.out}\n`);
