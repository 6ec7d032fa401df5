import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, expandYear, findDates, inferDateOrder, monthFromName, parseDate } from '../src/extract/normalize-date.js';

const iso = (raw: string, order?: 'DMY' | 'MDY') => parseDate(raw, { order })?.iso ?? null;

describe('parseDate: numeric', () => {
  it('reads ISO and dotted dates', () => {
    assert.equal(iso('2024-03-05'), '2024-03-05');
    assert.equal(iso('2024/3/5'), '2024-03-05');
    assert.equal(iso('05.03.2024'), '2024-03-05');
    assert.equal(iso('5.3.24'), '2024-03-05');
    assert.equal(iso('05.03.2024', 'MDY'), '2024-03-05');
  });
  it('uses the order hint only for ambiguous slash dates', () => {
    assert.equal(iso('03/05/2024', 'MDY'), '2024-03-05');
    assert.equal(iso('03/05/2024', 'DMY'), '2024-05-03');
    assert.equal(parseDate('03/05/2024', { order: 'MDY' })?.ambiguous, true);
    assert.equal(iso('13/05/2024', 'MDY'), '2024-05-13');
    assert.equal(iso('05/13/2024', 'DMY'), '2024-05-13');
    assert.equal(parseDate('05/13/2024')?.ambiguous, false);
    assert.equal(iso('05/05/2024', 'MDY'), '2024-05-05');
    assert.equal(parseDate('05/05/2024')?.ambiguous, false);
    assert.equal(iso('27-03-2018'), '2018-03-27');
    assert.equal(iso('27/03/18'), '2018-03-27');
  });
  it('rejects impossible dates', () => {
    for (const s of ['31.02.2024', '13/13/2024', '2024-13-01', '00.01.2024', '30/02/2023']) assert.equal(iso(s), null, s);
    assert.equal(iso('29.02.2024'), '2024-02-29');
    assert.equal(iso('29.02.2023'), null);
  });
  it('expands two-digit years', () => {
    assert.equal(expandYear('24'), 2024);
    assert.equal(expandYear('69'), 2069);
    assert.equal(expandYear('70'), 1970);
    assert.equal(expandYear('99'), 1999);
    assert.equal(iso('01/02/99', 'DMY'), '1999-02-01');
  });
});

describe('parseDate: month names', () => {
  const cases: Array<[string, string]> = [
    ['5 March 2024', '2024-03-05'], ['Mar 5, 2024', '2024-03-05'], ['March 5th, 2024', '2024-03-05'],
    ['5th Mar 2024', '2024-03-05'], ['05-MAR-2024', '2024-03-05'], ['5 Sept. 2024', '2024-09-05'],
    ['27 Mar 18', '2018-03-27'], ['Dec 31 2023', '2023-12-31'],
    ['5. März 2024', '2024-03-05'], ['5. Mrz. 2024', '2024-03-05'], ['1. Dezember 2023', '2023-12-01'], ['3. Jänner 2024', '2024-01-03'],
    ['5 mars 2024', '2024-03-05'], ['1er février 2024', '2024-02-01'], ['le 15 août 2024', '2024-08-15'], ['3 déc. 2024', '2024-12-03'],
    ['5 de marzo de 2024', '2024-03-05'], ['12 de diciembre de 2023', '2023-12-12'], ['1 ene 2024', '2024-01-01'],
    ['5 marzo 2024', '2024-03-05'], ['3 gennaio 2024', '2024-01-03'], ['21 giugno 2024', '2024-06-21'],
    ['5 maart 2024', '2024-03-05'], ['5 mrt 2024', '2024-03-05'], ['17 mei 2024', '2024-05-17'], ['1 okt. 2024', '2024-10-01'],
  ];
  for (const [raw, want] of cases) it(raw, () => assert.equal(iso(raw), want));
  it('ignores words that are not months', () => {
    assert.equal(iso('5 Stk 2024'), null);
    assert.equal(monthFromName('MÄRZ'), 3);
    assert.equal(monthFromName('foo'), null);
  });
});

describe('findDates', () => {
  it('finds every date with offsets', () => {
    const text = 'Rechnungsdatum 05.03.2013, zahlbar bis 04.04.2013 (Lieferung am 1. März 2013)';
    const found = findDates(text);
    assert.deepEqual(found.map((d) => d.iso), ['2013-03-05', '2013-04-04', '2013-03-01']);
    for (const d of found) assert.equal(text.slice(d.start, d.end), d.text);
  });
  it('does not read amounts or ids as dates', () => {
    assert.deepEqual(findDates('Total 1.234,56 EUR, IBAN DE08 7009 0100, Tel 089/123/4567'), []);
  });
});

describe('inferDateOrder', () => {
  it('is proven by a date with a day above 12', () => {
    assert.equal(inferDateOrder('Date 03/05/2024 Due 04/19/2024'), 'MDY');
    assert.equal(inferDateOrder('Date 03/05/2024 Due 19/04/2024'), 'DMY');
  });
  it('falls back to country, language, currency', () => {
    assert.equal(inferDateOrder('03/05/2024', { country: 'US' }), 'MDY');
    assert.equal(inferDateOrder('03/05/2024', { country: 'GB' }), 'DMY');
    assert.equal(inferDateOrder('03/05/2024', { currency: 'USD' }), 'MDY');
    assert.equal(inferDateOrder('03/05/2024', { currency: 'USD', lang: 'es' }), 'DMY');
    assert.equal(inferDateOrder('03/05/2024'), 'DMY');
  });
  it('adds days across months and leap years', () => {
    assert.equal(addDays('2024-02-15', 14), '2024-02-29');
    assert.equal(addDays('2023-12-15', 30), '2024-01-14');
  });
});
