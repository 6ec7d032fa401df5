import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add, approxEqual, cmp, mul, round, sub } from '../src/extract/decimal.js';
import { detectCurrency, detectDecimalMark, parseMoney } from '../src/extract/normalize-money.js';

const v = (raw: string, decimalMark?: '.' | ',') => parseMoney(raw, { decimalMark })?.value ?? null;

describe('decimal arithmetic', () => {
  it('adds, subtracts and multiplies exactly', () => {
    assert.equal(add('0.1', '0.2'), '0.3');
    assert.equal(add('198.00', '37.62'), '235.62');
    assert.equal(sub('10', '0.01'), '9.99');
    assert.equal(sub('1.00', '2.50'), '-1.50');
    assert.equal(mul('20', '9.90'), '198.00');
    assert.equal(mul('3', '0.333'), '0.999');
    assert.equal(cmp('1.10', '1.1'), 0);
    assert.equal(cmp('-2', '1'), -1);
  });
  it('rounds half away from zero and compares with tolerance', () => {
    assert.equal(round('37.625', 2), '37.63');
    assert.equal(round('-37.625', 2), '-37.63');
    assert.equal(round('1.5', 2), '1.50');
    assert.equal(round('0.004', 2), '0.00');
    assert.ok(approxEqual('235.62', '235.63', '0.01'));
    assert.ok(!approxEqual('235.62', '235.64', '0.01'));
  });
  it('handles amounts beyond float precision', () => {
    assert.equal(add('90071992547409.93', '0.01'), '90071992547409.94');
  });
});

describe('parseMoney: separators', () => {
  it('reads English, German, Swiss, French and Indian grouping', () => {
    assert.equal(v('1,234.56'), '1234.56');
    assert.equal(v('1.234,56'), '1234.56');
    assert.equal(v("1'234.56"), '1234.56');
    assert.equal(v('1’234.56'), '1234.56');
    assert.equal(v('1 234,56'), '1234.56');
    assert.equal(v('1\u00a0234,56'), '1234.56');
    assert.equal(v('1\u202f234,56'), '1234.56');
    assert.equal(v('1\u2009234.56'), '1234.56');
    assert.equal(v('12,34,567.00'), '1234567.00');
    assert.equal(v('1,234,567.89'), '1234567.89');
    assert.equal(v('1.234.567,89'), '1234567.89');
    assert.equal(v('1.234.567'), '1234567.00');
  });
  it('reads plain amounts and pads to two decimals', () => {
    assert.equal(v('12'), '12.00');
    assert.equal(v('12.5'), '12.50');
    assert.equal(v('12,5'), '12.50');
    assert.equal(v('0,99'), '0.99');
    assert.equal(v('0.1234'), '0.1234');
    assert.equal(v('007.10'), '7.10');
    assert.equal(v('12.-'), '12.00');
  });
  it('resolves "1,234" / "1.234" by the document decimal mark', () => {
    assert.equal(v('1,234'), '1234.00');
    assert.equal(parseMoney('1,234')?.ambiguous, true);
    assert.equal(v('1,234', ','), '1.234');
    assert.equal(v('1.234', '.'), '1.234');
    assert.equal(v('1.234', ','), '1234.00');
    assert.equal(v('0.125'), '0.125');
  });
  it('rejects text that is not an amount', () => {
    for (const s of ['', 'abc', '12a', '1,23,4', '1.2.3', '12 5', 'EUR', '1 23,45']) assert.equal(parseMoney(s), null, s);
  });
});

describe('parseMoney: signs', () => {
  it('reads negatives in parentheses, leading and trailing minus', () => {
    assert.equal(v('(1,234.56)'), '-1234.56');
    assert.equal(v('-1.234,56'), '-1234.56');
    assert.equal(v('1.234,56-'), '-1234.56');
    assert.equal(v('−12.00'), '-12.00');
    assert.equal(v('€ -12,00'), '-12.00');
    assert.equal(v('(€ 12.00)'), '-12.00');
    assert.equal(v('-0.00'), '0.00');
    assert.equal(v('+5.00'), '5.00');
  });
});

describe('parseMoney: currencies', () => {
  const cur = (raw: string) => parseMoney(raw)?.currency ?? null;
  it('detects symbols and codes before or after the amount', () => {
    assert.equal(cur('€1.234,56'), 'EUR');
    assert.equal(cur('1.234,56 €'), 'EUR');
    assert.equal(cur('EUR 1.234,56'), 'EUR');
    assert.equal(cur('1 234,56 EUR'), 'EUR');
    assert.equal(cur('£12.00'), 'GBP');
    assert.equal(cur("CHF 1'234.50"), 'CHF');
    assert.equal(cur('₹ 12,34,567.00'), 'INR');
    assert.equal(cur('Rs. 1,200.00'), 'INR');
    assert.equal(cur('INR 500'), 'INR');
    assert.equal(cur('RM 12.00'), 'MYR');
    assert.equal(cur('RM12.00'), 'MYR');
    assert.equal(cur('MYR 9.90'), 'MYR');
    assert.equal(cur('1 234,56 zł'), 'PLN');
    assert.equal(cur('PLN 10,00'), 'PLN');
    assert.equal(cur('US$ 5.00'), 'USD');
    assert.equal(cur('C$ 5.00'), 'CAD');
    assert.equal(cur('1.500 Kč'), 'CZK');
  });
  it('leaves a bare "$" unresolved but reports the symbol', () => {
    const m = parseMoney('$1,234.56');
    assert.deepEqual(m, { value: '1234.56', currency: null, symbol: '$', ambiguous: false });
  });
  it('detects currency in running text, not inside words', () => {
    assert.equal(detectCurrency('Beträge in EUR').currency, 'EUR');
    assert.equal(detectCurrency('FORM 12').currency, null);
    assert.equal(detectCurrency('Total RM 5.00').currency, 'MYR');
  });
});

describe('detectDecimalMark', () => {
  it('reads the mark from amounts with two decimals', () => {
    assert.equal(detectDecimalMark('Netto 198,00\nUSt 37,62\nBrutto 1.235,62'), ',');
    assert.equal(detectDecimalMark('Subtotal 1,198.00 Tax 37.62'), '.');
    assert.equal(detectDecimalMark('no amounts here'), undefined);
  });
});
