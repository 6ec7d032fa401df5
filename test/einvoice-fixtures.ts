import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import type { DocumentSource, MediaType } from '../src/core/document-text.js';

/** Generated e-invoice fixtures for the einvoice tests (no file of ../shared is read). */

export function sourceOf(bytes: Uint8Array | string, mediaType: MediaType = 'application/xml'): DocumentSource {
  const n = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  return { file: null, sha256: 'a'.repeat(64), mediaType, bytes: n, pages: mediaType === 'application/pdf' ? 1 : 0 };
}

export interface Party { name: string; street: string; postcode: string; city: string; country: string; vatId?: string; taxNumber?: string }
export interface Line { name: string; quantity: string; price: string; total: string }
export interface Invoice {
  number: string; issued: string; due: string | null; currency: string;
  seller: Party; buyer: Party; lines: Line[];
  lineTotal: string; taxBasis: string | null; tax: string; grandTotal: string; guideline: string;
  /** A second TaxTotalAmount in another currency (BT-111). */
  taxInAccountingCurrency?: { currency: string; amount: string };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const compact = (iso: string) => iso.replace(/-/g, '');

export const sampleInvoice = (over: Partial<Invoice> = {}): Invoice => ({
  number: 'RE-2024/0815', issued: '2024-02-29', due: '2024-03-30', currency: 'EUR',
  seller: { name: 'Nordlicht Bürobedarf GmbH & Co. KG', street: 'Hafenstraße 7', postcode: '20457', city: 'Hamburg', country: 'DE', vatId: 'DE136695976', taxNumber: '22/815/08150' },
  buyer: { name: 'Kanzlei Weber', street: 'Lindenallee 3', postcode: '50667', city: 'Köln', country: 'DE' },
  lines: [
    { name: 'Kopierpapier A4 <80g>', quantity: '20.0000', price: '4.9500', total: '99' },
    { name: 'Toner schwarz', quantity: '1.5', price: '129.6', total: '194.4' },
  ],
  lineTotal: '293.40', taxBasis: '293.4', tax: '55.75', grandTotal: '349.15',
  guideline: 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:en16931',
  ...over,
});

function ciiParty(tag: string, p: Party, ns: 'ram' | '' = 'ram'): string {
  const r = ns ? `${ns}:` : '';
  const tax = [p.taxNumber && `<${r}SpecifiedTaxRegistration><${r}ID schemeID="FC">${p.taxNumber}</${r}ID></${r}SpecifiedTaxRegistration>`,
    p.vatId && `<${r}SpecifiedTaxRegistration><${r}ID schemeID="VA">${p.vatId}</${r}ID></${r}SpecifiedTaxRegistration>`].filter(Boolean).join('');
  return `<${r}${tag}><${r}Name>${esc(p.name)}</${r}Name><${r}PostalTradeAddress><${r}PostcodeCode>${p.postcode}</${r}PostcodeCode>`
    + `<${r}LineOne>${esc(p.street)}</${r}LineOne><${r}CityName>${esc(p.city)}</${r}CityName><${r}CountryID>${p.country}</${r}CountryID>`
    + `</${r}PostalTradeAddress>${tax}</${r}${tag}>`;
}

/** CII D16B as ZUGFeRD 2.x / Factur-X / XRechnung CII write it. */
export function ciiXml(inv: Invoice): string {
  const lines = inv.lines.map((l, i) => `<ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>${esc(l.name)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${l.price}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${l.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${l.total}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>`).join('\n');
  const due = inv.due ? `<ram:SpecifiedTradePaymentTerms><ram:Description>30 Tage netto</ram:Description><ram:DueDateDateTime><udt:DateTimeString format="102">${compact(inv.due)}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>` : '';
  const extraTax = inv.taxInAccountingCurrency ? `<ram:TaxTotalAmount currencyID="${inv.taxInAccountingCurrency.currency}">${inv.taxInAccountingCurrency.amount}</ram:TaxTotalAmount>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- generated for Ledgerlens tests -->
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${inv.guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>${esc(inv.number)}</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${compact(inv.issued)}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    ${lines}
    <ram:ApplicableHeaderTradeAgreement>${ciiParty('SellerTradeParty', inv.seller)}${ciiParty('BuyerTradeParty', inv.buyer)}</ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>${inv.currency}</ram:InvoiceCurrencyCode>
      ${due}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>${inv.lineTotal}</ram:LineTotalAmount>
        ${inv.taxBasis === null ? '' : `<ram:TaxBasisTotalAmount>${inv.taxBasis}</ram:TaxBasisTotalAmount>`}
        <ram:TaxTotalAmount currencyID="${inv.currency}">${inv.tax}</ram:TaxTotalAmount>${extraTax}
        <ram:GrandTotalAmount>${inv.grandTotal}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>${inv.grandTotal}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;
}

/** ZUGFeRD 1.0 CrossIndustryDocument (namespace urn:ferd:CrossIndustryDocument:invoice:1p0). */
export function zugferd1Xml(inv: Invoice, sellerNameLines?: string[]): string {
  const seller = sellerNameLines ? { ...inv.seller, name: sellerNameLines.join('\n') } : inv.seller;
  const c = inv.currency;
  const lines = inv.lines.map((l) => `<ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount currencyID="${c}">${l.price}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedSupplyChainTradeAgreement>
      <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">${l.quantity}</ram:BilledQuantity></ram:SpecifiedSupplyChainTradeDelivery>
      <ram:SpecifiedSupplyChainTradeSettlement><ram:SpecifiedTradeSettlementMonetarySummation><ram:LineTotalAmount currencyID="${c}">${l.total}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementMonetarySummation></ram:SpecifiedSupplyChainTradeSettlement>
      <ram:SpecifiedTradeProduct><ram:Name>${esc(l.name)}</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>`).join('\n');
  const noteLine = `<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:IncludedNote><ram:Content>Lieferung ab Lager</ram:Content></ram:IncludedNote></ram:AssociatedDocumentLineDocument></ram:IncludedSupplyChainTradeLineItem>`;
  const due = inv.due ? `<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">${compact(inv.due)}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${inv.guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument><ram:ID>${esc(inv.number)}</ram:ID><ram:Name>RECHNUNG</ram:Name><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${compact(inv.issued)}</udt:DateTimeString></ram:IssueDateTime></rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>${ciiParty('SellerTradeParty', seller)}${ciiParty('BuyerTradeParty', inv.buyer)}</ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>${c}</ram:InvoiceCurrencyCode>
      ${due}
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:LineTotalAmount currencyID="${c}">${inv.lineTotal}</ram:LineTotalAmount>
        ${inv.taxBasis === null ? '' : `<ram:TaxBasisTotalAmount currencyID="${c}">${inv.taxBasis}</ram:TaxBasisTotalAmount>`}
        <ram:TaxTotalAmount currencyID="${c}">${inv.tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount currencyID="${c}">${inv.grandTotal}</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
    ${noteLine}
    ${lines}
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>`;
}

function ublParty(tag: string, p: Party): string {
  const tax = p.vatId ? `<cac:PartyTaxScheme><cbc:CompanyID>${p.vatId}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : '';
  return `<cac:${tag}><cac:Party>
      <cac:PartyName><cbc:Name>${esc(p.name)} (Handelsname)</cbc:Name></cac:PartyName>
      <cac:PostalAddress><cbc:StreetName>${esc(p.street)}</cbc:StreetName><cbc:CityName>${esc(p.city)}</cbc:CityName><cbc:PostalZone>${p.postcode}</cbc:PostalZone><cac:Country><cbc:IdentificationCode>${p.country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
      ${tax}
      <cac:PartyLegalEntity><cbc:RegistrationName>${esc(p.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party></cac:${tag}>`;
}

/** UBL 2.1 Invoice or CreditNote as EN 16931 / XRechnung UBL write it. */
export function ublXml(inv: Invoice, kind: 'Invoice' | 'CreditNote' = 'Invoice'): string {
  const c = inv.currency;
  const lineTag = kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine';
  const qtyTag = kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  const lines = inv.lines.map((l, i) => `<cac:${lineTag}><cbc:ID>${i + 1}</cbc:ID><cbc:${qtyTag} unitCode="C62">${l.quantity}</cbc:${qtyTag}>
      <cbc:LineExtensionAmount currencyID="${c}">${l.total}</cbc:LineExtensionAmount>
      <cac:Item><cbc:Description>long text</cbc:Description><cbc:Name>${esc(l.name)}</cbc:Name></cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="${c}">${l.price}</cbc:PriceAmount></cac:Price></cac:${lineTag}>`).join('\n');
  const due = inv.due === null ? '' : kind === 'Invoice' ? `<cbc:DueDate>${inv.due}</cbc:DueDate>` : '';
  const paymentMeans = inv.due !== null && kind === 'CreditNote' ? `<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentDueDate>${inv.due}</cbc:PaymentDueDate></cac:PaymentMeans>` : '';
  const extraTax = inv.taxInAccountingCurrency ? `<cac:TaxTotal><cbc:TaxAmount currencyID="${inv.taxInAccountingCurrency.currency}">${inv.taxInAccountingCurrency.amount}</cbc:TaxAmount></cac:TaxTotal>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${kind}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>${inv.guideline}</cbc:CustomizationID>
  <cbc:ID>${esc(inv.number)}</cbc:ID>
  <cbc:IssueDate>${inv.issued}</cbc:IssueDate>
  ${due}
  <cbc:${kind}TypeCode>${kind === 'Invoice' ? 380 : 381}</cbc:${kind}TypeCode>
  <cbc:DocumentCurrencyCode>${c}</cbc:DocumentCurrencyCode>
  ${ublParty('AccountingSupplierParty', inv.seller)}
  ${ublParty('AccountingCustomerParty', inv.buyer)}
  ${paymentMeans}
  <cac:TaxTotal><cbc:TaxAmount currencyID="${c}">${inv.tax}</cbc:TaxAmount></cac:TaxTotal>${extraTax}
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="${c}">${inv.lineTotal}</cbc:LineExtensionAmount>
    ${inv.taxBasis === null ? '' : `<cbc:TaxExclusiveAmount currencyID="${c}">${inv.taxBasis}</cbc:TaxExclusiveAmount>`}
    <cbc:TaxInclusiveAmount currencyID="${c}">${inv.grandTotal}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="${c}">${inv.grandTotal}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  ${lines}
</${kind}>`;
}

/** A one-page PDF (pdf-lib) with the given files attached to the document (EmbeddedFiles). */
export async function pdfWithAttachments(files: { name: string; content: string | Uint8Array; mimeType?: string }[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Rechnung RE-2024/0815', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  for (const f of files) {
    const bytes = typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content;
    await doc.attach(bytes, f.name, { mimeType: f.mimeType ?? 'text/xml', description: 'invoice data', creationDate: new Date(0), modificationDate: new Date(0) });
  }
  return doc.save();
}

/**
 * A PDF that needs a user password: a standard security handler (RC4, R2) whose U entry matches no
 * password, so readers must ask for one. pdf-lib cannot encrypt; the dictionary is written by hand.
 */
export async function passwordProtectedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const ctx = doc.context;
  ctx.trailerInfo.Encrypt = ctx.register(ctx.obj({
    Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: PDFHexString.of('11'.repeat(32)), U: PDFHexString.of('22'.repeat(32)),
  }));
  const id = PDFHexString.of('33'.repeat(16));
  ctx.trailerInfo.ID = ctx.obj([id, id]);
  return doc.save({ useObjectStreams: false });
}
