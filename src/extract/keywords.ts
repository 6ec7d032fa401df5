/**
 * Multilingual label lexicon (en, de, fr, es, it, nl, plus Malaysian/Indian receipt wording).
 * Each pattern matches a label at the start of its capture; the extractor looks for the value after
 * the label, to its right or below it. Patterns are case-insensitive and accent-tolerant where the
 * letters differ only by accents.
 */
const r = (s: string) => new RegExp(s, 'iu');

export const INVOICE_NUMBER_LABELS: RegExp[] = [
  // a credit note's own number comes before the invoice it corrects ("Avoir N°" vs "Réf. facture")
  r('credit\\s*(?:note|memo)\\s*(?:no\\.?|number|num\\.?|nr\\.?|#)'), r("(?:n°|no\\.?|num[ée]ro)\\s*d['’]?\\s*avoir"), r('avoir\\s*(?:n°|no\\.?|num[ée]ro|#)'),
  r('(?:n[º°o]\\.?|n[úu]mero)\\s*(?:de\\s+)?(?:la\\s+)?rectificativa'), r('nota\\s+de\\s+cr[ée]dito\\s*(?:n[º°o]\\.?|n[úu]m(?:ero)?\\.?|#)'),
  r('nota\\s+di\\s+credito\\s*(?:n\\.?|nr\\.?|numero|#)'), r('(?:n\\.|numero)\\s*(?:della\\s+)?nota\\s+(?:di\\s+)?credito'),
  r('creditnota\\s*-?\\s*(?:nummer|nr\\.?|#)'), r('creditfactuur\\s*-?\\s*(?:nummer|nr\\.?|#)'),
  r('(?:tax\\s+)?invoice\\s*(?:no\\.?|number|num\\.?|nr\\.?|#|n°|id)'),
  r('\\binv(?:oice)?\\.?\\s*(?:no|#|nr)\\.?'),
  r('(?:receipt|bill|document|doc|credit\\s+note|order)\\s*(?:no\\.?|number|#|nr\\.?)'),
  r('rechnungs?\\s*-?\\s*(?:nummer|nr\\.?|no\\.?)'),
  r('rechnung\\s*(?:nr\\.?|nummer|no\\.?|#)'),
  r('(?:gutschrift|beleg|korrekturrechnung)s?\\s*-?\\s*(?:nummer|nr\\.?|#)'),
  r('(?:n°|no\\.?|num[ée]ro)\\s*(?:de\\s+)?(?:la\\s+)?facture'),
  r('facture\\s*(?:n°|no\\.?|num[ée]ro|#)'),
  r('(?:n[úu]mero|n[º°o]\\.?)\\s*(?:de\\s+)?factura'),
  r('factura\\s*(?:n[º°o]\\.?|n[úu]m(?:ero)?\\.?|#)'),
  r('(?:numero|n\\.)\\s*(?:della\\s+)?fattura'),
  r('fattura\\s*(?:n\\.?|nr\\.?|numero|#)'),
  r('factuur\\s*-?\\s*(?:nummer|nr\\.?|#)'),
  r('(?:rechnung|gutschrift|invoice|credit\\s+note|facture|factura|fattura|factuur)\\p{L}*[^:\\n]{0,40}?\\s(?:nr|no|n°|nº|#|nummer|number)\\.?'),
  r('invoice\\s*:'), r('rechnung\\s*:'),
  // short and receipt forms: "Re.-Nr.", "Bon-Nr.", "Trans #", "Ticket N°", "Scontrino n.", "Bonnummer", "Documento n."
  r('\\bre\\.?\\s*-\\s*nr\\.?'), r('\\bbon\\s*-?\\s*(?:nummer|nr\\.?)'), r('\\btrans(?:action)?\\s*(?:no\\.?|#)'),
  r('ticket\\s*(?:n[º°o]\\.?|#)'), r('n[º°o]\\.?\\s*(?:de\\s+)?ticket'), r('scontrino\\s*(?:n\\.?|nr\\.?|numero)'), r('documento\\s*(?:n\\.|nr\\.?|numero)'),
  r('^\\s*nummer\\s*:?\\s*$'),
  // "Réf. facture" also names the corrected invoice on a credit note: weakest
  r('r[ée]f\\.?\\s*(?:de\\s+(?:la\\s+)?)?facture'),
];

