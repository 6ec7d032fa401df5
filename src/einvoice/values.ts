/**
 * Value normalisation for e-invoice XML: decimals as strings (never through binary floats),
 * CII/UBL dates to ISO 8601, and party names to one line.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Splits a decimal literal into sign, integer digits (no leading zeros) and fraction digits. */
function splitDecimal(raw: string): { negative: boolean; int: string; frac: string } | null {
  const m = DECIMAL.exec(raw.trim());
  if (!m) return null;
  const [, sign = '', intRaw = '', fracRaw = ''] = m;
  if (intRaw === '' && fracRaw === '') return null;
  const int = intRaw.replace(/^0+(?=\d)/, '') || '0';
  const frac = fracRaw.replace(/0+$/, '');
  const zero = /^0*$/.test(int) && frac === '';
  return { negative: sign === '-' && !zero, int, frac };
}

/**
 * A monetary amount: the source value exactly, with at least two decimals ("19" -> "19.00",
 * "129.6" -> "129.60", "9.9000" -> "9.90"). Significant digits beyond two are kept, never rounded
 * ("0.125" stays "0.125"). Returns null for anything that is not a plain decimal literal.
 */
export function normaliseAmount(raw: string | null): string | null {
  if (raw === null) return null;
  const d = splitDecimal(raw);
  if (!d) return null;
  return `${d.negative ? '-' : ''}${d.int}.${d.frac.padEnd(2, '0')}`;
}

/** A quantity: the source value exactly, trailing zeros dropped ("20.0000" -> "20", "1.50" -> "1.5"). */
export function normaliseQuantity(raw: string | null): string | null {
  if (raw === null) return null;
  const d = splitDecimal(raw);
  if (!d) return null;
  return `${d.negative ? '-' : ''}${d.int}${d.frac ? `.${d.frac}` : ''}`;
}

/** Decimal string to hundredths as a bigint, for exact cross-checks; null if it has finer digits. */
export function toCents(amount: string): bigint | null {
  const d = splitDecimal(amount);
  if (!d || d.frac.length > 2) return null;
  const cents = BigInt(d.int) * 100n + BigInt(d.frac.padEnd(2, '0'));
  return d.negative ? -cents : cents;
}

function isoDate(y: string, m: string, d: string): string | null {
  const year = Number(y), month = Number(m), day = Number(d);
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days ? `${y}-${m}-${d}` : null;
}

/**
 * An e-invoice date to ISO 8601. CII writes dates as `udt:DateTimeString` with a UN/CEFACT
 * format code: 102 is CCYYMMDD (the only code EN 16931 allows for dates); 203 (CCYYMMDDHHMM)
 * and 204 (CCYYMMDDHHMMSS) carry a day too. 610 (month) and 616 (week) name no single day and
 * give null. UBL (and text without a code) uses xs:date: YYYY-MM-DD, optionally with a time.
 */
export function normaliseDate(raw: string | null, format?: string | null): string | null {
  if (raw === null) return null;
  const s = raw.trim();
  const code = format?.trim() || null;
  if (code === '102' || code === '203' || code === '204' || code === null) {
    const compact = /^(\d{4})(\d{2})(\d{2})(\d{4}|\d{6})?$/.exec(s);
    if (compact && (code !== '102' || compact[4] === undefined)) return isoDate(compact[1]!, compact[2]!, compact[3]!);
  }
  if (code === null || code === '102') {
    const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|T|Z|[+-]\d{2}:\d{2})/.exec(s);
    if (iso) return isoDate(iso[1]!, iso[2]!, iso[3]!);
  }
  return null;
}

/** A GLN line ("GLN 4333741000005") or a supplier-number line ("Lief-Nr: 549910"). */
const IDENTIFIER_LINE = /^(?:GLN\b|ILN\b|Lief(?:eranten)?[-\s.]*(?:Nr|Nummer)\b|Lieferantennummer\b|Supplier\s*(?:No|Number|ID)\b|(?:N°|No\.?)\s*fournisseur\b)/i;

/**
 * A party name as one line: some ZUGFeRD 1 samples put a multi-line address block in `Name`;
 * its lines are joined with single spaces, and GLN and supplier-number lines are dropped (they
 * identify the party, they do not name it). Runs of whitespace collapse to one space.
 */
export function normalisePartyName(raw: string | null): string | null {
  if (raw === null) return null;
  const lines = raw.split(/\r\n|\r|\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !IDENTIFIER_LINE.test(line));
  const name = lines.join(' ');
  return name === '' ? null : name;
}

/** A free-text value in one line, or null when empty. */
export function normaliseText(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

/** ISO 4217 code, or null. */
export function normaliseCurrency(raw: string | null): string | null {
  const s = raw?.trim().toUpperCase() ?? '';
  return /^[A-Z]{3}$/.test(s) ? s : null;
}

/** Postal address parts in reading order as one line: "street, extra, 80333 München, DE". */
export function joinAddress(parts: {
  lines: (string | null)[]; postcode: string | null; city: string | null; region?: string | null; country: string | null;
}): string | null {
  const cityLine = [parts.postcode, parts.city].map(normaliseText).filter(Boolean).join(' ');
  const all = [...parts.lines, cityLine, parts.region ?? null, parts.country].map((p) => normaliseText(p ?? null)).filter((p): p is string => p !== null);
  return all.length ? all.join(', ') : null;
}
