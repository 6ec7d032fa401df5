import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as roles from '../src/extract/record/field-lexicon.js';
import type { Role } from '../src/extract/record/field-lexicon.js';
import { parsePaymentTerms } from '../src/extract/record/payment-terms.js';
import { LANGUAGES, LEXICONS, phraseTokens } from '../src/lexicon/index.js';
import { docFromCells, docFromLines } from './extract-fixtures.js';
import { completeOn as complete } from './record-fixtures.js';

test('a role\'s record-only phrases are not in the shared lexicon (there they would be lexicon phrases)', () => {
  for (const [name, role] of Object.entries(roles)) {
    if (!role || typeof role !== 'object' || !('concept' in role)) continue;
    const r = role as Role;
    const have = new Set(LANGUAGES.flatMap((l) => Object.values(LEXICONS[l].labels).flat().map((p) => phraseTokens(p).join(' '))));
    for (const p of r.recordOnly ?? []) assert.ok(!have.has(phraseTokens(p).join(' ')), `${name}: "${p}" is a lexicon phrase`);
  }
});

test('account holder: "Kontoname" labels the holder (a record-only phrase)', () => {
  const r = complete(docFromCells([[[50, 'Kontoname : Tanja Tinder']], [[50, 'IBAN'], [120, ': DE89 3704 0044 0532 0130 00']]]));
  assert.equal(r.payment.accountHolder, 'Tanja Tinder');
  assert.equal(r.fields['payment.accountHolder']?.provenance?.text, 'Tanja Tinder');
});

test('payment reference: a request to quote with nothing after it refers to the identifier before it', () => {
  // on the line above, in the cell right above (not the date beside it)
  const above = complete(docFromCells([
    [[70, 'Sachversicherungsvertrag Nr: 00.123.456.7'], [450, '18. April 2014']],
    [[70, '(Bei Schriftwechsel und Zahlung bitte angeben.)']],
    [[70, 'Sehr geehrter Herr Mustermann,']],
  ]));
  assert.equal(above.payment.reference, '00.123.456.7');
  // on its own line, before the parenthesis
  assert.equal(complete(docFromLines(['Kundennummer: KD-4711 (please quote)'])).payment.reference, 'KD-4711');
  // a request followed by words asks for something else; a date or an amount is no identifier
  assert.equal(complete(docFromLines(['Vertrag Nr: 00.123.456.7', 'Bitte bei Zahlung angeben Ihre Kundennummer'])).payment.reference, null);
  assert.equal(complete(docFromLines(['Datum: 18.04.2014', '(bei Zahlung bitte angeben)'])).payment.reference, null);
  assert.equal(complete(docFromLines(['Betrag: 59,50', '(bei Zahlung bitte angeben)'])).payment.reference, null);
});

test('payment terms: a number before "%" is never a day count ("Netto 7% (excl. USt.)")', () => {
  assert.deepEqual(parsePaymentTerms('USt. Netto 7% (excl. USt.) 275,00'), { netDays: null, discounts: [] });
  assert.deepEqual(parsePaymentTerms('Netto 7 Tage'), { netDays: 7, discounts: [] });
  assert.deepEqual(parsePaymentTerms('net 30'), { netDays: 30, discounts: [] });
});

test('payment terms: without days or a discount, the sentence of a payment instruction, read across its paragraph', () => {
  const terms = (cells: Array<Array<[number, string]>>) => complete(docFromCells(cells)).paymentTerms;
  // the paragraph's lines joined, up to the sentence's end; a row of table cells above is no part of it
  const r = terms([
    [[50, 'Zahlungsbedingungen:']],
    [[50, 'Beschreibung'], [300, 'Fälligkeit'], [450, 'Teilzahlung']],
    [[50, 'Einen zu zahlenden Beitrag überweisen Sie bitte auf']],
    [[50, 'folgende Bankverbindung: IBAN DE75123456780000001234,']],
    [[50, 'BIC WELADED1MST, Sparkasse Ost. Einfacher für Sie ist']],
    [[50, 'ein SEPA-Lastschriftmandat.']],
  ]);
  assert.deepEqual(r, {
    text: 'Einen zu zahlenden Beitrag überweisen Sie bitte auf folgende Bankverbindung: IBAN DE75123456780000001234, BIC WELADED1MST, Sparkasse Ost.',
    netDays: null, discounts: [],
  });
  // a debit announced; a sentence that ends in a colon introduces the next line, which is not part of it
  assert.equal(terms([[[50, 'Der Rechnungsbetrag wird über Ihre Kreditkarte abgebucht.']]]).text, 'Der Rechnungsbetrag wird über Ihre Kreditkarte abgebucht.');
  assert.equal(terms([[[50, 'Bitte überweisen Sie bis zum 24.07.2014:']], [[50, 'Summe inkl. USt: 571,04 €']]]).text, 'Bitte überweisen Sie bis zum 24.07.2014:');
  // days stated anywhere win over an instruction; no instruction, no terms
  assert.equal(terms([[[50, 'Please remit until 2020-12-12.']], [[50, 'Payable within 30 days.']]]).netDays, 30);
  assert.equal(terms([[[50, 'Thank you for your business.']]]).text, null);
});

test('customer tax id: a VAT-shaped id after a label addressed to the reader counts even when its check digits fail (flagged)', () => {
  const r = complete(docFromCells([[[40, 'Ihr Zeichen: AB-312'], [300, 'Ihre USt.-IdentNr.: DE234567890']]]));
  assert.equal(r.customer.taxId, 'DE234567890');
  assert.ok(r.warnings.some((w) => w.code === 'INVALID_TAX_ID'));
  assert.equal(r.fields['customer.taxId']?.review, true);
  // not addressed: an unlabelled id that fails its check digits is no buyer's id, under a buyer heading or not
  assert.equal(complete(docFromCells([[[300, 'Firmen-IdentNr.: DE234567890']]])).customer.taxId, null);
  assert.equal(complete(docFromCells([[[40, 'Käufer:']], [[40, 'Kunden AG']], [[40, 'DE234567890']]])).customer.taxId, null);
});