/** Words before an invoice-number label that make it another document's number ("Ursprungsbeleg-Nr"). */
export const OTHER_NUMBER_PREFIX = /(?:ursprungs|bezugs|original|referenz|vorg(?:ä|ae|a)nger|kunden|bestell|auftrags|liefer(?:schein)?|order|customer|reference|purchase|related|previous|preceding)[\s-]*$/i;

export const INVOICE_DATE_LABELS: RegExp[] = [
  r('(?:invoice|tax\\s+invoice|bill|receipt|issue|document)\\s*date'), r('date\\s+of\\s+(?:invoice|issue)'), r('issued?\\s+(?:at|on)'),
  r('rechnungs\\s*-?\\s*datum'), r('(?:beleg|ausstellungs|gutschrifts)\\s*-?\\s*datum'), r('datum\\s+der\\s+rechnung'),
  r('date\\s+(?:de\\s+)?(?:la\\s+)?facture'), r("date\\s+d['’]?[ée]mission"), r('fecha\\s+(?:de\\s+)?(?:la\\s+)?(?:factura|emisi[óo]n|expedici[óo]n)'),
  r('data\\s+(?:della\\s+)?(?:fattura|emissione|documento)'), r('factuurdatum'), r('datum\\s+factuur'), r('factur[ée]\\s+le'),
  r('(?:rechnung|gutschrift|invoice|facture|factura|fattura|factuur)\\p{L}*[^\\n]{0,50}\\s(?:vom|von|du|del|dated|datiert)\\s*:?\\s*$'),
];
export const GENERIC_DATE_LABELS: RegExp[] = [r('^\\s*(?:date|datum|fecha|data|le|du|vom|von)\\b')];

export const DUE_DATE_LABELS: RegExp[] = [
  r('due\\s*(?:date|on|by)?'), r('payment\\s+due'), r('pay(?:able)?\\s+(?:by|until|before)'), r('remit\\s+(?:by|until)'),
  r('f(?:ä|ae|a)llig(?:keits?datum|\\s+am|\\s+bis)?'), r('zahlbar\\s+(?:\\S+\\s+){0,4}bis'), r('zahlungsziel'), r('(?:überweisen|zahlen)\\s+(?:sie\\s+)?bis'), r('bis\\s+zum'),
  r("date\\s+d['’]?[ée]ch[ée]ance"), r('[ée]ch[ée]ance'), r('payable\\s+(?:avant|le)'),
  r('(?:fecha\\s+de\\s+)?vencimiento'), r('(?:data\\s+(?:di\\s+)?)?scadenza'), r('vervaldatum'), r('te\\s+betalen\\s+voor'),
  r("[àa]\\s+r[ée]gler\\s+avant"), r('r[ée]gler\\s+avant'), r('^\\s*vence\\b'), r('pagamento\\s+entro'), r('(?:uiterste\\s+)?betaaldatum'),
];

/** Dates that are neither issue nor due dates. */
export const OTHER_DATE_LABELS: RegExp[] = [
  r('(?:delivery|service|order|ship(?:ping|ment)?|supply|performance|tax\\s+point)\\s*date'), r('date\\s+of\\s+(?:delivery|supply|service|order)'), r('period'),
  r('(?:leistungs|liefer|bestell|auftrags|versand)\\s*-?\\s*(?:datum|zeitraum)'), r('bestellung\\s+vom'), r('lieferung\\s+(?:am|vom)'), r('skonto'), r('zeitraum'),
  r('date\\s+de\\s+(?:livraison|commande)'), r('fecha\\s+de\\s+(?:entrega|pedido)'), r('data\\s+(?:di\\s+)?(?:consegna|ordine)'), r('(?:lever|order)datum'),
  r('discount'), r('escompte'), r('descuento'), r('sconto'), r('korting'),
];

