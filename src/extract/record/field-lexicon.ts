import type { LabelConcept } from '../../lexicon/index.js';

/**
 * Which record field a label names, as data: each role is a set of phrases of ONE lexicon concept
 * (src/lexicon/<lang>.ts), so the vocabulary stays in one place and a role only says which of a
 * concept's phrases name this field ("bestellnummer" is an otherNumber that names the buyer's
 * order; "kundennummer" is one that does not). test/record-fields.test.ts checks that every
 * phrase here is a phrase of its concept in some language.
 */
export interface Role {
  concept: LabelConcept;
  /** Phrases of the shared lexicon (src/lexicon) under `concept`. */
  phrases: readonly string[];
  /**
   * Phrases the shared lexicon does not list, matched by the record finders alone: a label added
   * there feeds the core scorer's features and moves core fields (adding "kontoname" changed a
   * vendor name on einvoices/dev), so these wait for the scorer's next refit to move over.
   */
  recordOnly?: readonly string[];
}

/** The buyer's order reference (BT-13); not the seller's own order or delivery numbers. */
export const PURCHASE_ORDER: Role = {
  concept: 'otherNumber',
  phrases: [
    'order no.', 'order number', 'order #', 'order ref', 'purchase order', 'purchase order no.', 'po', 'p.o.', 'po no.', 'p.o. no.', 'po number',
    'p.o. number', 'po #', 'your order', 'your order no.',
    'bestellnummer', 'bestell-nr.', 'bestellnr.', 'ihre bestellung', 'ihre bestellnummer', 'bestellung', 'bestellung nr.', 'bestellreferenz',
    'n° de commande', 'no de commande', 'numéro de commande', 'bon de commande', 'commande n°', 'votre commande',
    'nº pedido', 'nº de pedido', 'número de pedido', 'pedido nº', 'su pedido',
    'n. ordine', 'numero ordine', 'ordine n.', 'rif. ordine', 'vs. ordine',
    'ordernummer', 'ordernr.', 'order nr.', 'inkoopordernummer', 'po-nummer', 'bestelnummer', 'bestelnr.', 'uw bestelling',
  ],
};

/**
 * A request to quote an identifier when paying, printed after it: "VSNR: 01.234.567.8 (bei
 * Zahlung bitte angeben)", or on the line under it. Also PAYMENT_REFERENCE labels.
 */
export const QUOTE_REQUEST: Role = {
  concept: 'payment',
  phrases: ['please quote', 'bitte bei zahlung angeben'],
  recordOnly: ['zahlung bitte angeben'],
};

/** Remittance information the payer is asked to quote (BT-83). */
export const PAYMENT_REFERENCE: Role = {
  concept: 'payment',
  phrases: [
    'payment reference', 'remittance', 'remittance reference', 'please quote', 'verwendungszweck', 'zahlungsreferenz', 'bitte bei zahlung angeben',
    'référence de paiement', 'referencia de pago', 'causale', 'causale di pagamento', 'betalingskenmerk', 'betalingsreferentie',
    'gestructureerde mededeling', 'mededeling',
  ],
};

export const BIC_LABEL: Role = { concept: 'payment', phrases: ['bic', 'swift', 'swift code', 'swift/bic', 'swift-bic', 'bic/swift'] };

/** The payee account's holder. */
export const ACCOUNT_HOLDER: Role = {
  concept: 'payment',
  phrases: ['account name', 'account holder', 'beneficiary', 'kontoinhaber', 'titulaire du compte', 'titular de la cuenta',
    'rekeninghouder', 'ten name van', 't.n.v.'],
  recordOnly: ['kontoname'],
};

/** The payer's account is debited: an IBAN stated here is the buyer's, not the payee's. */
export const DIRECT_DEBIT: Role = {
  concept: 'payment',
  phrases: ['lastschrift', 'sepa-lastschrift', 'direct debit', 'sepa direct debit', 'prélèvement', 'prélèvement sepa', 'domiciliación bancaria',
    'adeudo directo', 'addebito diretto', 'incasso', 'automatische incasso'],
};

/** Document-level allowances (BT-107). */
export const DISCOUNT: Role = {
  concept: 'notTotal',
  phrases: ['discount', 'less discount', 'trade discount', 'disc.', 'rabatt', 'abzgl. rabatt', 'rabattbetrag', 'nachlass', 'abschläge', 'abschlag',
    'remise', 'rabais', 'descuento', 'dto.', 'sconto', 'sconti', 'abbuono', 'korting', 'kortingsbedrag'],
};

