import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LedgerlensError } from '../src/core/errors.js';
import {
  getField, InvoiceRecordSchema, LINE_ITEM_COLUMNS, RECORD_FIELDS, TAX_BREAKDOWN_COLUMNS, type InvoiceRecord,
} from '../src/core/invoice-record.js';
import { writeCii } from '../src/einvoice/cii-write.js';
import { locateDataDir } from '../src/einvoice/dev-check.js';
import { findEmbeddedInvoiceXml, parseInvoiceXml } from '../src/einvoice/einvoice.js';
import { writeUbl } from '../src/einvoice/ubl-write.js';
import { hasXmllint, schemaFor, validateXml } from '../src/einvoice/xsd-validate.js';
import { generateInvoice } from '../src/synth/generate.js';
import { creditNoteRecord, fullRecord, receiptRecord } from './record-fixtures.js';

const noXmllint = hasXmllint() ? false : 'xmllint (libxml2-utils) is not installed';
const src = { file: null, sha256: 'c'.repeat(64), mediaType: 'application/xml' as const, bytes: 1, pages: 0 };
const isIncomplete = (missing: string[]) => (err: unknown) => err instanceof LedgerlensError && err.code === 'INCOMPLETE_RECORD'
  && JSON.stringify((err.details as { missing: string[] }).missing) === JSON.stringify(missing) && missing.every((m) => err.message.includes(m));

/** Every value of `a` that `b` differs in, as "path: a -> b" (record fields, discounts, items, breakdown). */
function differences(a: InvoiceRecord, b: InvoiceRecord): string[] {
  const out: string[] = [];
  for (const f of RECORD_FIELDS) if (getField(a, f) !== getField(b, f)) out.push(`${f}: ${getField(a, f)} -> ${getField(b, f)}`);
  if (JSON.stringify(a.paymentTerms.discounts) !== JSON.stringify(b.paymentTerms.discounts)) out.push('paymentTerms.discounts');
  if (a.lineItems.length !== b.lineItems.length) out.push(`lineItems: ${a.lineItems.length} -> ${b.lineItems.length}`);
  a.lineItems.forEach((x, i) => { for (const c of LINE_ITEM_COLUMNS) if (x[c] !== b.lineItems[i]?.[c]) out.push(`lineItems.${i}.${c}: ${x[c]} -> ${b.lineItems[i]?.[c]}`); });
  if (a.taxBreakdown.length !== b.taxBreakdown.length) out.push(`taxBreakdown: ${a.taxBreakdown.length} -> ${b.taxBreakdown.length}`);
  a.taxBreakdown.forEach((x, i) => { for (const c of TAX_BREAKDOWN_COLUMNS) if (x[c] !== b.taxBreakdown[i]?.[c]) out.push(`taxBreakdown.${i}.${c}: ${x[c]} -> ${b.taxBreakdown[i]?.[c]}`); });
  return out;
}

async function assertValid(out: ReturnType<typeof writeUbl>) {
  if (noXmllint) return;
  const result = await validateXml(out.xml, schemaFor(out));
  assert.deepEqual(result.errors, [], `${out.syntax} ${out.profile}`);
  assert.equal(result.valid, true);
}

