/**
 * The generator's label vocabulary: printed labels come from the extractor's lexicon
 * (src/lexicon, phrasesOf) or, with probability VARIANT_SHARE, from the held-out wordings in
 * label-variants.ts. Every label a document prints through here is recorded as a LabelUse, so
 * that scores can be reported on labels the lexicon has not seen.
 *
 * Rules:
 *  - Each key maps to one lexicon concept; a key's pool is that concept's phrases in the
 *    document's lexicon languages (en-MY adds the receipt English 'en-my'), narrowed by the key's
 *    include/exclude patterns (an invoice-number label is not "credit note no."; a VAT-id label is
 *    not "handelsregister") and, where the locale names its tax differently (US sales tax, GST,
 *    SST), without "vat" phrases.
 *  - A lexicon phrase is lower case as listed; it is printed in the document's case style
 *    (sentence case, Title Case or lower, acronyms such as VAT, IBAN, MwSt in capitals).
 *  - Variants are printed as written; a variant the lexicon lists for the concept (case-folded,
 *    trailing colon dropped) is never used. With an empty lexicon pool a key draws variants only;
 *    with neither, the older hand list in labels-text.ts ('fixed').
 */
import { labels as lexiconLabels, phrasesOf, type LabelConcept, type Language as LexLanguage } from '../lexicon/index.js';
import type { LabelSet, Language } from './labels-text.js';
import { LABEL_VARIANTS, type VocabKey } from './label-variants.js';
import type { LocaleSpec } from './locales.js';
import type { Rng } from './prng.js';
import { winAnsi } from './win-ansi.js';

export type { VocabKey } from './label-variants.js';

/** Probability that a label is drawn from the held-out variants rather than from the lexicon. */
export const VARIANT_SHARE = 0.3;

/** One label a document printed: its key, concept, text as printed (before any colon) and source. */
export interface LabelUse {
  key: VocabKey;
  concept: LabelConcept;
  text: string;
  source: 'lexicon' | 'variant' | 'fixed';
  /** The record field this label usually introduces, when it introduces one. */
  field: string | null;
  /** The lexicon's phrase matcher finds this concept spanning the whole label (after its case and punctuation folding). */
  lexiconMatch: boolean;
}

interface KeySpec { concept: LabelConcept; include?: RegExp; exclude?: RegExp; field?: string }

const CREDIT = /credit|avoir|abono|gutschrift|storno|accredito|\bcn\b/;
const RECEIPT = /receipt|\bbon\b|bonn|kassen|quittung|ticket|tique|recibo|scontrino|ricevuta|kassa|kwitantie|betalingsbewijs|\bslip|\btrans|txn|cash|quittance|recu\b|\bor no|documento commerciale|\bbeleg\b|belegn|beleg-/;

