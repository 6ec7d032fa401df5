/**
 * Payment-terms vocabulary (en, de, fr, es, it, nl) as data: the words around day counts, net
 * terms, early-payment discounts and immediate payment. Lower case, compiled once by payment-terms.ts.
 */

/** Words that follow a day count ("30 Tage", "30 jours", "30 j", "30 gg"). */
export const DAY_WORDS = ['days', 'day', 'tage', 'tagen', 'tag', 'jours', 'jour', 'j', 'días', 'dias', 'día', 'dia', 'giorni', 'giorno', 'gg', 'dagen', 'dag', 'dgn', 'd'];

/** Words that make a day count the net term ("net 30", "zahlbar innerhalb 30 Tagen", "à 30 jours", "binnen 30 dagen"). */
export const NET_WORDS = [
  'net', 'netto', 'nett', 'payable', 'payment', 'due', 'within', 'terms',
  'zahlbar', 'zahlung', 'zahlungsziel', 'innerhalb', 'ohne abzug', 'rein netto', 'fällig', 'faellig',
  'à', 'sous', 'dans', 'paiement', 'règlement', 'reglement', 'payable à', 'solde',
  'pago', 'vencimiento', 'plazo', 'pagamento', 'entro', 'scadenza',
  'binnen', 'betaling', 'betaaltermijn', 'betalen',
];

/** Words that make a percentage an early-payment discount. */
export const DISCOUNT_WORDS = ['skonto', 'discount', 'escompte', 'descuento', 'pronto pago', 'sconto', 'korting', 'early payment'];

/** Words that say a percentage is something else (a deposit, a late fee). */
export const NOT_DISCOUNT_WORDS = ['acompte', 'anzahlung', 'deposit', 'anticipo', 'aanbetaling', 'interest', 'zinsen', 'intérêts', 'pénalité', 'verzug', 'late'];

/** Phrases for payment on receipt: net 0 days. */
export const IMMEDIATE_PHRASES = [
  'sofort', 'immediately', 'due on receipt', 'upon receipt', 'on receipt', 'à réception', 'a réception', 'dès réception', 'comptant',
  'al contado', 'a la vista', 'immediato', 'a vista', 'direct', 'onmiddellijk',
];

/**
 * Phrases of a payment instruction that states neither days nor a discount: how or by when the
 * amount is paid (a transfer asked for, a debit or card charge announced, a date to pay by).
 */
export const INSTRUCTION_PHRASES = [
  'please pay', 'please remit', 'please transfer', 'kindly remit', 'payable by', 'payable until', 'payment due by', 'to be paid by',
  'will be debited', 'will be charged',
  'überweisen sie', 'bitte überweisen', 'zahlbar bis', 'zu zahlen bis', 'abgebucht', 'eingezogen', 'abbuchen',
  'à régler avant', 'à payer avant', 'veuillez régler', 'sera prélevé', 'payable avant',
  'a pagar antes', 'se cargará', 'pagadero antes',
  'da pagare entro', 'verrà addebitato',
  'gelieve te betalen', 'te betalen voor', 'wordt afgeschreven', 'wordt geïncasseerd',
];
