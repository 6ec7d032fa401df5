import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LedgerlensError } from '../src/core/errors.js';
import { InvoiceRecordSchema, type InvoiceRecord } from '../src/core/invoice-record.js';
import { findEmbeddedInvoiceXml, parseInvoiceXml, readEmbeddedInvoice } from '../src/einvoice/einvoice.js';
import { normaliseAmount, normaliseDate, normalisePartyName, normaliseQuantity } from '../src/einvoice/values.js';
import { ciiXml, passwordProtectedPdf, pdfWithAttachments, sampleInvoice, sourceOf, ublXml, zugferd1Xml } from './einvoice-fixtures.js';

const isCode = (code: string) => (err: unknown) => err instanceof LedgerlensError && err.code === code;

/** The core values every generated sample must yield, whatever its syntax. */
function assertSampleRecord(record: InvoiceRecord, version: string, documentType: InvoiceRecord['documentType'] = 'invoice') {
  assert.doesNotThrow(() => InvoiceRecordSchema.parse(record));
  assert.equal(record.schemaVersion, 2);
  assert.equal(record.documentType, documentType);
  assert.deepEqual(record.model, { name: 'embedded-xml', version });
  assert.equal(record.vendor.name, 'Nordlicht Bürobedarf GmbH & Co. KG');
  assert.equal(record.vendor.address, 'Hafenstraße 7, 20457 Hamburg, DE');
  assert.equal(record.vendor.taxId, 'DE136695976');
  assert.equal(record.customer.name, 'Kanzlei Weber');
  assert.equal(record.customer.address, 'Lindenallee 3, 50667 Köln, DE');
  assert.equal(record.invoiceNumber, 'RE-2024/0815');
  assert.equal(record.invoiceDate, '2024-02-29');
  assert.equal(record.dueDate, '2024-03-30');
  assert.equal(record.currency, 'EUR');
  assert.equal(record.subtotal, '293.40');
  assert.equal(record.tax, '55.75');
  assert.equal(record.total, '349.15');
  assert.deepEqual(record.lineItems, [
    { description: 'Kopierpapier A4 <80g>', quantity: '20', unit: 'C62', unitPrice: '4.95', amount: '99.00', taxRate: null, productCode: null },
    { description: 'Toner schwarz', quantity: '1.5', unit: 'C62', unitPrice: '129.60', amount: '194.40', taxRate: null, productCode: null },
  ]);
  for (const path of ['vendor.name', 'vendor.address', 'vendor.taxId', 'customer.name', 'customer.address', 'invoiceNumber', 'invoiceDate', 'dueDate', 'currency', 'subtotal', 'tax', 'total']) {
    assert.deepEqual(record.fields[path], { confidence: 1, review: false, method: 'embedded-xml', provenance: null }, path);
  }
  assert.deepEqual(record.warnings, []);
}

test('CII (ZUGFeRD 2 / Factur-X): every core field, line items, fields info', () => {
  const inv = sampleInvoice();
  const xml = ciiXml(inv);
  assertSampleRecord(parseInvoiceXml(xml, sourceOf(xml)), inv.guideline);
  // bytes with a UTF-8 BOM read the same
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(xml)]);
  assertSampleRecord(parseInvoiceXml(bytes, sourceOf(bytes)), inv.guideline);
});

test('CII: tax in the invoice currency when a second TaxTotalAmount is in the accounting currency', () => {
  const inv = sampleInvoice({ currency: 'GBP', taxInAccountingCurrency: { currency: 'EUR', amount: '64.12' } });
  const xml = ciiXml(inv);
  const record = parseInvoiceXml(xml, sourceOf(xml));
  assert.equal(record.currency, 'GBP');
  assert.equal(record.tax, '55.75');
});

test('CII: absent values are null and have no field info, never a guess', () => {
  const inv = sampleInvoice({ due: null, taxBasis: null });
  const xml = ciiXml(inv);
  const record = parseInvoiceXml(xml, sourceOf(xml));
  assert.equal(record.dueDate, null);
  assert.equal(record.subtotal, null, 'LineTotalAmount is not taken for the tax basis');
  assert.equal(record.fields['dueDate'], undefined);
  assert.equal(record.fields['subtotal'], undefined);
  assert.equal(record.total, '349.15');
});

