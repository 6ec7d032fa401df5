/**
 * Country conventions per generated locale: currencies and how they are printed, number and date
 * formats (weighted by how common they are there), tax rates, legal forms, ids and paper size.
 */
import type { DateFormat } from './dates.js';
import type { Language } from './labels-text.js';
import type { MoneyStyle, NumberStyle } from './money.js';
import type { Rng } from './prng.js';
import { cheUidDigits, deVatDigits, esCifDigits, frVatDigits, gbVatDigits, groups, gstinWithCheck, itVatDigits, nlVatDigits } from './tax-ids.js';

export const LOCALE_IDS = ['en-GB', 'en-US', 'en-IN', 'en-MY', 'de-DE', 'de-CH', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL'] as const;
export type LocaleId = (typeof LOCALE_IDS)[number];

type Weighted<T> = readonly (readonly [T, number])[];

export interface LocaleSpec {
  id: LocaleId;
  language: Language;
  country: string;
  countryName: string;
  paper: 'A4' | 'Letter';
  currencies: Weighted<string>;
  numberStyles: Weighted<NumberStyle['id']>;
  dateFormats: Weighted<DateFormat>;
  /** Tax rates in basis points; the first is the standard rate. */
  taxRates: number[];
  /** The tax's printed name where it differs from the language default (GST, SST, Sales Tax). */
  taxNames?: string[];
  /** The printed label for the vendor's tax id where the language default does not fit (GSTIN, EIN). */
  vatLabels?: string[];
  legalForms: string[];
  /** Where symbols go for this locale's own currency style: before ("€1") or after ("1 €"). */
  symbolAfter: boolean;
  vatId(rng: Rng): string;
  /** A second tax id (Steuernummer, EIN, PAN, codice fiscale), printed sometimes. */
  taxNo?(rng: Rng): string;
  /** Company register entry: a distractor, not a tax id. */
  register(rng: Rng): string;
  phone(rng: Rng): string;
}

// Tax ids are drawn digit by digit, then given their scheme's check digits (tax-ids.ts, no further draws).
const d = (rng: Rng, n: number) => rng.digits(n);

export const LOCALES: Record<LocaleId, LocaleSpec> = {
  'en-GB': {
    id: 'en-GB', language: 'en', country: 'GB', countryName: 'United Kingdom', paper: 'A4',
    currencies: [['GBP', 80], ['EUR', 12], ['USD', 5], ['PLN', 3]],
    numberStyles: [['en', 90], ['plain', 10]],
    dateFormats: [['dd/mm/yyyy', 40], ['d month yyyy', 25], ['d mon yyyy', 15], ['yyyy-mm-dd', 10], ['dd.mm.yyyy', 5], ['dd/mm/yy', 5]],
    taxRates: [2000, 500, 0], legalForms: ['Ltd', 'Limited', 'PLC', 'LLP', 'Ltd.'], symbolAfter: false,
    vatId: (r) => r.pick([`GB${gbVatDigits(d(r, 9))}`, `GB ${groups(gbVatDigits(d(r, 3) + d(r, 4) + d(r, 2)), [3, 4, 2]).join(' ')}`]),
    register: (r) => `Company No. ${d(r, 8)}`,
    phone: (r) => r.pick([`+44 20 ${d(r, 4)} ${d(r, 4)}`, `0161 ${d(r, 3)} ${d(r, 4)}`, `07${d(r, 3)} ${d(r, 6)}`]),
  },
  'en-US': {
    id: 'en-US', language: 'en', country: 'US', countryName: 'USA', paper: 'Letter',
    currencies: [['USD', 92], ['CAD', 4], ['EUR', 4]],
    numberStyles: [['en', 95], ['plain', 5]],
    dateFormats: [['mm/dd/yyyy', 45], ['month d, yyyy', 25], ['mon d, yyyy', 20], ['yyyy-mm-dd', 10]],
    taxRates: [0, 625, 725, 825, 887, 600], taxNames: ['Sales Tax', 'Tax', 'Sales tax'], vatLabels: ['EIN', 'Tax ID', 'Federal Tax ID', 'FEIN'],
    legalForms: ['Inc.', 'LLC', 'Corp.', 'Co.', 'Inc'], symbolAfter: false,
    vatId: (r) => `${d(r, 2)}-${d(r, 7)}`,
    taxNo: (r) => `${d(r, 2)}-${d(r, 7)}`,
    register: (r) => `DUNS ${d(r, 2)}-${d(r, 3)}-${d(r, 4)}`,
    phone: (r) => r.pick([`(${r.int(201, 989)}) ${d(r, 3)}-${d(r, 4)}`, `${r.int(201, 989)}-${d(r, 3)}-${d(r, 4)}`, `+1 ${r.int(201, 989)} ${d(r, 3)} ${d(r, 4)}`]),
  },
  'en-IN': {
    id: 'en-IN', language: 'en', country: 'IN', countryName: 'India', paper: 'A4',
    currencies: [['INR', 94], ['USD', 6]],
    numberStyles: [['in', 60], ['en', 35], ['plain', 5]],
    dateFormats: [['dd/mm/yyyy', 35], ['dd-mm-yyyy', 20], ['dd-mon-yyyy', 25], ['d mon yyyy', 10], ['dd.mm.yyyy', 10]],
    taxRates: [1800, 1200, 500, 2800], taxNames: ['GST', 'IGST'], vatLabels: ['GSTIN', 'GSTIN/UIN', 'GST No.'],
    legalForms: ['Pvt Ltd', 'Private Limited', 'Pvt. Ltd.', 'Ltd', 'LLP'], symbolAfter: false,
    // GSTIN: state code, PAN (5 letters, 4 digits, 1 letter), entity number, Z, check character.
    vatId: (r) => gstinWithCheck(`${r.pick(['27', '29', '33', '07', '36', '19', '24'])}${r.letters(5)}${d(r, 4)}${r.letters(1)}${r.int(1, 9)}Z${r.letters(1, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`),
    taxNo: (r) => `${r.letters(5)}${d(r, 4)}${r.letters(1)}`,
    register: (r) => `CIN U${d(r, 5)}${r.pick(['MH', 'KA', 'TN', 'DL'])}${r.int(1995, 2022)}PTC${d(r, 6)}`,
    phone: (r) => r.pick([`+91 ${r.int(70, 99)}${d(r, 3)} ${d(r, 5)}`, `022-${d(r, 8)}`, `0${r.int(11, 99)} ${d(r, 4)} ${d(r, 4)}`]),
  },
  'en-MY': {
    id: 'en-MY', language: 'en', country: 'MY', countryName: 'Malaysia', paper: 'A4',
    currencies: [['MYR', 94], ['USD', 4], ['SGD', 2]],
    numberStyles: [['en', 92], ['plain', 8]],
    dateFormats: [['dd/mm/yyyy', 45], ['dd-mm-yyyy', 15], ['d mon yyyy', 15], ['dd-mon-yyyy', 10], ['yyyy-mm-dd', 10], ['dd/mm/yy', 5]],
    taxRates: [800, 600, 1000, 0], taxNames: ['SST', 'Service Tax', 'Sales Tax'], vatLabels: ['SST Reg. No.', 'SST No.', 'TIN'],
    legalForms: ['Sdn Bhd', 'Sdn. Bhd.', 'Berhad', 'Enterprise', 'PLT'], symbolAfter: false,
    vatId: (r) => r.pick([`W10-${d(r, 4)}-${d(r, 8)}`, `B16-${d(r, 4)}-${d(r, 8)}`, `C${d(r, 10)}`]),
    register: (r) => `Co. Reg. No. ${r.int(2000, 2023)}01${d(r, 6)} (${d(r, 7)}-${r.letters(1)})`,
    phone: (r) => r.pick([`+60 3-${d(r, 4)} ${d(r, 4)}`, `03-${d(r, 4)} ${d(r, 4)}`, `012-${d(r, 3)} ${d(r, 4)}`]),
  },
  'de-DE': {
    id: 'de-DE', language: 'de', country: 'DE', countryName: 'Deutschland', paper: 'A4',
    currencies: [['EUR', 94], ['USD', 3], ['CHF', 3]],
    numberStyles: [['de', 90], ['plain-comma', 10]],
    dateFormats: [['dd.mm.yyyy', 65], ['d month yyyy', 12], ['yyyy-mm-dd', 10], ['dd.mm.yy', 8], ['d mon yyyy', 5]],
    taxRates: [1900, 700], legalForms: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'e.K.', 'UG (haftungsbeschränkt)', 'OHG'], symbolAfter: true,
    vatId: (r) => r.pick([`DE${deVatDigits(d(r, 9))}`, `DE ${groups(deVatDigits(d(r, 3) + d(r, 3) + d(r, 3)), [3, 3, 3]).join(' ')}`]),
    taxNo: (r) => `${d(r, 3)}/${d(r, 3)}/${d(r, 5)}`,
    register: (r) => `${r.pick(['Amtsgericht München', 'AG Hamburg', 'Amtsgericht Köln', 'AG Berlin-Charlottenburg'])} HRB ${d(r, 5)}`,
    phone: (r) => r.pick([`+49 ${r.int(30, 89)} ${d(r, 6)}`, `0${r.int(30, 911)} ${d(r, 3)} ${d(r, 3)}-${d(r, 2)}`, `(0${r.int(30, 911)}) ${d(r, 6)}`]),
  },
  'de-CH': {
    id: 'de-CH', language: 'de', country: 'CH', countryName: 'Schweiz', paper: 'A4',
    currencies: [['CHF', 90], ['EUR', 10]],
    numberStyles: [['ch', 85], ['en', 15]],
    dateFormats: [['dd.mm.yyyy', 75], ['d month yyyy', 15], ['yyyy-mm-dd', 10]],
    taxRates: [810, 260, 380], vatLabels: ['MWST-Nr.', 'UID', 'MWST'], legalForms: ['AG', 'GmbH', 'SA', 'Sàrl'], symbolAfter: false,
    vatId: (r) => `CHE-${groups(cheUidDigits(d(r, 3) + d(r, 3) + d(r, 3)), [3, 3, 3]).join('.')} ${r.pick(['MWST', 'MWST', 'TVA'])}`,
    register: (r) => `Handelsregister ${r.pick(['Kanton Zürich', 'Kanton Bern', 'Basel-Stadt'])}, CH-${d(r, 3)}.${d(r, 1)}.${d(r, 3)}.${d(r, 3)}-${d(r, 1)}`,
    phone: (r) => `+41 ${r.int(21, 91)} ${d(r, 3)} ${d(r, 2)} ${d(r, 2)}`,
  },
  'fr-FR': {
    id: 'fr-FR', language: 'fr', country: 'FR', countryName: 'France', paper: 'A4',
    currencies: [['EUR', 95], ['CHF', 3], ['USD', 2]],
    numberStyles: [['fr', 70], ['de', 15], ['plain-comma', 15]],
    dateFormats: [['dd/mm/yyyy', 65], ['d month yyyy', 25], ['yyyy-mm-dd', 5], ['dd/mm/yy', 5]],
    taxRates: [2000, 1000, 550], legalForms: ['SARL', 'SAS', 'S.A.', 'EURL', 'SASU'], symbolAfter: true,
    vatId: (r) => r.pick([`FR${frVatDigits(d(r, 2) + d(r, 9))}`, `FR ${groups(frVatDigits(d(r, 2) + d(r, 3) + d(r, 3) + d(r, 3)), [2, 3, 3, 3]).join(' ')}`]),
    register: (r) => `SIRET ${d(r, 3)} ${d(r, 3)} ${d(r, 3)} ${d(r, 5)} - RCS ${r.pick(['Paris', 'Lyon', 'Nantes', 'Lille'])} - APE ${d(r, 4)}${r.letters(1)}`,
    phone: (r) => `${r.pick(['+33 1', '01', '04', '+33 6', '06'])} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)}`,
  },
  'es-ES': {
    id: 'es-ES', language: 'es', country: 'ES', countryName: 'España', paper: 'A4',
    currencies: [['EUR', 96], ['USD', 4]],
    numberStyles: [['de', 85], ['plain-comma', 15]],
    dateFormats: [['dd/mm/yyyy', 65], ['d month yyyy', 15], ['dd-mm-yyyy', 15], ['yyyy-mm-dd', 5]],
    taxRates: [2100, 1000, 400], legalForms: ['S.L.', 'S.A.', 'S.L.U.', 'SL', 'SA'], symbolAfter: true,
    vatId: (r) => r.pick([`ES${r.letters(1, 'ABCDEFGHJ')}${esCifDigits(d(r, 8))}`, `${r.letters(1, 'ABCDEFGHJ')}${esCifDigits(d(r, 8))}`, `${r.letters(1, 'ABCDEFGHJ')}-${esCifDigits(d(r, 8))}`]),
    register: (r) => `Reg. Merc. ${r.pick(['Madrid', 'Barcelona', 'Valencia'])}, Tomo ${d(r, 5)}, Folio ${r.int(1, 220)}, Hoja ${r.letters(1)}-${d(r, 6)}`,
    phone: (r) => r.pick([`+34 9${d(r, 2)} ${d(r, 3)} ${d(r, 3)}`, `9${d(r, 2)} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)}`, `6${d(r, 2)} ${d(r, 3)} ${d(r, 3)}`]),
  },
  'it-IT': {
    id: 'it-IT', language: 'it', country: 'IT', countryName: 'Italia', paper: 'A4',
    currencies: [['EUR', 97], ['USD', 3]],
    numberStyles: [['de', 90], ['plain-comma', 10]],
    dateFormats: [['dd/mm/yyyy', 70], ['d month yyyy', 15], ['dd-mm-yyyy', 10], ['dd.mm.yyyy', 5]],
    taxRates: [2200, 1000, 400], legalForms: ['S.r.l.', 'S.p.A.', 'S.n.c.', 'S.a.s.', 'Srl'], symbolAfter: true,
    vatId: (r) => r.pick([`IT${itVatDigits(d(r, 11))}`, `${itVatDigits(d(r, 11))}`, `IT ${itVatDigits(d(r, 11))}`]),
    taxNo: (r) => `${r.letters(6)}${d(r, 2)}${r.letters(1)}${d(r, 2)}${r.letters(1)}${d(r, 3)}${r.letters(1)}`,
    register: (r) => `REA ${r.pick(['MI', 'RM', 'TO', 'NA', 'BO'])}-${d(r, 6)} - Cap. Soc. ${r.pick(['10.000', '50.000', '100.000'])} i.v.`,
    phone: (r) => r.pick([`+39 0${r.int(2, 99)} ${d(r, 7)}`, `0${r.int(2, 99)} ${d(r, 3)} ${d(r, 4)}`, `3${d(r, 2)} ${d(r, 3)} ${d(r, 4)}`]),
  },
  'nl-NL': {
    id: 'nl-NL', language: 'nl', country: 'NL', countryName: 'Nederland', paper: 'A4',
    currencies: [['EUR', 96], ['USD', 2], ['GBP', 2]],
    numberStyles: [['de', 85], ['plain-comma', 10], ['en', 5]],
    dateFormats: [['dd-mm-yyyy', 40], ['d month yyyy', 25], ['yyyy-mm-dd', 15], ['dd/mm/yyyy', 10], ['d mon yyyy', 10]],
    taxRates: [2100, 900, 0], legalForms: ['B.V.', 'BV', 'N.V.', 'V.O.F.'], symbolAfter: false,
    vatId: (r) => r.pick([`NL${nlVatDigits(d(r, 9))}B${d(r, 2)}`, `NL ${groups(nlVatDigits(d(r, 4) + d(r, 2) + d(r, 3)), [4, 2, 3]).join('.')}.B.${d(r, 2)}`]),
    taxNo: (r) => `${d(r, 9)}`,
    register: (r) => `KvK ${d(r, 8)}`,
    phone: (r) => r.pick([`+31 ${r.int(10, 79)} ${d(r, 3)} ${d(r, 4)}`, `0${r.int(10, 79)}-${d(r, 7)}`, `06-${d(r, 8)}`]),
  },
};