/** Key -> concept, with the patterns (on the accent-folded phrase) that keep a key's labels apt. */
export const KEY_CONCEPTS: Readonly<Record<VocabKey, KeySpec>> = {
  invoice: { concept: 'title', exclude: new RegExp(`${CREDIT.source}|${RECEIPT.source}|debit|statement|pro ?forma|corrective|self-billing|interim|korrektur|rectifica|abschlag|anzahlung|acompte|voorschot|simplifi|copia|parcella|note|nota|e-invoice`) },
  creditNote: { concept: 'title', include: CREDIT },
  receipt: { concept: 'title', include: RECEIPT },
  taxInvoice: { concept: 'title', include: /tax invoice$|^rechnung$|^facture$|^factura$|^fattura$|^factuur$/ },
  invoiceNo: { concept: 'invoiceNumber', exclude: new RegExp(`${CREDIT.source}|${RECEIPT.source}|korrektur|rectificativa|nota|debit`), field: 'invoiceNumber' },
  creditNoteNo: { concept: 'invoiceNumber', include: CREDIT, field: 'invoiceNumber' },
  receiptNo: { concept: 'invoiceNumber', include: RECEIPT, field: 'invoiceNumber' },
  invoiceDate: { concept: 'invoiceDate', exclude: /receipt|credit|avoir|gutschrift|creditnota|trans|sales date|date\/time|bill date/, field: 'invoiceDate' },
  dueDate: { concept: 'dueDate', exclude: /^due$|^fallig$|please|bitte|zahlen sie|vencimientos|scadenze/, field: 'dueDate' },
  deliveryDate: { concept: 'otherDate', include: /deliver|liefer|leistung|livr|prestation|entrega|consegna|lever|supply|service|servicio|ddt|albar|execution|uitvoering|prestatie|performance|ship|dispatch|despatch|versand|expedition|envio|spedizione|verzend/ },
  orderDate: { concept: 'otherDate', include: /order|bestell|auftrag|commande|pedido|ordine/ },
  orderNo: { concept: 'otherNumber', include: /order|purchase|\bp\.?o\b|bestell|auftrag|commande|pedido|ordine/ },
  customerNo: { concept: 'otherNumber', include: /customer|client|klant|kunde|debit|cliente|account|acct|a\/c|compte/ },
  refInvoice: { concept: 'otherNumber', include: /invoice|rechnung|facture|factura|fattura|factuur|ursprung|origin/ },
  billTo: { concept: 'customer', exclude: /attn|attention|atencion|attenzione|c\.a\.|t\.a\.v|ter attentie|name|^to$|^aan$/, field: 'customer.name' },
  buyer: { concept: 'customer', include: /buyer|purchaser|customer|client|kunde|kaufer|auftraggeber|empfanger|acheteur|acquereur|comprador|adquirente|acquirente|committente|cessionario|koper|afnemer|opdrachtgever|klant|zahlungspflichtig|besteller/, exclude: /details|name|adresse|address|gegevens|datos|no\.|nummer/, field: 'customer.name' },
  shipTo: { concept: 'shipTo' },
  from: { concept: 'vendor', exclude: /remit|pay to|payee|merchant|details|dati|datos/, field: 'vendor.name' },
  seller: { concept: 'vendor', exclude: /remit|pay to|payee|merchant|from|by\b|von\b|par\b|por\b|door\b|details|dati|datos/, field: 'vendor.name' },
  payee: { concept: 'vendor', include: /payee|remit|pay to/ },
  nameField: { concept: 'nameField', exclude: /full name|nachname|vor- und|prenom|apellidos|cognome|trading|t\/a|nominativo/ },
  subtotal: { concept: 'subtotal', field: 'subtotal' },
  netTotal: { concept: 'subtotal', field: 'subtotal' },
  tax: { concept: 'tax', exclude: /gst|igic|recargo|enthalten|darin|dont|di cui|waarvan|plus|add|zzgl|zuzuglich|^steuer$|^taxe?s?$|^impuestos?$|^imposte?$/, field: 'tax' },
  total: { concept: 'total', exclude: /round|outstanding|owing|balance|offen|rest|reste|solde|saldo|pendiente|nog te|openstaand|please|zu zahlen|zahlbarer|falliger|a pagar|da pagare|a payer|te betalen|te voldoen|amount due|total due|dovuto|^summe$|^brutto$/, field: 'total' },
  amountDue: { concept: 'total', include: /due|payable|to pay|zu zahlen|zahlbetrag|offen|rest|a payer|du$|a pagar|pendiente|da pagare|dovuto|te betalen|te voldoen|openstaand/, field: 'total' },
  vatId: { concept: 'taxId', include: /vat|ust|umsatzsteuer|uid|tva|iva|btw|nif|cif|mwst|tax id|tax no|tax number|omzetbelasting|ob-nummer/, exclude: /steuer-?n|st\.-nr|steuer-id|fiscal|fisc|c\.f|\bcf\b|\brea\b|siret|siren|rcs|kvk|kamer|handelsreg|registro|register|dni|\bnie\b|rfc|ruc|\bnit\b|cuit|kbo|ondernem|rsin|company|w-idnr|wirtschafts|\bide\b/, field: 'vendor.taxId' },
  phone: { concept: 'contact', include: /phone|tel|fon|mob|cell|hotline|handy|tlf/, exclude: /fax/ },
  email: { concept: 'contact', include: /mail|correo|courriel|pec/ },
  contact: { concept: 'contact', include: /contact|ansprech|bearbeiter|interlocut|referente|atenc|contactpersoon/ },
  iban: { concept: 'payment', include: /iban/ },
  bic: { concept: 'payment', include: /bic|swift/ },
  bank: { concept: 'payment', include: /^bank|^banc|^banque|coordonn|datos banc|coordinate banc|bankgegevens|bankverbindung|kreditinstitut/, exclude: /account|konto|rekening|number|nummer|no\.|code|name|transfer/ },
  page: { concept: 'page' },
};

export const VOCAB_KEYS = Object.keys(KEY_CONCEPTS) as VocabKey[];

const foldAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const bareLabel = (s: string) => s.trim().replace(/\s*:$/, '');

/** The lexicon languages a generated locale's labels come from. */
export function lexiconLanguages(spec: LocaleSpec): LexLanguage[] {
  return spec.id === 'en-MY' ? ['en', 'en-my'] : [spec.language];
}

function listed(concept: LabelConcept, langs: readonly LexLanguage[]): Set<string> {
  return new Set(langs.flatMap((l) => phrasesOf(concept, l)).map((p) => foldAccents(p)));
}

const pools = new Map<string, { lexicon: string[]; variants: string[] }>();