test('CII: subtotal + tax != total is reported as a warning, values kept as stated', () => {
  const xml = ciiXml(sampleInvoice({ grandTotal: '350.00' }));
  const record = parseInvoiceXml(xml, sourceOf(xml));
  assert.equal(record.total, '350.00');
  assert.deepEqual(record.warnings.map((w) => w.code), ['TOTALS_MISMATCH']);
});

test('ZUGFeRD 1.0 CrossIndustryDocument: core fields; multi-line name without GLN and supplier-number lines', () => {
  const inv = sampleInvoice({ guideline: 'urn:ferd:CrossIndustryDocument:invoice:1p0:comfort' });
  const xml = zugferd1Xml(inv, ['GLN 4333741000005 ', 'Lief-Nr: 549910', 'Nordlicht Bürobedarf', 'GmbH & Co. KG']);
  assertSampleRecord(parseInvoiceXml(xml, sourceOf(xml)), inv.guideline);
});

test('ZUGFeRD 1.0 release-candidate draft (Invoice root, CBFBUY namespace): read as CII', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:Invoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CBFBUY:5">
  <rsm:SpecifiedExchangedDocumentContext><GuidelineSpecifiedDocumentContextParameter><ID>urn:ferd:invoice:rc:comfort</ID></GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument><ID>RC-7</ID><IssueDateTime format="102">20140519</IssueDateTime></rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ApplicableSupplyChainTradeAgreement><SellerTradeParty><Name>Draft Seller</Name></SellerTradeParty><BuyerTradeParty><Name>Draft Buyer</Name></BuyerTradeParty></ApplicableSupplyChainTradeAgreement>
    <ApplicableSupplyChainTradeSettlement><InvoiceCurrencyCode>EUR</InvoiceCurrencyCode>
      <SpecifiedTradePaymentTerms><DueDateDateTime format="102">20140609</DueDateDateTime></SpecifiedTradePaymentTerms>
      <SpecifiedTradeSettlementMonetarySummation><TaxBasisTotalAmount currencyID="EUR">10.00</TaxBasisTotalAmount><TaxTotalAmount currencyID="EUR">1.90</TaxTotalAmount><GrandTotalAmount currencyID="EUR">11.90</GrandTotalAmount></SpecifiedTradeSettlementMonetarySummation>
    </ApplicableSupplyChainTradeSettlement>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:Invoice>`;
  const r = parseInvoiceXml(xml, sourceOf(xml));
  assert.deepEqual([r.model.version, r.invoiceNumber, r.invoiceDate, r.vendor.name, r.customer.name, r.subtotal, r.tax, r.total],
    ['urn:ferd:invoice:rc:comfort', 'RC-7', '2014-05-19', 'Draft Seller', 'Draft Buyer', '10.00', '1.90', '11.90']);
  // the draft's due date (element text, no DateTimeString) is not read, as in the reference records
  assert.equal(r.dueDate, null);
});

test('UBL 2.1 Invoice: core fields from the legal name, VAT scheme and monetary totals', () => {
  const inv = sampleInvoice({ guideline: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0' });
  const xml = ublXml(inv, 'Invoice');
  assertSampleRecord(parseInvoiceXml(xml, sourceOf(xml)), inv.guideline);
});

test('UBL 2.1 CreditNote: due date from PaymentMeans, credited quantities', () => {
  const inv = sampleInvoice({ guideline: 'urn:cen.eu:en16931:2017', taxInAccountingCurrency: { currency: 'USD', amount: '60.01' } });
  const xml = ublXml(inv, 'CreditNote');
  assertSampleRecord(parseInvoiceXml(xml, sourceOf(xml)), inv.guideline, 'credit_note');
});

test('malformed, non-invoice and unsupported XML: INVALID_EINVOICE', () => {
  const good = ciiXml(sampleInvoice());
  const cases = [
    good.slice(0, good.length - 40), // truncated
    good.replace('</ram:Name>', '</ram:Nam>'), // mismatched tag
    '<?xml version="1.0"?><html><body>Rechnung</body></html>',
    '<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>',
    'Rechnung Nr. 4711, Betrag 12,00 EUR',
    '',
  ];
  for (const xml of cases) assert.throws(() => parseInvoiceXml(xml, sourceOf(xml)), isCode('INVALID_EINVOICE'), xml.slice(0, 60));
});

test('entity expansion (billion laughs) and external entities are refused quickly', () => {
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  const root = '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">';
  const bomb = `<?xml version="1.0"?><!DOCTYPE rsm:CrossIndustryInvoice [${lol}]>${root}<rsm:ExchangedDocument><ram:ID>&lol9;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>`;
  const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${root}<rsm:ExchangedDocument><ram:ID>&x;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>`;
  const started = performance.now();
  for (const xml of [bomb, xxe]) assert.throws(() => parseInvoiceXml(xml, sourceOf(xml)), isCode('INVALID_EINVOICE'));
  assert.ok(performance.now() - started < 1000, 'refused before any expansion');
});