export const TOTAL_LABELS: RegExp[] = [
  // the amount actually charged after cash rounding comes first
  r('(?:rounded|round)\\s*total'), r('total\\s*(?:rounded|after\\s*rounding)'), r('\\bnett\\s*(?:total|amount|amt)'),
  r('grand\\s*total'), r('total\\s*(?:amount\\s*)?(?:due|payable|to\\s*pay)'), r('amount\\s*(?:due|payable)'), r('balance\\s*due'), r('invoice\\s*total'),
  r('total\\s*(?:incl\\.?|including|inclusive)'), r('(?:rounded|round)\\s*total'), r('total\\s*amount'), r('total\\s*sales\\s*\\(?incl'), r('due\\s*payable'),
  r('gesamt\\s*-?\\s*(?:betrag|summe)'), r('rechnungs\\s*-?\\s*(?:betrag|summe\\s*brutto|endbetrag)'), r('endbetrag'), r('brutto\\s*-?\\s*(?:betrag|summe)'),
  r('summe\\s*brutto'), r('zahl\\s*-?\\s*betrag'), r('zu\\s*zahlen(?:der\\s*betrag)?'), r('total\\s*brutto'), r('(?:rechnungs)?summe\\s*(?:\\S+\\s*)?\\(?inkl'),
  r('total\\s*ttc'), r('montant\\s*(?:total\\s*)?ttc'), r('net\\s*[àa]\\s*payer'), r('total\\s*[àa]\\s*payer'),
  r('total\\s*(?:de\\s*(?:la\\s*)?)?factura'), r('importe\\s*total'), r('total\\s*a\\s*pagar'),
  r('totale\\s*(?:fattura|documento|da\\s*pagare)'), r('importo\\s*totale'),
  r('totaal\\s*(?:bedrag|incl)'), r('te\\s*betalen'), r('totaalbedrag'),
  r('\\bnett\\s*(?:total|amount|amt)'), r('total\\s*amt'), r('\\(?\\s*incl(?:usive|\\.|uding)?\\s*(?:of\\s*)?(?:gst|vat|tax|sst)'), r('total\\s*(?:rounded|after\\s*rounding)'), r('rechnungsbeitrag'), r('(?:zu\\s*zahlender|f(?:ä|ae|a)lliger)\\s*beitrag'), r('beitrag\\s*(?:inkl\\.?|inklusive)'),
  r('bruttosumme'), r('^\\s*total\\b'), r('^\\s*totale?\\b'), r('^\\s*totaal\\b'), r('^\\s*summe\\b'), r('^\\s*gesamt\\b'),
  r('\\btotal\\s*:?\\s*$'),
];

export const SUBTOTAL_LABELS: RegExp[] = [
  r('sub\\s*-?\\s*total'), r('net\\s*(?:amount|amt|total|value)'), r('total\\s*(?:net|excl\\.?|excluding|before\\s*tax|exclusive)'), r('total\\s*sales\\s*\\(?excl'), r('amount\\s*excl'),
  r('netto\\s*-?\\s*(?:betrag|summe|gesamt|wert)?'), r('summe\\s*netto'), r('zwischen\\s*-?\\s*summe'), r('warenwert'), r('rechnungssumme\\s*netto'), r('gesamt\\s*netto'), r('\\bnet\\s*total'),
  r('total\\s*ht'), r('montant\\s*(?:total\\s*)?ht'), r('sous\\s*-?\\s*total'), r('base\\s*imponible'), r('(?:totale\\s*)?imponibile'),
  r('subtotaal'), r('totaal\\s*excl'), r('summe\\s*(?:der\\s*)?positionen'), r('taxable\\s*amount'), r('\\bnet\\s*ht\\b'), r('\\bbase\\s*ht\\b'),
  r('total\\s*base\\b'), r('totale\\s*merce'), r('grondslag'),
  r('(?:summe|betrag|total)\\s*(?:ohne|exkl\\.?|excl\\.?|zzgl\\.?)'), r('ohne\\s*(?:ust|mwst|steuer)'), r('warensumme'), r('positionssumme'), r('(?:gesamt|netto)beitrag'),
  r('(?:summe|betrag|total)\\s*(?:ohne|exkl\\.?|excl\\.?|zzgl\\.?)'), r('ohne\\s*(?:ust|mwst|steuer)'), r('positionssumme'), r('warensumme'),
];

