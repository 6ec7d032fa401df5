import { abs, cmp, isDecimal, mul } from '../extract/decimal.js';
import type { BatchFormat, ExportOptions } from './export-format.js';
import type { ExportItem } from './export-item.js';
import { valueAt } from './record-columns.js';
import { toWindows1252 } from './windows-1252.js';

/**
 * DATEV booking batch: the "EXTF" Buchungsstapel CSV (format version 700, category 21, version 13)
 * that DATEV Rechnungswesen and DATEV Unternehmen Online import. One booking per incoming invoice:
 *
 * | column                        | from the record                                                  |
 * |-------------------------------|------------------------------------------------------------------|
 * | Umsatz (ohne Soll/Haben-Kz)   | total, always positive, decimal comma                            |
 * | Soll/Haben-Kennzeichen        | S (the expense account is debited); H for a credit note          |
 * | WKZ Umsatz                    | currency (only the batch currency is booked, config export.datev.currency) |
 * | Konto                         | config export.datev.expenseAccount (SKR03 4980)                  |
 * | Gegenkonto (ohne BU-Schlüssel)| config export.datev.creditorAccount (70000, a collective creditor) |
 * | BU-Schlüssel                  | input-tax key for the VAT rate tax/subtotal (config taxKeys: 19 % -> 9, 7 % -> 8), empty otherwise |
 * | Belegdatum                    | invoiceDate as DDMM (the year is the header's)                   |
 * | Belegfeld 1                   | invoiceNumber, DATEV's characters only (A-Z a-z 0-9 $ & % * + - /), 36 at most |
 * | Buchungstext                  | vendor.name, 60 characters at most                               |
 * | Beleginfo - Art 1 / Inhalt 1  | "Ledgerlens document" / the document id (sha256)                 |
 * | Fälligkeit                    | dueDate as DDMMYYYY                                              |
 *
 * The header carries consultant and client number, fiscal-year start, account length, the date
 * range of the bookings and the chart of accounts. One file holds one fiscal year: records from
 * another fiscal year than the first booked one, records without total or invoice date, failed
 * documents and records in another currency are left out and reported (DATEV rejects the whole
 * file for one bad row). Semicolons, CRLF, Windows-1252, text in quotes and numbers without.
 */

const COLUMNS: readonly string[] = [
  'Umsatz (ohne Soll/Haben-Kz)', 'Soll/Haben-Kennzeichen', 'WKZ Umsatz', 'Kurs', 'Basis-Umsatz', 'WKZ Basis-Umsatz',
  'Konto', 'Gegenkonto (ohne BU-Schlüssel)', 'BU-Schlüssel', 'Belegdatum', 'Belegfeld 1', 'Belegfeld 2', 'Skonto',
  'Buchungstext', 'Postensperre', 'Diverse Adressnummer', 'Geschäftspartnerbank', 'Sachverhalt', 'Zinssperre', 'Beleglink',
  ...pairs('Beleginfo - Art', 'Beleginfo - Inhalt', 8),
  'KOST1 - Kostenstelle', 'KOST2 - Kostenstelle', 'KOST-Menge', 'EU-Land u. UStID (Bestimmung)', 'EU-Steuersatz (Bestimmung)',
  'Abw. Versteuerungsart', 'Sachverhalt L+L', 'Funktionsergänzung L+L', 'BU 49 Hauptfunktionstyp', 'BU 49 Hauptfunktionsnummer',
  'BU 49 Funktionsergänzung',
  ...pairs('Zusatzinformation - Art', 'Zusatzinformation - Inhalt', 20),
  'Stück', 'Gewicht', 'Zahlweise', 'Forderungsart', 'Veranlagungsjahr', 'Zugeordnete Fälligkeit', 'Skontotyp', 'Auftragsnummer',
  'Buchungstyp', 'USt-Schlüssel (Anzahlungen)', 'EU-Land (Anzahlungen)', 'Sachverhalt L+L (Anzahlungen)', 'EU-Steuersatz (Anzahlungen)',
  'Erlöskonto (Anzahlungen)', 'Herkunft-Kz', 'Buchungs GUID', 'KOST-Datum', 'SEPA-Mandatsreferenz', 'Skontosperre',
  'Gesellschaftername', 'Beteiligtennummer', 'Identifikationsnummer', 'Zeichnernummer', 'Postensperre bis',
  'Bezeichnung SoBil-Sachverhalt', 'Kennzeichen SoBil-Buchung', 'Festschreibung', 'Leistungsdatum', 'Datum Zuord. Steuerperiode',
  'Fälligkeit', 'Generalumkehr (GU)', 'Steuersatz', 'Land', 'Abrechnungsreferenz', 'BVV-Position', 'EU-Land u. UStID (Ursprung)',
  'EU-Steuersatz (Ursprung)', 'Abw. Skontokonto',
];

function pairs(kind: string, content: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => [`${kind} ${i + 1}`, `${content} ${i + 1}`]).flat();
}

export const DATEV_COLUMNS = COLUMNS;
const col = (name: string): number => {
  const i = COLUMNS.indexOf(name);
  if (i < 0) throw new Error(`no DATEV column ${name}`);
  return i;
};

/** A booking, one cell per column; text cells are quoted when written, numbers are not. */
type Cell = { text: string } | { number: string } | null;

function field(cell: Cell): string {
  if (cell === null) return '';
  if ('number' in cell) return cell.number;
  return `"${cell.text.replace(/"/g, '""')}"`;
}

const line = (cells: readonly Cell[]): string => `${cells.map(field).join(';')}\r\n`;
const text = (s: string): Cell => ({ text: s.replace(/[\r\n]+/g, ' ') });
const number = (s: string): Cell => ({ number: s });

