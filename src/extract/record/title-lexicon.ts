import type { DocumentType } from '../../core/invoice-record.js';

/**
 * Document titles and number labels by document type (en, de, fr, es, it, nl; lower case, accents
 * as printed). A title names the document near the top of the first page or in its number label
 * ("Credit Note No.", "Gutschrift-Nr."). Corrected invoices (UNTDID 384: "Rechnungskorrektur",
 * "factura rectificativa") are invoices whose amounts carry their own sign; self-billed invoices
 * (EU VAT Directive art. 226(10a) mentions: "self-billing", "Gutschrift" with "selbst ausgestellt",
 * "autofacturation") are invoices too.
 */
export const TITLE_WORDS: Record<DocumentType, string[]> = {
  credit_note: [
    'credit note', 'credit memo', 'credit memorandum', 'creditnote',
    'gutschrift', 'gutschriftsanzeige', 'stornorechnung',
    'avoir', "facture d'avoir", 'note de crédit',
    'nota de crédito', 'nota de credito', 'abono', 'factura de abono',
    'nota di credito', 'nota credito',
    'creditnota', 'credit nota', 'creditfactuur', 'credit factuur',
  ],
  debit_note: ['debit note', 'debit memo', 'belastungsanzeige', 'lastschriftanzeige', 'note de débit', 'nota de débito', 'nota de debito', 'nota di debito', 'debetnota'],
  proforma: ['pro forma', 'pro-forma', 'proforma', 'proforma-rechnung', 'facture proforma', 'factura proforma', 'fattura proforma', 'proforma factuur'],
  receipt: [
    'receipt', 'sales receipt', 'cash sale', 'till receipt', 'kassenbon', 'kassenbeleg', 'quittung', 'kassabon', 'kassabonnetje',
    'ticket de caisse', 'reçu', 'quittance', 'recibo', 'tique', 'factura simplificada', 'ticket', 'scontrino', 'documento commerciale', 'ricevuta',
    'kwitantie', 'betalingsbewijs', 'official receipt', 'cash receipt', 'cash bill',
  ],
  invoice: [
    'invoice', 'tax invoice', 'commercial invoice', 'sales invoice', 'bill',
    'rechnung', 'facture', 'factura', 'fattura', 'factuur',
    // corrected invoices: invoices, amounts as printed
    'rechnungskorrektur', 'korrekturrechnung', 'corrected invoice', 'corrective invoice', 'factura rectificativa', 'rectificativa',
    'facture rectificative', 'fattura correttiva', 'gecorrigeerde factuur',
  ],
};

/** Self-billing mentions: a "Gutschrift" or credit-titled document that is an invoice issued by the buyer. */
export const SELF_BILLING = ['self-billing', 'self-billed', 'selbst ausgestellte rechnung', 'selbstausgestellte rechnung', 'autofacturation', 'autofactura', 'autofattura', 'autofatturazione', 'zelffacturering', 'factuur uitgereikt door afnemer'];

/** Receipt structure: cash tendered and change given. */
export const CASH_WORDS = ['cash', 'change', 'tendered', 'bar', 'rückgeld', 'zurück', 'gegeben', 'ec-karte', 'espèces', 'rendu', 'monnaie', 'efectivo', 'cambio', 'contanti', 'resto', 'contant', 'wisselgeld', 'pin'];

/**
 * Words that make an invoice title a credit note's when they qualify it ("Invoice Credit", "Credit
 * Invoice", "Rechnung Gutschrift", "Factura abono"): a title of at most three words holding an
 * invoice title word and one of these.
 */
export const CREDIT_QUALIFIERS = ['credit', 'gutschrift', 'storno', 'avoir', 'abono', 'crédito', 'credito'];

/** Abbreviations of "number" that number labels glue to a title word ("Creditnr.", "Gutschriftsnr.", "Invoiceno"). */
export const NUMBER_ABBREVIATIONS = ['nr', 'no', 'nummer', 'number', 'num', 'n°', 'nº'];

/** Number prefixes that credit-note numbering schemes use (weak evidence, only without a title). */
export const CREDIT_NUMBER_PREFIXES = ['CN', 'GS', 'AV', 'NC'];