/** A key's lexicon phrases and held-out variants for a locale (computed once per locale and key). */
export function poolFor(key: VocabKey, spec: LocaleSpec): { lexicon: string[]; variants: string[] } {
  const id = `${spec.id}:${key}`;
  let pool = pools.get(id);
  if (pool) return pool;
  const ks = KEY_CONCEPTS[key];
  const langs = lexiconLanguages(spec);
  const noVat = (s: string) => !(spec.taxNames && /\bvat\b/.test(foldAccents(s)));
  const apt = (s: string) => {
    const f = foldAccents(s);
    return (!ks.include || ks.include.test(f)) && !(ks.exclude && ks.exclude.test(f)) && noVat(s);
  };
  const seen = listed(ks.concept, langs);
  const lexicon = [...new Set(langs.flatMap((l) => phrasesOf(ks.concept, l)))].filter(apt).filter((p) => winAnsi(p) === p);
  const variants = (LABEL_VARIANTS[spec.language][key] ?? []).filter((v) => noVat(v) && !seen.has(foldAccents(bareLabel(v))));
  pool = { lexicon, variants };
  pools.set(id, pool);
  return pool;
}

/** How a document prints lexicon phrases (which are lower case as listed). */
export type CaseStyle = 'sentence' | 'title' | 'lower';

const ACRONYMS = new Set(['vat', 'gst', 'sst', 'iban', 'bic', 'swift', 'po', 'p.o.', 'id', 'tin', 'ein', 'abn', 'acn', 'uid', 'ust', 'ust.',
  'mwst', 'mwst.', 'hrb', 'hra', 'blz', 'tva', 't.v.a.', 'iva', 'i.v.a.', 'btw', 'b.t.w.', 'nif', 'cif', 'rib', 'ht', 'h.t.', 'ttc', 't.t.c.',
  'ddt', 'ide', 'ob', 'kvk', 'a/c', 'p.iva', 'piva', 'c.f.', 'n.i.f.', 'c.i.f.', 'vat/gst']);
const SMALL = new Set(['of', 'to', 'by', 'for', 'the', 'and', 'on', 'de', 'du', 'des', 'la', 'le', 'del', 'di', 'da', 'van', 'te', 'am', 'bis',
  'zum', 'vom', 'der', 'an', 'von', 'und', 'en', 'a', 'à', 'e', 'il', 'el', 'per']);

/** A lower-case lexicon phrase in a case style: "invoice no." -> "Invoice no." / "Invoice No."; "mwst-satz" -> "MWST-satz". */
export function printCase(phrase: string, style: CaseStyle): string {
  const words = phrase.split(' ');
  return words.map((w, i) => {
    const lower = w.toLowerCase();
    if (ACRONYMS.has(lower)) return w.toUpperCase();
    const head = lower.split('-')[0]!;
    if (ACRONYMS.has(head) && head.length < lower.length) return head.toUpperCase() + w.slice(head.length);
    if (style === 'lower') return w;
    if (i === 0 || (style === 'title' && !SMALL.has(lower))) return w.charAt(0).toUpperCase() + w.slice(1);
    return w;
  }).join(' ');
}

/** Whether the lexicon's matcher reads `text` as `concept` over its whole length. */
export function lexiconMatches(text: string, concept: LabelConcept): boolean {
  const t = bareLabel(text);
  // Token characters as the matcher sees them: º ª ° are punctuation to it.
  const wordish = (ch: string) => /[\p{L}\p{N}#]/u.test(ch) && !/[ºª°]/.test(ch);
  const first = [...t].findIndex(wordish);
  let last = -1;
  for (let i = t.length - 1; i >= 0; i--) if (wordish(t[i]!)) { last = i + 1; break; }
  if (first < 0) return false;
  return lexiconLabels().find(t).some((h) => h.key === concept && h.start <= first && h.end >= last);
}

/**
 * Draws a key's label for a document. `avoid` keeps two keys of one concept apart (the items
 * subtotal and the net total are never printed with the same words).
 */
export function drawLabel(rng: Rng, spec: LocaleSpec, fallback: LabelSet, key: VocabKey, style: CaseStyle, avoid: readonly string[] = []): LabelUse {
  const ks = KEY_CONCEPTS[key];
  const { lexicon, variants } = poolFor(key, spec);
  const avoided = new Set(avoid.map((a) => foldAccents(a)));
  const lex = lexicon.filter((p) => !avoided.has(foldAccents(p)));
  const vars = variants.filter((v) => !avoided.has(foldAccents(v)));
  let text: string;
  let source: LabelUse['source'];
  if (vars.length && (!lex.length || rng.chance(VARIANT_SHARE))) { text = rng.pick(vars); source = 'variant'; }
  else if (lex.length) { text = printCase(rng.pick(lex), style); source = 'lexicon'; }
  else {
    const hand = (fallback as unknown as Record<string, string[] | undefined>)[key] ?? [key];
    text = rng.pick(hand); source = 'fixed';
  }
  return { key, concept: ks.concept, text, source, field: ks.field ?? null, lexiconMatch: lexiconMatches(text, ks.concept) };
}