/** Belegfeld 1 allows A-Z a-z 0-9 $ & % * + - / and 36 characters; anything else becomes "-". */
export function belegfeld(invoiceNumber: string): string {
  return invoiceNumber.replace(/[^A-Za-z0-9$&%*+\-/]/g, '-').slice(0, 36);
}

const ymd = (iso: string): string => iso.replace(/-/g, '');
const ddmm = (iso: string): string => `${iso.slice(8, 10)}${iso.slice(5, 7)}`;
const ddmmyyyy = (iso: string): string => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;

/** The first day (YYYY-MM-DD) of the fiscal year that holds `iso`. */
export function fiscalYearStart(iso: string, startMonth: number): string {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return `${month >= startMonth ? year : year - 1}-${String(startMonth).padStart(2, '0')}-01`;
}

/**
 * The BU-Schlüssel for the record's VAT rate: the configured rate whose tax on the subtotal,
 * rounded to cents, is the stated tax (within a cent). Null for other or mixed rates.
 */
export function taxKey(subtotal: string | null, tax: string | null, keys: Record<string, string>): string | null {
  if (!subtotal || !tax || !isDecimal(subtotal) || !isDecimal(tax) || cmp(abs(subtotal), '0') === 0) return null;
  for (const [rate, key] of Object.entries(keys)) {
    const expected = Number(mul(abs(subtotal), rate)) / 100;
    if (Math.abs(Math.round(expected * 100) / 100 - Number(abs(tax))) <= 0.0100001) return key;
  }
  return null;
}

interface Booking { item: ExportItem; date: string; cells: Cell[] }

function booking(item: ExportItem, options: ExportOptions): Booking | string {
  const r = item.record;
  if (!r) return `not booked: the document failed (${item.error?.code ?? 'no record'})`;
  const s = options.settings.datev;
  if (!r.total || !isDecimal(r.total) || cmp(r.total, '0') === 0) return 'not booked: the record has no total';
  if (!r.invoiceDate) return 'not booked: the record has no invoice date';
  if (r.currency && r.currency !== s.currency) return `not booked: currency ${r.currency} is not the batch currency ${s.currency} (DATEV needs an exchange rate)`;
  // credit notes (documentType of the record, when it has one) and negative totals reverse the booking
  const credit = valueAt(r, 'documentType') === 'credit_note' || r.total.startsWith('-');
  const cells: Cell[] = COLUMNS.map(() => null);
  cells[col('Umsatz (ohne Soll/Haben-Kz)')] = number(abs(r.total).replace('.', ','));
  cells[col('Soll/Haben-Kennzeichen')] = text(credit ? 'H' : 'S');
  cells[col('WKZ Umsatz')] = text(s.currency);
  cells[col('Konto')] = number(s.expenseAccount);
  cells[col('Gegenkonto (ohne BU-Schlüssel)')] = number(s.creditorAccount);
  const key = taxKey(r.subtotal, r.tax, s.taxKeys);
  if (key) cells[col('BU-Schlüssel')] = text(key);
  cells[col('Belegdatum')] = number(ddmm(r.invoiceDate));
  if (r.invoiceNumber) cells[col('Belegfeld 1')] = text(belegfeld(r.invoiceNumber));
  if (r.vendor.name) cells[col('Buchungstext')] = text(r.vendor.name.slice(0, 60));
  if (item.documentId) {
    cells[col('Beleginfo - Art 1')] = text('Ledgerlens document');
    cells[col('Beleginfo - Inhalt 1')] = text(item.documentId);
  }
  if (r.dueDate) cells[col('Fälligkeit')] = number(ddmmyyyy(r.dueDate));
  return { item, date: r.invoiceDate, cells };
}

/** "20240315103000123": the header's creation time, UTC. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:TZ.]/g, '').slice(0, 17);
}

export function datevText(items: readonly ExportItem[], options: ExportOptions): string {
  const s = options.settings.datev;
  const bookings: Booking[] = [];
  let year: string | null = null;
  for (const item of items) {
    const b = booking(item, options);
    if (typeof b === 'string') { options.report(item, b); continue; }
    const start = fiscalYearStart(b.date, s.fiscalYearStartMonth);
    year ??= start;
    if (start !== year) {
      options.report(item, `not booked: ${b.date} is outside the fiscal year from ${year} of this batch (export it separately)`);
      continue;
    }
    bookings.push(b);
  }
  const first = year ?? fiscalYearStart(options.now.toISOString().slice(0, 10), s.fiscalYearStartMonth);
  const dates = bookings.map((b) => b.date).sort();
  const header: Cell[] = [
    text('EXTF'), number('700'), number('21'), text('Buchungsstapel'), number('13'), number(stamp(options.now)), null,
    text('LL'), text('Ledgerlens'), null, number(String(s.consultantNumber)), number(String(s.clientNumber)),
    number(ymd(first)), number(String(s.accountLength)),
    number(ymd(dates[0] ?? first)), number(ymd(dates.at(-1) ?? first)),
    text('Ledgerlens Eingangsrechnungen'), null, number('1'), number('0'), number('0'), text(s.currency),
    null, null, null, null, text(s.chartOfAccounts), null, null, null, null,
  ];
  return line(header) + line(COLUMNS.map(text)) + bookings.map((b) => line(b.cells)).join('');
}

export const datevFormat: BatchFormat = {
  kind: 'batch',
  name: 'datev',
  summary: 'DATEV booking batch (EXTF Buchungsstapel, Windows-1252): one booking per invoice, accounts from config export.datev',
  mediaType: 'text/csv; charset=windows-1252',
  extension: 'csv',
  write(items, options) {
    return toWindows1252(datevText(items, options));
  },
};
