import type { DocumentType } from '../core/invoice-record.js';

/**
 * Code lists the e-invoice syntaxes use, as data: UNTDID 1001 document type codes (BT-3) and
 * UN/ECE Recommendation 20 unit codes (BT-130) with the unit words printed invoices use.
 */

/** UNTDID 1001 codes EN 16931 allows, by what they mean for booking. */
const TYPE_CODES: Record<DocumentType, string[]> = {
  // 380 commercial, 384 corrected, 389 self-billed, 386 prepayment, 326 partial, 875-877 partial construction,
  // 393 factored, 395 consignment, 575 insurer's, 623 forwarder's, 780 freight, 387 hire, 388 tax invoice,
  // 390 delcredere, 394 lease, 82 metered services, 130 invoicing data sheet, 202/203/204 valuations,
  // 211 interim application, 218/219 final payment requests, 295 price variation, 331 commercial for several,
  // 340 shipping service, 342 ex-tax, 382 commission note, 385 consolidated, 553 forwarder's invoice discrepancy,
  // 817 claim, 870 certified, 871/872 partial construction, 751 invoice information for accounting.
  invoice: ['380', '384', '389', '386', '326', '875', '876', '877', '393', '395', '575', '623', '780', '387', '388', '390', '394',
    '82', '130', '202', '203', '204', '211', '218', '219', '295', '331', '340', '342', '382', '385', '553', '817', '870', '871', '872', '751'],
  // 381 credit note, 261 self-billed credit note, 262 consolidated credit note, 296 credit note for price variation,
  // 308 delcredere credit note, 396 factored credit note, 420 optical character reading credit note,
  // 458 reversal of debit, 532 forwarder's credit note, 81 credit note goods/services, 83 credit note financial adjustment.
  credit_note: ['381', '261', '262', '296', '308', '396', '420', '458', '532', '81', '83'],
  // 383 debit note, 80 debit note goods/services, 84 debit note financial adjustment, 527 self-billed debit note.
  debit_note: ['383', '80', '84', '527'],
  // 325 proforma invoice.
  proforma: ['325'],
  receipt: [],
};

const BY_CODE = new Map<string, DocumentType>();
for (const [type, codes] of Object.entries(TYPE_CODES) as Array<[DocumentType, string[]]>) for (const c of codes) if (!BY_CODE.has(c)) BY_CODE.set(c, type);

/** The document type a UNTDID 1001 code stands for; an unknown code is an invoice (EN 16931's default reading of BT-3). */
export function documentTypeOfCode(code: string | null): DocumentType | null {
  if (code === null) return null;
  return BY_CODE.get(code.trim()) ?? 'invoice';
}

/**
 * The code a writer states for a document type. A receipt is written as a commercial invoice (380):
 * UNTDID 1001 has no receipt code, and a till receipt is a simplified invoice for VAT.
 */
export const TYPE_CODE_OF: Record<DocumentType, string> = {
  invoice: '380', credit_note: '381', debit_note: '383', proforma: '325', receipt: '380',
};

/**
 * UN/ECE Rec 20 codes with printed unit words (lower case, without a trailing dot) in en, de, fr,
 * es, it, nl. C62 ("one") is the code e-invoices use for a plain count; H87 ("piece") for pieces.
 */
