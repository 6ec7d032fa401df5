/**
 * Minimal exact decimal arithmetic on strings, backed by BigInt. Money never passes through binary
 * floats: values are parsed into (units, scale) pairs and rescaled to a common scale before arithmetic.
 */
export interface Dec { units: bigint; scale: number }

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

export function isDecimal(s: string): boolean {
  return DECIMAL_RE.test(s);
}

export function dec(s: string): Dec {
  const m = DECIMAL_RE.exec(s);
  if (!m) throw new TypeError(`not a decimal string: ${s}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2]! + frac);
  return { units: m[1] ? -units : units, scale: frac.length };
}

function rescale(a: Dec, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function toString(a: Dec): string {
  const neg = a.units < 0n;
  let digits = (neg ? -a.units : a.units).toString();
  if (a.scale === 0) return `${neg ? '-' : ''}${digits}`;
  digits = digits.padStart(a.scale + 1, '0');
  const s = `${digits.slice(0, -a.scale)}.${digits.slice(-a.scale)}`;
  return neg && a.units !== 0n ? `-${s}` : s;
}

export function add(...xs: string[]): string {
  const ds = xs.map(dec);
  const scale = Math.max(0, ...ds.map((d) => d.scale));
  return toString({ units: ds.reduce((acc, d) => acc + rescale(d, scale), 0n), scale });
}

export function sub(a: string, b: string): string {
  const da = dec(a); const db = dec(b);
  const scale = Math.max(da.scale, db.scale);
  return toString({ units: rescale(da, scale) - rescale(db, scale), scale });
}

export function mul(a: string, b: string): string {
  const da = dec(a); const db = dec(b);
  return toString({ units: da.units * db.units, scale: da.scale + db.scale });
}

/** -1, 0 or 1. */
export function cmp(a: string, b: string): number {
  const d = dec(sub(a, b)).units;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function abs(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}

/** |a - b| <= tolerance (a decimal string, e.g. "0.01" for rounding of per-line tax). */
export function approxEqual(a: string, b: string, tolerance = '0'): boolean {
  return cmp(abs(sub(a, b)), tolerance) <= 0;
}

/** Rounds half away from zero to `places` decimals. */
export function round(a: string, places: number): string {
  const d = dec(a);
  if (d.scale <= places) return toString({ units: rescale(d, places), scale: places });
  const div = 10n ** BigInt(d.scale - places);
  const neg = d.units < 0n;
  const mag = neg ? -d.units : d.units;
  let q = mag / div;
  if ((mag % div) * 2n >= div) q += 1n;
  return toString({ units: neg ? -q : q, scale: places });
}

/** At least `min` decimals (pads with zeros, never rounds away digits). */
export function withMinScale(a: string, min = 2): string {
  const d = dec(a);
  return d.scale >= min ? toString(d) : toString({ units: rescale(d, min), scale: min });
}