test('XML over the size limit is refused unread', () => {
  const xml = ciiXml(sampleInvoice());
  assert.throws(() => parseInvoiceXml(xml, sourceOf(xml), { maxXmlBytes: 1000 }), isCode('INVALID_EINVOICE'));
  const bytes = new TextEncoder().encode(xml);
  assert.throws(() => parseInvoiceXml(bytes, sourceOf(bytes), { maxXmlBytes: 1000 }), isCode('INVALID_EINVOICE'));
});

test('PDF with factur-x.xml attached: found (before other XML) and read', async () => {
  const inv = sampleInvoice();
  const cii = ciiXml(inv);
  const pdf = await pdfWithAttachments([
    { name: 'lieferschein.xml', content: '<?xml version="1.0"?><Lieferschein><Nr>1</Nr></Lieferschein>' },
    { name: 'other-invoice.xml', content: ublXml(sampleInvoice({ number: 'NOT-THIS-ONE' })) },
    { name: 'factur-x.xml', content: cii },
  ]);
  const found = await findEmbeddedInvoiceXml(pdf);
  assert.equal(found?.name, 'factur-x.xml');
  assert.equal(new TextDecoder().decode(found!.xml), cii);
  const record = await readEmbeddedInvoice(pdf, 'application/pdf', sourceOf(pdf, 'application/pdf'));
  assert.ok(record);
  assertSampleRecord(record, inv.guideline);
  // the caller's bytes are still usable afterwards (pdfjs got a copy)
  assert.equal(pdf.byteLength > 0, true);
  assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), '%PDF-');
});

