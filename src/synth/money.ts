/**
 * Money for the generator: integer minor units (cents) throughout, BigInt for products, commercial
 * rounding (half away from zero) as invoicing systems do. Never a binary float.
 */

/** Rounds numerator / denominator half away from zero. denominator > 0. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  const q = (2n * n + denominator) / (2n * denominator);
  return neg ? -q : q;
}

/** quantity (thousandths) x unit price (cents) less a discount (basis points), rounded to cents. */
export function lineAmount(quantityMilli: number, unitCents: number, discountBp = 0): number {
  const n = BigInt(quantityMilli) * BigInt(unitCents) * BigInt(10_000 - discountBp);
  return Number(divRound(n, 1000n * 10_000n));
}

/** amount x rate (basis points), rounded to cents. */
export function percentOf(cents: number, rateBp: number): number {
  return Number(divRound(BigInt(cents) * BigInt(rateBp), 10_000n));
}

/** The tax contained in a gross amount at a rate (basis points): gross x r / (1 + r), rounded. */
export function taxInGross(grossCents: number, rateBp: number): number {
  return Number(divRound(BigInt(grossCents) * BigInt(rateBp), BigInt(10_000 + rateBp)));
}

/** Cents as the record's decimal string: 123450 -> "1234.50", -5 -> "-0.05". */
export function centsToDecimal(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** Thousandths as a minimal decimal string: 2000 -> "2", 2500 -> "2.5", 1250 -> "1.25". */
export function milliToDecimal(milli: number): string {
  const neg = milli < 0;
  const abs = Math.abs(milli);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  const s = frac ? `${Math.floor(abs / 1000)}.${frac}` : String(Math.floor(abs / 1000));
  return neg ? `-${s}` : s;
}

/** Parses a record decimal string back to cents (for checks). */
export function decimalToCents(value: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new RangeError(`not a decimal: ${value}`);
  const frac = (m[3] ?? '').padEnd(2, '0');
  if (frac.length > 2) throw new RangeError(`more than two decimals: ${value}`);
  const cents = Number(m[2]) * 100 + Number(frac);
  return m[1] ? -cents : cents;
}

/** How digits are grouped and separated. */
export interface NumberStyle {
  id: 'en' | 'de' | 'ch' | 'fr' | 'in' | 'plain' | 'plain-comma';
  group: string;
  decimal: string;
  /** Indian grouping: 12,34,567.89. */
  indian?: boolean;
}

export const NUMBER_STYLES: Record<NumberStyle['id'], NumberStyle> = {
  en: { id: 'en', group: ',', decimal: '.' },
  de: { id: 'de', group: '.', decimal: ',' },
  ch: { id: 'ch', group: "'", decimal: '.' },
  fr: { id: 'fr', group: ' ', decimal: ',' },
  in: { id: 'in', group: ',', decimal: '.', indian: true },
  plain: { id: 'plain', group: '', decimal: '.' },
  'plain-comma': { id: 'plain-comma', group: '', decimal: ',' },
};

function groupDigits(int: string, style: NumberStyle): string {
  if (!style.group || int.length <= 3) return int;
  if (style.indian) {
    const last3 = int.slice(-3);
    let rest = int.slice(0, -3);
    const parts: string[] = [];
    while (rest.length > 2) { parts.unshift(rest.slice(-2)); rest = rest.slice(0, -2); }
    if (rest) parts.unshift(rest);
    return `${parts.join(style.group)}${style.group}${last3}`;
  }
  const parts: string[] = [];
  let rest = int;
  while (rest.length > 3) { parts.unshift(rest.slice(-3)); rest = rest.slice(0, -3); }
  parts.unshift(rest);
  return parts.join(style.group);
}

/** Absolute value of cents in a number style: 123456 -> "1.234,56" (de). */
export function formatAbs(cents: number, style: NumberStyle, decimals = 2): string {
  const abs = Math.abs(cents);
  const int = groupDigits(String(Math.floor(abs / 100)), style);
  if (decimals === 0) return int;
  return `${int}${style.decimal}${String(abs % 100).padStart(2, '0')}`;
}

/** A quantity in thousandths, printed with as few decimals as it needs (or a fixed count). */
export function formatQuantity(milli: number, style: NumberStyle, fixed?: number): string {
  const abs = Math.abs(milli);
  const int = groupDigits(String(Math.floor(abs / 1000)), style);
  let frac = String(abs % 1000).padStart(3, '0');
  frac = fixed === undefined ? frac.replace(/0+$/, '') : frac.slice(0, fixed).padEnd(fixed, '0');
  const s = frac ? `${int}${style.decimal}${frac}` : int;
  return milli < 0 ? `-${s}` : s;
}

/** Where the currency goes and how negatives look. */
export interface MoneyStyle {
  number: NumberStyle;
  /** The marker printed with amounts ("EUR", "€", "Rs.", "RM"), or '' for none. */
  marker: string;
  position: 'before' | 'before-space' | 'after' | 'after-space' | 'none';
  negative: 'minus' | 'parentheses' | 'trailing-minus';
}

/** One amount as printed, e.g. "€1,234.56", "1.234,56 €", "(1,234.56)", "CHF 1'234.50". */
export function formatMoney(cents: number, style: MoneyStyle, withMarker = true): string {
  const num = formatAbs(cents, style.number);
  let s = num;
  if (withMarker && style.marker && style.position !== 'none') {
    switch (style.position) {
      case 'before': s = `${style.marker}${num}`; break;
      case 'before-space': s = `${style.marker} ${num}`; break;
      case 'after': s = `${num}${style.marker}`; break;
      case 'after-space': s = `${num} ${style.marker}`; break;
    }
  }
  if (cents >= 0) return s;
  switch (style.negative) {
    case 'parentheses': return `(${s})`;
    case 'trailing-minus': return `${s}-`;
    default: return `-${s}`;
  }
}

/** A rate in basis points as printed: 1900 -> "19%", 550 -> "5,5 %". */
export function formatRate(bp: number, style: NumberStyle, space: boolean): string {
  const int = Math.floor(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${frac ? `${int}${style.decimal}${frac}` : int}${space ? ' ' : ''}%`;
}