test('document amounts: several allowances without their total sum to the discount where the items confirm it', () => {
  const cells = (lastAllowance: string): Array<Array<[number, string]>> => [
    [[40, 'Beschreibung'], [250, 'Menge'], [320, 'Preis'], [450, 'Betrag']],
    [[40, 'Widget'], [250, '2'], [320, '100,00'], [450, '200,00']],
    [[40, 'Gadget'], [250, '1'], [320, '130,70'], [450, '130,70']],
    [[40, 'Rechnungsrabatt 1: 2,00% Basisbetrag: 200,00, Rabattbetrag:'], [450, '-4,00']],
    [[40, 'Basisbetrag: 130,70, Rabattbetrag:'], [450, lastAllowance]],
    [[40, 'zzgl. Versandkosten'], [450, '3,00']],
    [[40, 'Nettobetrag'], [450, '327,09']],
  ];
  // 330,70 - (4,00 + 2,61) + 3,00 = 327,09; a base label before the discount label, its own amount between, is no total label
  assert.equal(complete(docFromCells(cells('-2,61')), { subtotal: '327.09' }).discount, '6.61');
  // a sum the items do not confirm: the first allowance, as before
  assert.equal(complete(docFromCells(cells('-2,71')), { subtotal: '327.09' }).discount, '4.00');
});

test('document amounts: the line between total and amount due that prints their difference is the prepaid amount', () => {
  const cells: Array<Array<[number, string]>> = [
    [[290, 'Bruttosumme'], [450, '197,65']],
    [[290, 'Erhaltene Anzahlungen'], [450, '-50,00']],
    [[290, 'Zahlbetrag'], [450, '147,65']],
  ];
  const r = complete(docFromCells(cells), { total: '197.65' });
  assert.equal(r.prepaid, '50.00');
  assert.equal(r.amountDue, '147.65');
  assert.ok(!r.warnings.some((w) => w.code === 'AMOUNT_DUE_MISMATCH'));
  // no line prints the difference: nothing is implied
  assert.equal(complete(docFromCells([cells[0]!, cells[2]!]), { total: '197.65' }).prepaid, null);
});

test('document amounts: a discount between the items and the totals block, or a cash discount, only where the items confirm it', () => {
  const items: Array<Array<[number, string]>> = [
    [[60, 'Item'], [250, 'Qty'], [330, 'Unit Price'], [480, 'Value']],
    [[60, 'Spare parts kit'], [250, '2'], [330, '150.00'], [480, '300.00']],
    [[60, 'Consulting'], [250, '1'], [330, '100.00'], [480, '100.00']],
  ];
  // "Goods value" is no subtotal label: the discount line stands before the totals block
  const early = complete(docFromCells([...items, [[320, 'Goods value'], [480, '400.00']], [[320, 'Discount 3%'], [480, '-12.00']],
    [[320, 'taxable base'], [480, '388.00']], [[320, 'Delivery:'], [480, '0.00']]]), { subtotal: '388.00' });
  assert.equal(early.discount, '12.00');
  assert.equal(complete(docFromCells([...items, [[320, 'Goods value'], [480, '400.00']], [[320, 'Discount 3%'], [480, '-12.00']],
    [[320, 'taxable base'], [480, '400.00']]]), { subtotal: '400.00' }).discount, null);
  // a cash discount deducted on the invoice, and one only offered for early payment
  const cash = (subtotal: string) => complete(docFromCells([...items, [[320, 'Zwischensumme'], [480, '400.00']], [[320, 'Skonto 3 %'], [480, '-12.00']],
    [[320, 'Nettobetrag'], [480, subtotal]],
    [[60, 'Bei Zahlung innerhalb 10 Tagen 2% Skonto:'], [480, '8.00']]]), { subtotal }).discount;
  assert.equal(cash('388.00'), '12.00');
  assert.equal(cash('400.00'), null);
  // "Delivery" names a charge in the totals block
  assert.equal(complete(docFromCells([...items, [[320, 'Subtotal'], [480, '400.00']], [[320, 'Delivery:'], [480, '20.06']]]), { subtotal: '400.00' }).shipping, '20.06');
});

test('customer tax id: an id in the block under the buyer\'s name counts without a heading; words are no VAT number', () => {
  const doc = docFromCells([
    [[57, 'Kuypers & Hartman V.O.F.'], [400, 'Nordlicht GmbH']],
    [[57, 'Kaygracht 202 I'], [400, 'Hafenstraße 7']],
    [[57, 'BTW no.: NL 8310.98.193.B.26'], [400, 'USt-IdNr.: DE 136 695 976']],
    [[57, 'Factuur F-2024-1']],
  ]);
  const r = complete(doc, { customer: { name: 'Kuypers & Hartman V.O.F.', address: null, taxId: null }, vendor: { name: 'Nordlicht GmbH', address: null, taxId: 'DE 136 695 976' } });
  assert.equal(r.customer.taxId, 'NL 8310.98.193.B.26');
  // the same lines without the buyer's name known: no party governs the id
  assert.equal(complete(doc, { vendor: { name: 'Nordlicht GmbH', address: null, taxId: 'DE 136 695 976' } }).customer.taxId, null);
  // a second-person word before letters that look like a country prefix ("UW BESTELLING") is no id
  assert.equal(complete(docFromLines(['BEDANKT VOOR UW BESTELLING.'])).customer.taxId, null);
});