/** Printed forms of each currency: symbols and codes. */
export const CURRENCY_MARKERS: Record<string, { symbols: string[]; code: string }> = {
  EUR: { symbols: ['€'], code: 'EUR' },
  USD: { symbols: ['$', 'US$'], code: 'USD' },
  CAD: { symbols: ['CA$', 'C$'], code: 'CAD' },
  GBP: { symbols: ['£'], code: 'GBP' },
  CHF: { symbols: ['CHF', 'Fr.'], code: 'CHF' },
  INR: { symbols: ['Rs.', 'Rs'], code: 'INR' },
  MYR: { symbols: ['RM'], code: 'MYR' },
  SGD: { symbols: ['S$'], code: 'SGD' },
  PLN: { symbols: ['PLN'], code: 'PLN' },
};

/** Chooses how amounts of a currency are printed in a locale. */
export function chooseMoneyStyle(rng: Rng, spec: LocaleSpec, currency: string, number: NumberStyle): MoneyStyle {
  const markers = CURRENCY_MARKERS[currency] ?? { symbols: [currency], code: currency };
  const useCode = rng.chance(0.3);
  const marker = useCode ? markers.code : rng.pick(markers.symbols);
  const wordy = /^[A-Za-z]/.test(marker) && marker.length > 1;
  let position: MoneyStyle['position'];
  if (rng.chance(0.12)) position = 'none';
  else if (spec.symbolAfter) position = rng.chance(0.85) ? 'after-space' : (wordy ? 'before-space' : 'before');
  else position = wordy ? (rng.chance(0.85) ? 'before-space' : 'after-space') : (rng.chance(0.8) ? 'before' : 'before-space');
  const negative = rng.weighted<MoneyStyle['negative']>([['minus', 70], ['parentheses', spec.language === 'en' ? 25 : 5], ['trailing-minus', spec.language === 'de' ? 15 : 3]]);
  return { number, marker, position, negative };
}
