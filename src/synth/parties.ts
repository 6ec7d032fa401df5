/**
 * Vendors and customers: names with country-typical legal forms, postal addresses in the country's
 * layout, tax ids, bank details and contact data. Names and streets come from @faker-js/faker's
 * locale data, seeded per document; Malaysia and India use the hand lists in locale-data.ts.
 */
import { Faker, base, de, de_CH, en, en_GB, en_IN, en_US, es, fr, it, nl, type LocaleDefinition } from '@faker-js/faker';
import { IN_AREAS, IN_PLACES, IN_SECTORS, MY_COMPANY_WORDS, MY_PERSONS, MY_PLACES, MY_SECTORS, MY_STREETS, SECTORS } from './locale-data.js';
import { LOCALES, type LocaleId, type LocaleSpec } from './locales.js';
import type { Rng } from './prng.js';
import { winAnsi } from './win-ansi.js';

export interface Party {
  kind: 'org' | 'person';
  name: string;
  addressLines: string[];
  vatId: string | null;
  taxNo: string | null;
  register: string | null;
  phone: string | null;
  email: string | null;
  web: string | null;
  contact: string | null;
  /** IBAN, or a domestic account number where IBANs are not used (US, India, Malaysia). */
  iban: string | null;
  /** The account's printed label when it is not an IBAN ("A/c No."), else null. */
  accountLabel: string | null;
  bic: string | null;
  /** The bank code's printed label when it is not a BIC ("IFSC", "ABA"), else null. */
  bicLabel: string | null;
  bankName: string | null;
}

const BANKS: Record<string, string[]> = {
  DE: ['Sparkasse', 'Volksbank', 'Commerzbank', 'Deutsche Bank', 'Postbank'], CH: ['UBS', 'Zürcher Kantonalbank', 'PostFinance', 'Raiffeisen'],
  FR: ['Crédit Agricole', 'BNP Paribas', 'Société Générale', 'Banque Populaire', 'LCL'], ES: ['Banco Santander', 'BBVA', 'CaixaBank', 'Banco Sabadell'],
  IT: ['Intesa Sanpaolo', 'UniCredit', 'Banca Sella', 'BPER Banca'], NL: ['ING', 'ABN AMRO', 'Rabobank', 'Triodos Bank'],
  GB: ['Barclays', 'HSBC UK', 'Lloyds Bank', 'NatWest'], US: ['Chase', 'Bank of America', 'Wells Fargo', 'Citibank'],
  IN: ['HDFC Bank', 'ICICI Bank', 'State Bank of India', 'Axis Bank'], MY: ['Maybank', 'CIMB Bank', 'Public Bank', 'RHB Bank'],
};

/** Domestic account and bank code where IBAN/BIC are not used: [label, account, code label, code]. */
function domesticAccount(country: string, rng: Rng): [string, string, string, string] | null {
  switch (country) {
    case 'US': return [rng.pick(['Account No.', 'Acct #']), rng.digits(rng.int(9, 12)), rng.pick(['ABA', 'Routing No.']), `0${rng.digits(8)}`];
    case 'IN': return [rng.pick(['A/c No.', 'Account No.']), `${rng.int(1, 9)}${rng.digits(13)}`, 'IFSC', `${rng.letters(4)}0${rng.digits(6)}`];
    case 'MY': return [rng.pick(['Account No.', 'Acct No.']), `${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)}`, 'SWIFT', `${rng.letters(4)}MYKL`];
    default: return null;
  }
}

const FAKER_LOCALES: Record<LocaleId, LocaleDefinition[]> = {
  'en-GB': [en_GB, en, base], 'en-US': [en_US, en, base], 'en-IN': [en_IN, en, base], 'en-MY': [en, base],
  'de-DE': [de, en, base], 'de-CH': [de_CH, de, en, base], 'fr-FR': [fr, en, base], 'es-ES': [es, en, base],
  'it-IT': [it, en, base], 'nl-NL': [nl, en, base],
};
const fakers = new Map<LocaleId, Faker>();

/** The locale's faker, reseeded from rng so that its output is a function of the document seed. */
export function fakerFor(id: LocaleId, rng: Rng): Faker {
  let f = fakers.get(id);
  if (!f) { f = new Faker({ locale: FAKER_LOCALES[id] }); fakers.set(id, f); }
  f.seed(rng.nextU32());
  return f;
}

const IBAN_COUNTRY: Record<string, string> = { GB: 'GB', DE: 'DE', CH: 'CH', FR: 'FR', ES: 'ES', IT: 'IT', NL: 'NL' };

function personName(spec: LocaleSpec, f: Faker, rng: Rng): string {
  if (spec.id === 'en-MY') return rng.pick(MY_PERSONS);
  const first = f.person.firstName();
  const last = f.person.lastName();
  return rng.chance(0.12) && spec.language === 'en' ? `${first} ${f.person.middleName?.() ?? ''} ${last}`.replace(/\s+/g, ' ') : `${first} ${last}`;
}