/** Document-level charges (BT-108): shipping, freight, packing, surcharges. */
export const SHIPPING: Role = {
  concept: 'notTotal',
  phrases: ['shipping', 'delivery charge', 'freight', 'carriage', 'postage', 'postage & packing', 'shipping and handling', 'frachtbetrag',
    'versandkosten', 'fracht', 'porto', 'verpackung', 'porto und verpackung', 'zuschlag', 'zuschläge', 'frais de port', "frais d'expédition",
    'frais de livraison', 'emballage', 'portes', 'gastos de envío', 'spese di trasporto', 'spese di spedizione', 'imballo', 'verzendkosten',
    'transportkosten', 'vracht', 'delivery', 'spedizione', 'trasporto'],
};

/**
 * A cash discount: deducted on the invoice ("Skonto 10 %  -6'239.97") or only offered for early
 * payment ("2% Skonto = 5,60 bei Zahlung bis ..."); a document discount only where the items'
 * arithmetic confirms it (document-amounts.ts).
 */
export const CASH_DISCOUNT: Role = {
  concept: 'notTotal',
  phrases: ['skonto', 'skontobetrag', 'escompte'],
};

/** Amounts already paid (BT-113). Tender words of a till receipt (cash, card, change) are not among them. */
export const PREPAID: Role = {
  concept: 'notTotal',
  phrases: ['amount paid', 'already paid', 'deposit', 'prepayment', 'advance payment', 'bezahlt', 'bereits gezahlt', 'bereits bezahlt', 'anzahlung',
    'geleistete anzahlung', 'abschlagszahlung', 'acompte', 'acompte versé', 'déjà réglé', 'montant réglé', 'a cuenta', 'anticipo', 'acconto',
    'importo pagato', 'reeds betaald', 'aanbetaling', 'voorschot'],
};

/** The amount due for payment (BT-115). */
export const AMOUNT_DUE: Role = {
  concept: 'total',
  phrases: ['amount due', 'total due', 'total amount due', 'balance due', 'outstanding balance', 'total outstanding', 'amount owing', 'please pay',
    'amount payable', 'total payable', 'amount to pay', 'zahlbetrag', 'zu zahlen', 'zu zahlender betrag', 'offener betrag', 'zahlbarer betrag',
    'fälliger betrag', 'restbetrag', 'net à payer', 'reste à payer', 'montant dû', 'solde dû', 'montant à payer', 'total à payer', 'importe a pagar',
    'total a pagar', 'importe pendiente', 'líquido a pagar', 'netto a pagare', 'totale da pagare', 'importo da pagare', 'importo dovuto', 'te betalen',
    'nog te betalen', 'totaal te betalen', 'openstaand bedrag', 'te voldoen'],
};

/** Second-person possessives: "Ihre USt-IdNr.", "your VAT no.", "votre n° TVA" name the addressee's id. */
export const ADDRESSEE_WORDS = ['your', 'ihre', 'ihr', 'ihrem', 'ihres', 'votre', 'vos', 'su', 'sus', 'vostra', 'vostro', 'vs.', 'uw'];

/** Tax categories a zero rate states in words (UNCL5305): reverse charge, intra-community supply, export, exempt. */
export const ZERO_RATE_CATEGORIES: ReadonlyArray<{ category: string; phrases: readonly string[] }> = [
  { category: 'AE', phrases: ['reverse charge', 'steuerschuldnerschaft des leistungsempfängers', 'autoliquidation', 'inversión del sujeto pasivo',
    'inversione contabile', 'btw verlegd', 'verlegd'] },
  { category: 'K', phrases: ['intra-community', 'intra community', 'innergemeinschaftliche', 'intracommunautaire', 'intracomunitaria', 'intracomunitaria',
    'intracommunautaire levering'] },
  { category: 'G', phrases: ['export', 'ausfuhr', 'exportation', 'exportación', 'esportazione', 'uitvoer'] },
  { category: 'E', phrases: ['exempt', 'steuerfrei', 'steuerbefreit', 'exonéré', 'exonération', 'exento', 'esente', 'vrijgesteld'] },
];

/** A running total carried from one page to the next: never an item. */
export const CARRY_FORWARD: Role = {
  concept: 'notTotal',
  phrases: ['carried forward', 'brought forward', 'balance b/f', 'balance c/f', 'übertrag', 'à reporter', 'report', 'suma y sigue', 'suma anterior',
    'a riportare', 'riporto', 'over te brengen', 'van vorige pagina'],
};