export const TAX_LABELS: RegExp[] = [
  r('(?:total\\s*)?(?:sales\\s*)?(?:tax|vat|gst|sst|igst|cgst|sgst)(?:\\s*(?:total|amount))?(?!\\s*(?:id|no|reg|number|#|code))'),
  r('(?:ust|mwst|umsatzsteuer|mehrwertsteuer|steuer)(?:\\s*-?\\s*(?:betrag|gesamt|summe))?(?!\\s*-?\\s*(?:id|nr|nummer|identnr))'),
  r('\\btva\\b(?!\\s*intra)'), r('montant\\s*(?:de\\s*la\\s*)?tva'), r('\\biva\\b'), r('cuota\\s*(?:de\\s*)?iva'), r('imposta'), r('\\bbtw\\b(?!\\s*-?\\s*(?:nr|nummer))'),
];

/** Amounts beside these labels are never subtotal, tax or total. */
export const NOT_TOTAL_LABELS: RegExp[] = [
  r('\\b(?:qty|quantity|items?|menge|anzahl|pcs)\\b'), r('\\b(?:cash|tendered|change|paid|bezahlt|gegeben|rückgeld|payment|card|visa|mastercard)\\b'),
  r('skonto'), r('\\bdiscount\\b'), r('rabatt'), r('\\brounding\\b'), r('rundung'), r('\\bsaving'),
  r('\\bpoints?\\b'), r('\\bdeposit\\b'), r('\\bvoucher\\b'), r('zuschl(?:ä|ae|a)ge'), r('abschl(?:ä|ae|a)ge'), r('anzahlung'), r('(?<!steuer)basisbetrag'),
  r('(?:brutto|netto|einzel|unit\\s*)pre(?:is|ice)'), r('\\bprix\\s+unitaire'), r('rabattbetrag'), r('frachtbetrag'),
];

export const CUSTOMER_LABELS: RegExp[] = [
  r('bill(?:ed)?\\s+to\\b'), r('invoice\\s+to\\b'), r('sold\\s+to\\b'), r('^\\s*to\\s*$'), r('customer(?:\\s+name)?\\s*:?$'), r('^\\s*customer\\b(?!\\s*(?:no|number|id|#|:?\\s*\\d))'), r('^\\s*to\\s*:'), r('buyer'),
  r('rechnungs?\\s*-?\\s*empf(?:ä|ae|a)nger'), r('^\\s*k(?:ä|ae|a)ufer\\b'), r('^\\s*acquirente\\b'), r('^\\s*koper\\b'), r('^\\s*empf(?:ä|ae|a)nger'), r('^\\s*kunde\\b(?!n?\\s*-?\\s*(?:nr|nummer))'), r('^\\s*an\\s*:'), r('leistungsempf(?:ä|ae|a)nger'),
  r('factur[ée]\\s+[àa]'), r('^\\s*client\\b(?!\\s*(?:n°|no|id|#))'), r('destinataire'), r('adresse\\s+de\\s+facturation'), r('acheteur'),
  r('facturar\\s+a'), r('^\\s*cliente\\b(?!\\s*(?:n|id|#))'), r('intestatario'), r('destinatario'), r('factuur\\s+aan\\b'), r('factuuradres'), r('gefactureerd\\s+aan\\b'), r('^\\s*aan\\s*:?\\s*$'), r('^\\s*an\\s*$'), r('rechnungsadresse'),
  r('datos\\s+del\\s+cliente'), r('^\\s*spett\\.?\\s*le\\b'), r('^\\s*klant\\b(?!\\s*-?\\s*(?:nr|nummer))'),
];
export const SHIP_TO_LABELS: RegExp[] = [r('ship(?:ped)?\\s+to'), r('deliver(?:y|ed)?\\s+to'), r('lieferadresse'), r('livr[ée]\\s+[àa]'), r('enviar\\s+a'), r('consegna\\s+a'), r('afleveradres')];

export const VENDOR_LABELS: RegExp[] = [
  r('^\\s*(?:from|seller|vendor|supplier|sold\\s+by|issued\\s+by)\\b'), r('rechnungs\\s*-?\\s*(?:ersteller|steller|aussteller)'), r('^\\s*(?:lieferant|verk(?:ä|ae|a)ufer|absender)\\b'),
  r('^\\s*(?:fournisseur|vendeur|[ée]metteur)\\b'), r('^\\s*(?:proveedor|emisor|vendedor)\\b'), r('^\\s*(?:fornitore|venditore|cedente)\\b'), r('^\\s*(?:leverancier|verkoper)\\b'),
];