test('UBL Invoice: every field of a full record round-trips through the reader; XSD-valid', { skip: noXmllint }, async () => {
  const record = fullRecord();
  const out = writeUbl(record);
  assert.equal(out.syntax, 'ubl-invoice');
  assert.match(out.xml, /<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
  assert.match(out.xml, /<cbc:CustomizationID>urn:cen\.eu:en16931:2017#compliant#urn:fdc:peppol\.eu:2017:poacc:billing:3\.0</);
  await assertValid(out);
  const back = parseInvoiceXml(out.xml, src);
  // the printed unit "Stk" is written as its Rec 20 code and reads back as the code
  assert.deepEqual(differences(record, back), ['lineItems.0.unit: Stk -> H87']);
  assert.deepEqual(out.omitted, []);
  assert.deepEqual(back.warnings, []);
});

test('UBL CreditNote: a credit note is written as one (381), positive amounts, and reads back typed', { skip: noXmllint }, async () => {
  const out = writeUbl(creditNoteRecord());
  assert.equal(out.syntax, 'ubl-credit-note');
  assert.match(out.xml, /<CreditNote xmlns=/);
  assert.match(out.xml, /<cbc:CreditNoteTypeCode>381<\/cbc:CreditNoteTypeCode>/);
  assert.match(out.xml, /<cac:CreditNoteLine>[\s\S]*<cbc:CreditedQuantity unitCode="H87">2<\/cbc:CreditedQuantity>/);
  assert.doesNotMatch(out.xml, />-\d/, 'no negative amount');
  await assertValid(out);
  const back = parseInvoiceXml(out.xml, src);
  assert.equal(back.documentType, 'credit_note');
  assert.deepEqual(differences(creditNoteRecord(), back), []);
});

test('CII: a full record is written in the EN 16931 profile and round-trips; XSD-valid', { skip: noXmllint }, async () => {
  const record = fullRecord();
  const out = writeCii(record);
  assert.equal(out.profile, 'urn:cen.eu:en16931:2017');
  await assertValid(out);
  const back = parseInvoiceXml(out.xml, src);
  assert.deepEqual(differences(record, back), ['lineItems.0.unit: Stk -> H87']);
  assert.equal(back.documentType, 'invoice');
  assert.deepEqual(back.warnings, []);
  // a credit note in CII: TypeCode 381, amounts as stated
  const credit = writeCii(creditNoteRecord());
  assert.match(credit.xml, /<ram:TypeCode>381<\/ram:TypeCode>/);
  await assertValid(credit);
  assert.equal(parseInvoiceXml(credit.xml, src).documentType, 'credit_note');
});

test('CII: incomplete line items go to EXTENDED, a record without items to MINIMUM (with what it could not carry)', { skip: noXmllint }, async () => {
  const partial = fullRecord({
    lineItems: [{ description: 'Beratung', quantity: null, unit: null, unitPrice: null, amount: '295.00', taxRate: null, productCode: null }],
    discount: null, shipping: null,
  });
  const ext = writeCii(partial);
  assert.match(ext.profile, /extended$/);
  await assertValid(ext);
  assert.deepEqual(differences(partial, parseInvoiceXml(ext.xml, src)), []);

  const receipt = receiptRecord();
  assert.throws(() => writeCii(receipt), isIncomplete(['customer.name']), 'MINIMUM needs the buyer name');
  const withBuyer = { ...receipt, customer: { name: 'Walk-in customer', address: null, taxId: null }, dueDate: '2024-05-31' };
  const min = writeCii(withBuyer);
  assert.equal(min.profile, 'urn:factur-x.eu:1p0:minimum');
  assert.deepEqual(min.omitted, ['vendor.address', 'dueDate']);
  await assertValid(min);
  const back = parseInvoiceXml(min.xml, src);
  assert.equal(back.total, '10.60');
  assert.equal(back.documentType, 'invoice', 'a receipt is written as 380 (UNTDID 1001 has no receipt code)');
});

test('missing fields are left out, never invented', () => {
  const bare = fullRecord({
    purchaseOrder: null, dueDate: null, paymentTerms: { text: null, netDays: null, discounts: [] },
    payment: { iban: null, bic: null, accountHolder: null, reference: null }, discount: null, shipping: null, prepaid: null, amountDue: null,
    customer: { name: null, address: null, taxId: null },
  });
  const ubl = writeUbl(bare).xml;
  for (const tag of ['cac:OrderReference', 'cbc:DueDate', 'cac:PaymentTerms', 'cac:PaymentMeans', 'cac:AllowanceCharge', 'cbc:PrepaidAmount', 'cbc:RegistrationName>Kanzlei']) {
    assert.ok(!ubl.includes(`<${tag}`), tag);
  }
  const cii = writeCii(bare).xml;
  for (const tag of ['ram:BuyerOrderReferencedDocument', 'ram:SpecifiedTradeSettlementPaymentMeans', 'ram:SpecifiedTradeAllowanceCharge', 'ram:TotalPrepaidAmount', 'ram:SpecifiedTradePaymentTerms']) {
    assert.ok(!cii.includes(`<${tag}`), tag);
  }
  // the amount due is derived from the total when neither it nor a prepayment is stated (BR-CO-16)
  assert.match(ubl, /<cbc:PayableAmount currencyID="EUR">339\.05<\/cbc:PayableAmount>/);
});

test('a record lacking what the syntax requires: INCOMPLETE_RECORD listing every missing field', () => {
  const r = fullRecord({ vendor: { name: null, address: null, taxId: null }, total: null, invoiceDate: null });
  assert.throws(() => writeUbl(r), isIncomplete(['invoiceDate', 'vendor.name', 'total']));
  assert.throws(() => writeCii(r), isIncomplete(['invoiceDate', 'vendor.name', 'total']));
  assert.throws(() => writeUbl(receiptRecord()), isIncomplete(['lineItems']), 'UBL needs at least one line');
  assert.throws(() => writeCii({ ...fullRecord(), documentType: null }), isIncomplete(['documentType']));
  const noAmount = fullRecord({ lineItems: [{ ...fullRecord().lineItems[0]!, amount: null }] });
  assert.throws(() => writeUbl(noAmount), isIncomplete(['lineItems.0.amount']));
  const err = (() => { try { writeUbl(r); } catch (e) { return e as LedgerlensError; } return null; })();
  assert.equal(err?.permanent, true);
});

test('XML special characters and control characters are written safely', () => {
  const r = fullRecord({ invoiceNumber: 'A&B<1>"\'\u0001' });
  const back = parseInvoiceXml(writeUbl(r).xml, src);
  assert.equal(back.invoiceNumber, 'A&B<1>"\'');
  assert.equal(back.customer.name, 'Kanzlei <Weber> & Partner');
  assert.equal(parseInvoiceXml(writeCii(r).xml, src).invoiceNumber, 'A&B<1>"\'');
});

test('synthetic records (12 seeds; the bench does 200): UBL and CII are XSD-valid and round-trip every stated value they can carry', { skip: noXmllint }, async () => {
  const problems: string[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const { record } = await generateInvoice(9000 + seed);
    for (const out of [writeUbl(record), writeCii(record)]) {
      const v = await validateXml(out.xml, schemaFor(out));
      if (!v.valid) problems.push(`${seed} ${out.syntax}: ${v.errors[0]}`);
      const back = parseInvoiceXml(out.xml, src);
      // allowed: the documented derivations, and what the writer listed as not carried (addresses without a country code)
      const diff = differences(record, back)
        .filter((d) => !/^documentType: receipt -> invoice$|^amountDue: null -> |\.unit: /.test(d))
        .filter((d) => !out.omitted.some((o) => d.startsWith(`${o}:`)));
      if (diff.length > 0) problems.push(`${seed} ${out.syntax}: ${diff.join('; ')}`);
    }
  }
  assert.deepEqual(problems, []);
});

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataDir = locateDataDir(repoRoot);
const devDir = dataDir === null ? null : join(dataDir, 'einvoices', 'dev');
const noDev = noXmllint || (devDir === null || !existsSync(devDir) ? 'no shared data folder (einvoices/dev)' : false);

test('einvoices/dev: every record is written as XSD-valid UBL and CII, or refused naming what its XML lacks', { skip: noDev }, async () => {
  let valid = 0;
  const problems: string[] = [];
  for (const name of (await readdir(devDir!)).filter((n) => n.endsWith('.pdf')).sort()) {
    const found = await findEmbeddedInvoiceXml(new Uint8Array(await readFile(join(devDir!, name))));
    const record = InvoiceRecordSchema.parse(parseInvoiceXml(found!.xml, src));
    for (const write of [writeUbl, writeCii]) {
      try {
        const out = write(record);
        const v = await validateXml(out.xml, schemaFor(out));
        if (v.valid) valid++; else problems.push(`${name} ${out.syntax}: ${v.errors[0]}`);
      } catch (err) {
        if (!(err instanceof LedgerlensError && err.code === 'INCOMPLETE_RECORD')) problems.push(`${name}: ${String(err)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(valid >= 110, `${valid} valid outputs`);
});