function companyName(spec: LocaleSpec, f: Faker, rng: Rng): string {
  const form = rng.pick(spec.legalForms);
  if (spec.id === 'en-MY') {
    const word = rng.pick(MY_COMPANY_WORDS);
    return rng.pick([`${word} ${rng.pick(MY_SECTORS)} ${form}`, `Syarikat ${word} ${rng.pick(MY_SECTORS)}`, `${rng.pick(['Tan', 'Lim', 'Wong', 'Ong'])} Brothers ${form}`]);
  }
  const last = f.person.lastName();
  const sector = spec.id === 'en-IN' ? rng.pick(IN_SECTORS) : rng.pick(SECTORS[spec.language]);
  const latin = spec.language === 'fr' || spec.language === 'es' || spec.language === 'it';
  return rng.weighted<string>([
    [`${last} ${sector} ${form}`, 35],
    [`${last} & ${f.person.lastName()} ${form}`, 15],
    [latin ? `${sector} ${last} ${form}` : `${sector} ${last} ${form}`, 15],
    [`${last} ${form}`, 20],
    [`${f.word.noun({ length: { min: 4, max: 9 } }).replace(/^./, (c) => c.toUpperCase())} ${sector} ${form}`, 15],
  ]);
}

function addressLines(spec: LocaleSpec, f: Faker, rng: Rng, withCountry: boolean): string[] {
  const street = () => f.location.street();
  const no = () => f.location.buildingNumber().trim();
  let lines: string[];
  switch (spec.country) {
    case 'GB': lines = [`${no()} ${street()}`, ...(rng.chance(0.3) ? [f.location.secondaryAddress()] : []), f.location.city(), f.location.zipCode()]; break;
    case 'US': lines = [`${no()} ${street()}`, ...(rng.chance(0.25) ? [`Suite ${rng.int(100, 999)}`] : []), `${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode('#####')}`]; break;
    case 'IN': {
      const p = rng.pick(IN_PLACES);
      lines = [`${rng.pick(['', 'Plot ', 'No. ', 'Flat '])}${rng.int(1, 450)}, ${rng.pick(IN_AREAS)}`, `${p.city} - ${p.pin}`, p.state];
      break;
    }
    case 'MY': {
      const p = rng.pick(MY_PLACES);
      lines = [`${rng.pick(['No. ', 'Lot ', ''])}${rng.int(1, 120)}, ${rng.pick(MY_STREETS)}`, `${p.postcode} ${p.city}`, p.state];
      break;
    }
    case 'FR': lines = [`${no()} ${street()}`, `${f.location.zipCode()} ${rng.chance(0.4) ? f.location.city().toUpperCase() : f.location.city()}`]; break;
    case 'ES': lines = [`${street()}, ${no()}`, `${f.location.zipCode()} ${f.location.city()}`]; break;
    case 'IT': lines = [`${street()}, ${no()}`, `${f.location.zipCode()} ${f.location.city()} (${f.location.state({ abbreviated: true })})`]; break;
    default: lines = [`${street()} ${no()}`, `${f.location.zipCode()} ${f.location.city()}`]; break;
  }
  if (withCountry) lines.push(spec.countryName);
  return lines.map((l) => winAnsi(l.replace(/\s+/g, ' ').replace(/(,\s*)+,/g, ',').replace(/^[,\s]+|[,\s]+$/g, '').trim())).filter((l) => l.length > 0);
}

function slug(name: string): string {
  const s = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
  return s.slice(0, 18) || 'mail';
}

export function makeParty(spec: LocaleSpec, rng: Rng, options: { kind: 'org' | 'person'; vendor: boolean }): Party {
  const f = fakerFor(spec.id, rng);
  const name = winAnsi(options.kind === 'org' ? companyName(spec, f, rng) : personName(spec, f, rng));
  const domain = `${slug(name.split(' ')[0] ?? name)}.${spec.country === 'US' ? 'com' : spec.country === 'GB' ? 'co.uk' : spec.country === 'IN' ? 'in' : spec.country === 'MY' ? 'com.my' : spec.country.toLowerCase()}`;
  const isVendor = options.vendor;
  const local = LOCALES[spec.id];
  const ibanCountry = IBAN_COUNTRY[spec.country];
  const domestic = isVendor && !ibanCountry ? domesticAccount(spec.country, rng) : null;
  return {
    kind: options.kind,
    name,
    addressLines: addressLines(spec, f, rng, rng.chance(isVendor ? 0.35 : 0.15)),
    vatId: isVendor || (options.kind === 'org' && rng.chance(0.4)) ? local.vatId(rng) : null,
    taxNo: isVendor && local.taxNo && rng.chance(0.4) ? local.taxNo(rng) : null,
    register: isVendor && options.kind === 'org' && rng.chance(0.6) ? winAnsi(local.register(rng)) : null,
    phone: isVendor || rng.chance(0.2) ? local.phone(rng) : null,
    email: isVendor || rng.chance(0.25) ? `${rng.pick(['info', 'billing', 'accounts', 'invoices', 'kontakt', 'office'])}@${domain}` : null,
    web: isVendor && rng.chance(0.6) ? `www.${domain}` : null,
    contact: rng.chance(0.3) ? winAnsi(personName(spec, f, rng)) : null,
    iban: isVendor ? (ibanCountry ? f.finance.iban({ formatted: rng.chance(0.7), countryCode: ibanCountry }) : domestic?.[1] ?? null) : null,
    accountLabel: domestic?.[0] ?? null,
    bic: isVendor ? (ibanCountry ? f.finance.bic() : domestic?.[3] ?? null) : null,
    bicLabel: domestic?.[2] ?? null,
    bankName: isVendor ? winAnsi(`${rng.pick(BANKS[spec.country] ?? ['Bank'])}${rng.chance(0.4) ? ` ${f.location.city()}` : ''}`) : null,
  };
}