/** Legal forms and trading words that mark an organisation name. */
export const ORG_SUFFIX = r(
  '(?:\\b(?:gmbh|ag|kg|kgaa|ohg|gbr|ug|e\\.\\s?k\\.|e\\.\\s?v\\.|eg|se|ltd\\.?|limited|llc|llp|inc\\.?|corp\\.?|corporation|co\\.|company|plc|pty|' +
  'sdn\\.?\\s*bhd\\.?|bhd\\.?|berhad|enterprise|enterprises|trading|restaurant|restoran|hardware|stationery|bakery|mart|store|supermarket|pharmacy|' +
  'sarl|s\\.a\\.r\\.l\\.|sas|s\\.a\\.s\\.|sa|s\\.a\\.|eurl|sl|s\\.l\\.|s\\.l\\.u\\.|spa|s\\.p\\.a\\.|srl|s\\.r\\.l\\.|snc|bv|b\\.v\\.|nv|n\\.v\\.|vof|' +
  'pvt\\.?|private\\s+limited|plt|group|holding|gruppe|versicherung|versicherungsverein|a\\.\\s?g\\.|bank|verlag|werke?|handel|consulting|solutions|services|systems)(?![\\p{L}\\d]))', 
);

/** Legal forms only (no trade words): a name line with one is complete. */
export const LEGAL_FORM = r(
  '(?:\\b(?:gmbh|ag|kg|kgaa|ohg|gbr|ug|e\\.\\s?k\\.|e\\.\\s?v\\.|ltd\\.?|limited|llc|llp|inc\\.?|corp\\.?|corporation|plc|pty|sdn\\.?\\s*bhd\\.?|bhd\\.?|berhad|s\\/b|' +
  'sarl|s\\.a\\.r\\.l\\.|sas|eurl|s\\.l\\.|s\\.l\\.u\\.|spa|s\\.p\\.a\\.|srl|s\\.r\\.l\\.|bv|b\\.v\\.|nv|n\\.v\\.|pvt\\.?|private\\s+limited|plt|a\\.\\s?g\\.)(?![\\p{L}\\d]))',
);

/** Payment terms: "Net 30", "within 14 days", "zahlbar innerhalb 14 Tagen", "à 30 jours"... -> days. */
export const TERMS_PATTERNS: RegExp[] = [
  r('\\bnet\\s*(\\d{1,3})\\b'), r('(?:within|in)\\s+(\\d{1,3})\\s+days'), r('(\\d{1,3})\\s+days\\s+(?:net|from\\s+(?:the\\s+)?(?:invoice|date))'),
  r('innerhalb\\s+(?:von\\s+)?(\\d{1,3})\\s+tag'), r('(\\d{1,3})\\s+tage\\s+netto'), r('binnen\\s+(\\d{1,3})\\s+dagen'), r('(\\d{1,3})\\s+dagen\\s+netto'),
  r('[àa]\\s+(\\d{1,3})\\s+jours'), r('sous\\s+(\\d{1,3})\\s+jours'), r('(?:a|en)\\s+(\\d{1,3})\\s+d[íi]as'), r('(?:a|entro)\\s+(\\d{1,3})\\s+giorni'),
];

/** Language cues: word -> language, for the order of numeric dates and the default currency. */
export const LANGUAGE_CUES: Array<[string, RegExp]> = [
  ['de', r('\\b(?:rechnung|datum|betrag|summe|zahlbar|netto|mwst|ust|steuer|kunde|bitte)\\b')],
  ['fr', r('\\b(?:facture|montant|payer|ttc|tva|échéance|client|total\\s+ht)\\b')],
  ['es', r('\\b(?:factura|fecha|importe|iva|cliente|vencimiento)\\b')],
  ['it', r('\\b(?:fattura|importo|imponibile|scadenza|totale|iva)\\b')],
  ['nl', r('\\b(?:factuur|bedrag|btw|totaal|vervaldatum|betalen)\\b')],
  ['en', r('\\b(?:invoice|amount|total|due|tax|bill|receipt|date)\\b')],
];

export function matchAny(patterns: RegExp[], text: string): RegExpExecArray | null {
  let best: RegExpExecArray | null = null;
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && (!best || m.index < best.index || (m.index === best.index && m[0].length > best[0].length))) best = m;
  }
  return best;
}