const UNIT_WORDS: Record<string, string[]> = {
  C62: ['unit', 'units', 'one', 'einheit', 'einh', 'unité', 'unite', 'u', 'ud', 'uds', 'unidad', 'unidades', 'unità', 'eenheid', 'ea', 'each'],
  H87: ['pc', 'pcs', 'piece', 'pieces', 'stk', 'stck', 'stück', 'stueck', 'st', 'pce', 'pces', 'pièce', 'pièces', 'pz', 'pezzo', 'pezzi', 'stuk', 'stuks'],
  HUR: ['h', 'hr', 'hrs', 'hour', 'hours', 'std', 'stunde', 'stunden', 'heure', 'heures', 'hora', 'horas', 'ora', 'ore', 'uur'],
  MIN: ['min', 'minute', 'minutes', 'minuten', 'minuto', 'minuti'],
  DAY: ['day', 'days', 'd', 'tag', 'tage', 'jour', 'jours', 'j', 'día', 'días', 'dia', 'giorno', 'giorni', 'gg', 'dag', 'dagen'],
  WEE: ['week', 'weeks', 'woche', 'wochen', 'semaine', 'semaines', 'semana', 'semanas', 'settimana', 'settimane', 'wk'],
  MON: ['month', 'months', 'monat', 'monate', 'mois', 'mes', 'meses', 'mese', 'mesi', 'maand', 'maanden', 'mo'],
  ANN: ['year', 'years', 'jahr', 'jahre', 'an', 'ans', 'année', 'año', 'años', 'anno', 'anni', 'jaar'],
  KGM: ['kg', 'kilogram', 'kilogramm', 'kilo', 'kilos'],
  GRM: ['g', 'gr', 'gram', 'gramm', 'grammes', 'gramos', 'grammi'],
  TNE: ['t', 'tonne', 'tonnes', 'tonnen'],
  LTR: ['l', 'ltr', 'liter', 'litre', 'litres', 'litro', 'litri', 'litros'],
  MLT: ['ml'],
  MTR: ['m', 'meter', 'metre', 'mètre', 'metro', 'metri', 'metros', 'lfm'],
  CMT: ['cm'],
  MMT: ['mm'],
  KMT: ['km'],
  MTK: ['m2', 'm²', 'qm', 'sqm'],
  MTQ: ['m3', 'm³', 'cbm'],
  KWH: ['kwh'],
  SET: ['set', 'sets', 'satz', 'juego', 'jeu'],
  XPK: ['pack', 'packs', 'pkg', 'pck', 'packung', 'paquet', 'paquete', 'pacco', 'pak'],
  XBX: ['box', 'boxes', 'karton', 'carton', 'caja', 'scatola', 'doos'],
  PR: ['pair', 'pairs', 'paar', 'paire', 'par', 'paio'],
  LS: ['lump sum', 'pauschal', 'pausch', 'psch', 'forfait', 'forfettario', 'flat'],
};

const UNIT_BY_WORD = new Map<string, string>();
for (const [code, words] of Object.entries(UNIT_WORDS)) for (const w of words) UNIT_BY_WORD.set(w, code);
const REC20_CODES = new Set(Object.keys(UNIT_WORDS).concat(['EA', 'XPP', 'NAR', 'NPR', 'SEC', 'E48', 'ZZ', 'KTM', 'MWH', 'LM', 'XCT', 'XPX', 'XRO', 'XSA']));

/**
 * A UN/ECE Rec 20 code for a unit as stated: a known code as it is ("C62"), a printed unit word
 * by the table ("Stk." -> H87, "Std" -> HUR); null when the word is unknown (never guessed).
 */
export function unitCodeOf(unit: string | null): string | null {
  if (unit === null) return null;
  const s = unit.trim();
  if (REC20_CODES.has(s)) return s;
  return UNIT_BY_WORD.get(s.toLowerCase().replace(/\.$/, '')) ?? null;
}

/** True when two stated units name the same unit (equal text, or the same Rec 20 code by the table). */
export function sameUnit(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  const [ca, cb] = [unitCodeOf(a), unitCodeOf(b)];
  if (ca === null || cb === null) return false;
  // C62 ("one") and H87 ("piece") both stand for a plain count on invoices.
  const count = (c: string) => (c === 'C62' || c === 'H87' || c === 'EA' || c === 'XPP' ? 'count' : c);
  return count(ca) === count(cb);
}

/** ISO 3166-1 alpha-2 codes, to tell a country code at the end of an address line. */
export const COUNTRY_CODES = new Set((
  'AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ '
  + 'DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO '
  + 'JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NE NG '
  + 'NI NL NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ '
  + 'TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS XI YE ZA ZM ZW').split(' '));