test('PDF with an invoice under a non-standard name: any XML attachment that is CII or UBL', async () => {
  const inv = sampleInvoice({ guideline: 'urn:ferd:CrossIndustryDocument:invoice:1p0:extended' });
  const pdf = await pdfWithAttachments([
    { name: 'notes.xml', content: '<notes><n>x</n></notes>' },
    { name: 'picture.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mimeType: 'image/png' },
    { name: 'Rechnung_4711.XML', content: zugferd1Xml(inv) },
  ]);
  assert.equal((await findEmbeddedInvoiceXml(pdf))?.name, 'Rechnung_4711.XML');
  const record = await readEmbeddedInvoice(pdf, 'application/pdf', sourceOf(pdf, 'application/pdf'));
  assert.equal(record?.invoiceNumber, 'RE-2024/0815');
  assert.equal(record?.model.version, inv.guideline);
});

test('PDF without attachments, or with no invoice XML: null', async () => {
  const plain = await pdfWithAttachments([]);
  assert.equal(await findEmbeddedInvoiceXml(plain), null);
  assert.equal(await readEmbeddedInvoice(plain, 'application/pdf', sourceOf(plain, 'application/pdf')), null);
  const other = await pdfWithAttachments([{ name: 'data.xml', content: '<a/>' }]);
  assert.equal(await readEmbeddedInvoice(other, 'application/pdf', sourceOf(other, 'application/pdf')), null);
});

test('readEmbeddedInvoice: XML uploads parse directly; images have no embedded invoice', async () => {
  const bytes = new TextEncoder().encode(ublXml(sampleInvoice(), 'Invoice'));
  const record = await readEmbeddedInvoice(bytes, 'application/xml', sourceOf(bytes));
  assert.equal(record?.total, '349.15');
  assert.equal(await readEmbeddedInvoice(new Uint8Array([0x89, 0x50]), 'image/png', sourceOf(new Uint8Array(2), 'image/png')), null);
  const notInvoice = new TextEncoder().encode('<a/>');
  await assert.rejects(readEmbeddedInvoice(notInvoice, 'application/xml', sourceOf(notInvoice)), isCode('INVALID_EINVOICE'));
});

test('a damaged PDF: CORRUPT_DOCUMENT; a password-protected one: ENCRYPTED_DOCUMENT', async () => {
  const bytes = new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf\n');
  await assert.rejects(findEmbeddedInvoiceXml(bytes), isCode('CORRUPT_DOCUMENT'));
  const locked = await passwordProtectedPdf();
  await assert.rejects(readEmbeddedInvoice(locked, 'application/pdf', sourceOf(locked, 'application/pdf')), isCode('ENCRYPTED_DOCUMENT'));
});

test('character references, CDATA and declared encodings decode once, as XML defines them', () => {
  const xml = ciiXml(sampleInvoice())
    .replace('<ram:ID>RE-2024/0815</ram:ID>', '<ram:ID>R&#252;-&#x31; &amp;#252;</ram:ID>')
    .replace('<ram:Name>Kanzlei Weber</ram:Name>', '<ram:Name><![CDATA[Weber & Co <!DOCTYPE x>]]></ram:Name>');
  const record = parseInvoiceXml(xml, sourceOf(xml));
  assert.equal(record.invoiceNumber, 'Rü-1 &#252;');
  assert.equal(record.customer.name, 'Weber & Co <!DOCTYPE x>');
  const latin1 = ciiXml(sampleInvoice()).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
  const bytes = Uint8Array.from(latin1, (ch) => ch.charCodeAt(0));
  assert.equal(bytes.includes(0xfc), true, 'ü is one Latin-1 byte');
  assert.equal(parseInvoiceXml(bytes, sourceOf(bytes)).vendor.name, 'Nordlicht Bürobedarf GmbH & Co. KG');
});

test('values: amounts exact with two decimals at least, quantities, dates, party names', () => {
  assert.deepEqual(['19', '129.6', '9.9000', '-7.670', '0', '-0.00', '+5', '.5', '0.125', '00012.30', '1e3', '', '12,50'].map(normaliseAmount),
    ['19.00', '129.60', '9.90', '-7.67', '0.00', '0.00', '5.00', '0.50', '0.125', '12.30', null, null, null]);
  assert.deepEqual(['20.0000', '1.50', '-5', '0.0'].map(normaliseQuantity), ['20', '1.5', '-5', '0']);
  assert.equal(normaliseDate('20180305', '102'), '2018-03-05');
  assert.equal(normaliseDate('20240229', '102'), '2024-02-29');
  assert.equal(normaliseDate('20230229', '102'), null);
  assert.equal(normaliseDate('201412', '610'), null);
  assert.equal(normaliseDate('2013-08-01T00:00:00', null), '2013-08-01');
  assert.equal(normaliseDate('202403151230', '203'), '2024-03-15');
  assert.equal(normaliseDate('2024-03-15'), '2024-03-15');
  assert.equal(normalisePartyName('GLN 4304171000002 \nKunden-Nr. : 009420\nMUSTER-KUNDE GMBH'), 'Kunden-Nr. : 009420 MUSTER-KUNDE GMBH');
  assert.equal(normalisePartyName('  Lieferant   GmbH  '), 'Lieferant GmbH');
  assert.equal(normalisePartyName('GLN 4333741000005'), null);
});
