import type { EarlyPaymentDiscount, InvoiceRecord, LineItem } from '../core/invoice-record.js';
import { parsePaymentTerms } from '../extract/record/payment-terms.js';
import { TYPE_CODE_OF, unitCodeOf } from './code-lists.js';
import {
  incomplete, isVatId, lineTaxCategory, lineTotal, missingFields, payableAmount, splitAddress, taxCategory, type EinvoiceOutput,
} from './write-common.js';
import { el, leaf, required, serialise, withAttrs, type XmlElement } from './xml-write.js';

/**
 * Any record as UN/CEFACT CII D16B, the XML of Factur-X 1.0 / ZUGFeRD 2.x, in the strictest
 * profile whose schema the record fills (each valid against that profile's Factur-X XSD):
 * - EN 16931 (COMFORT): every line has description, quantity, unit price, amount and a tax
 *   category (stated, or S for a positive rate), and the record has a tax breakdown;
 * - EXTENDED: line items whose columns are incomplete, or no breakdown (the profile makes
 *   them optional); its structured early-payment terms carry the discounts;
 * - MINIMUM: no line items at all (the only line-free profile with a published XSD here);
 *   it carries the header only: what it cannot hold is listed in `omitted`.
 * Required in every profile (else INCOMPLETE_RECORD listing what is missing): documentType,
 * invoiceNumber, invoiceDate, currency, vendor.name, subtotal (BT-109), total; MINIMUM also needs
 * customer.name; EN 16931 / EXTENDED need every line's description and (EN 16931) amount.
 */

export type CiiProfile = 'en16931' | 'extended' | 'minimum';

export const CII_GUIDELINES: Record<CiiProfile, string> = {
  en16931: 'urn:cen.eu:en16931:2017',
  extended: 'urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended',
  minimum: 'urn:factur-x.eu:1p0:minimum',
};

const NS = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
};

const date = (name: string, iso: string | null) => iso === null ? null : el(name, leaf('udt:DateTimeString', iso.replace(/-/g, ''), { format: '102' }));

function party(tag: string, name: string | null, address: string | null, taxId: string | null, profile: CiiProfile): XmlElement | null {
  const { line, country } = splitAddress(address);
  return required(tag,
    leaf('ram:Name', name),
    profile !== 'minimum' && country !== null && el('ram:PostalTradeAddress', leaf('ram:LineOne', line), leaf('ram:CountryID', country)),
    taxId !== null && el('ram:SpecifiedTaxRegistration', leaf('ram:ID', taxId, { schemeID: isVatId(taxId) ? 'VA' : 'FC' })));
}

function tradeTax(rate: string | null, category: string | null, base: string | null, amount: string | null, withTypeCode = true): XmlElement | null {
  return el('ram:ApplicableTradeTax',
    leaf('ram:CalculatedAmount', amount),
    withTypeCode && leaf('ram:TypeCode', 'VAT'),
    leaf('ram:BasisAmount', base),
    leaf('ram:CategoryCode', taxCategory(rate, category)),
    leaf('ram:RateApplicablePercent', rate));
}

function line(record: InvoiceRecord, item: LineItem, index: number): XmlElement {
  return required('ram:IncludedSupplyChainTradeLineItem',
    required('ram:AssociatedDocumentLineDocument', leaf('ram:LineID', index + 1)),
    required('ram:SpecifiedTradeProduct', leaf('ram:SellerAssignedID', item.productCode), leaf('ram:Name', item.description)),
    el('ram:SpecifiedLineTradeAgreement', el('ram:NetPriceProductTradePrice', leaf('ram:ChargeAmount', item.unitPrice))),
    el('ram:SpecifiedLineTradeDelivery', leaf('ram:BilledQuantity', item.quantity, { unitCode: unitCodeOf(item.unit) })),
    required('ram:SpecifiedLineTradeSettlement',
      item.taxRate !== null && tradeTax(item.taxRate, lineTaxCategory(record, item), null, null),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', leaf('ram:LineTotalAmount', item.amount))),
  );
}

function discountTerms(d: EarlyPaymentDiscount): XmlElement | null {
  return el('ram:ApplicableTradePaymentDiscountTerms',
    leaf('ram:BasisPeriodMeasure', d.days, { unitCode: 'DAY' }),
    leaf('ram:CalculationPercent', d.percent),
    leaf('ram:ActualDiscountAmount', d.amount));
}

/** The strictest profile the record's line items and breakdown fill. */
export function ciiProfileFor(record: InvoiceRecord): CiiProfile {
  if (record.lineItems.length === 0) return 'minimum';
  const complete = record.lineItems.every((i) => i.description !== null && i.quantity !== null && i.unitPrice !== null && i.amount !== null
    && lineTaxCategory(record, i) !== null);
  const breakdown = record.taxBreakdown.length > 0 && record.taxBreakdown.every((r) => taxCategory(r.rate, r.category) !== null);
  return complete && breakdown ? 'en16931' : 'extended';
}

function requiredFor(record: InvoiceRecord, profile: CiiProfile): string[] {
  const missing = missingFields(record, [
    ['documentType', record.documentType], ['invoiceNumber', record.invoiceNumber], ['invoiceDate', record.invoiceDate],
    ['currency', record.currency], ['vendor.name', record.vendor.name], ['subtotal', record.subtotal], ['total', record.total],
    ...(profile === 'minimum' ? [['customer.name', record.customer.name] as [string, unknown]] : []),
  ]);
  if (profile !== 'minimum') {
    record.lineItems.forEach((i, n) => {
      if (i.description === null) missing.push(`lineItems.${n}.description`);
      if (profile === 'en16931') {
        for (const c of ['quantity', 'unitPrice', 'amount'] as const) if (i[c] === null) missing.push(`lineItems.${n}.${c}`);
        if (lineTaxCategory(record, i) === null) missing.push(`lineItems.${n}.taxRate`);
      }
    });
    if (profile === 'en16931' && record.taxBreakdown.length === 0) missing.push('taxBreakdown');
    if (lineTotal(record.lineItems) === null) missing.push(...record.lineItems.flatMap((i, n) => (i.amount === null ? [`lineItems.${n}.amount`] : [])));
  }
  if (profile === 'minimum' && record.lineItems.length > 0) missing.push('(line items cannot be written in MINIMUM)');
  return [...new Set(missing)];
}

/** What the MINIMUM profile has no place for. */
function omittedInMinimum(record: InvoiceRecord): string[] {
  const present: Array<[string, unknown]> = [
    ['vendor.address', record.vendor.address], ['customer.address', record.customer.address], ['dueDate', record.dueDate],
    ['paymentTerms', record.paymentTerms.text ?? (record.paymentTerms.netDays ?? (record.paymentTerms.discounts.length || null))],
    ['payment', record.payment.iban ?? record.payment.bic ?? record.payment.reference ?? record.payment.accountHolder],
    ['discount', record.discount], ['shipping', record.shipping], ['prepaid', record.prepaid], ['taxBreakdown', record.taxBreakdown.length || null],
  ];
  return present.filter(([, v]) => v !== null && v !== undefined).map(([k]) => k);
}

/** The record as CII (Factur-X / ZUGFeRD XML) in `profile` (default: the strictest it fills). */
export function writeCii(record: InvoiceRecord, options: { profile?: CiiProfile } = {}): EinvoiceOutput {
  const profile = options.profile ?? ciiProfileFor(record);
  const missing = requiredFor(record, profile);
  if (missing.length > 0) throw incomplete(`CII (Factur-X ${profile.toUpperCase()})`, missing);
  const currency = record.currency!;
  const full = profile !== 'minimum';
  const omitted = full ? [] : omittedInMinimum(record);
  for (const [path, address] of [['vendor.address', record.vendor.address], ['customer.address', record.customer.address]] as const) {
    if (full && address !== null && splitAddress(address).country === null) omitted.push(path);
  }
  const extended = profile === 'extended';
  const { netDays, discounts, text } = record.paymentTerms;
  // The terms travel as text (BT-20); EXTENDED also states discounts structurally when the text does not carry them.
  const fromText = parsePaymentTerms(text);
  const structured = JSON.stringify(fromText.discounts) !== JSON.stringify(discounts) ? discounts : [];
  if (full && fromText.netDays !== netDays) omitted.push('paymentTerms.netDays');
  if (full && !extended && structured.length > 0) omitted.push('paymentTerms.discounts');
  const hasAccount = record.payment.iban !== null || record.payment.bic !== null || record.payment.accountHolder !== null;

  const breakdown = record.taxBreakdown.length > 0
    ? record.taxBreakdown.map((r) => tradeTax(r.rate, r.category, r.base, r.amount))
    // EXTENDED without a breakdown: the element the schema requires, stating only the tax type.
    : [required('ram:ApplicableTradeTax', leaf('ram:TypeCode', 'VAT'))];

  const settlement = required('ram:ApplicableHeaderTradeSettlement',
    full && leaf('ram:PaymentReference', record.payment.reference),
    leaf('ram:InvoiceCurrencyCode', currency),
    full && (hasAccount || record.payment.reference !== null) && el('ram:SpecifiedTradeSettlementPaymentMeans',
      // 30 = credit transfer when an account is given, 1 = instrument not defined (UNCL4461)
      leaf('ram:TypeCode', record.payment.iban !== null ? '30' : '1'),
      el('ram:PayeePartyCreditorFinancialAccount', leaf('ram:IBANID', record.payment.iban), leaf('ram:AccountName', record.payment.accountHolder)),
      el('ram:PayeeSpecifiedCreditorFinancialInstitution', leaf('ram:BICID', record.payment.bic))),
    full && breakdown,
    full && record.discount !== null && el('ram:SpecifiedTradeAllowanceCharge',
      el('ram:ChargeIndicator', leaf('udt:Indicator', 'false')), leaf('ram:ActualAmount', record.discount)),
    full && record.shipping !== null && el('ram:SpecifiedTradeAllowanceCharge',
      el('ram:ChargeIndicator', leaf('udt:Indicator', 'true')), leaf('ram:ActualAmount', record.shipping)),
    full && el('ram:SpecifiedTradePaymentTerms',
      leaf('ram:Description', text),
      date('ram:DueDateDateTime', record.dueDate),
      extended && structured.length > 0 && discountTerms(structured[0]!)),
    // EXTENDED repeats the terms element for further discounts (the reader collects them all)
    extended && structured.slice(1).map((d) => el('ram:SpecifiedTradePaymentTerms', discountTerms(d))),
    required('ram:SpecifiedTradeSettlementHeaderMonetarySummation',
      full && leaf('ram:LineTotalAmount', lineTotal(record.lineItems)),
      full && leaf('ram:ChargeTotalAmount', record.shipping),
      full && leaf('ram:AllowanceTotalAmount', record.discount),
      leaf('ram:TaxBasisTotalAmount', record.subtotal),
      leaf('ram:TaxTotalAmount', record.tax, { currencyID: currency }),
      leaf('ram:GrandTotalAmount', record.total),
      full && leaf('ram:TotalPrepaidAmount', record.prepaid),
      leaf('ram:DuePayableAmount', payableAmount(record))));
  if (!full && record.tax === null) omitted.push('tax');

  const root = required('rsm:CrossIndustryInvoice',
    required('rsm:ExchangedDocumentContext', el('ram:GuidelineSpecifiedDocumentContextParameter', leaf('ram:ID', CII_GUIDELINES[profile]))),
    required('rsm:ExchangedDocument',
      leaf('ram:ID', record.invoiceNumber),
      leaf('ram:TypeCode', TYPE_CODE_OF[record.documentType!]),
      date('ram:IssueDateTime', record.invoiceDate)),
    required('rsm:SupplyChainTradeTransaction',
      full && record.lineItems.map((item, i) => line(record, item, i)),
      required('ram:ApplicableHeaderTradeAgreement',
        party('ram:SellerTradeParty', record.vendor.name, record.vendor.address, record.vendor.taxId, profile),
        party('ram:BuyerTradeParty', record.customer.name, record.customer.address, record.customer.taxId, profile),
        el('ram:BuyerOrderReferencedDocument', leaf('ram:IssuerAssignedID', record.purchaseOrder))),
      required('ram:ApplicableHeaderTradeDelivery'),
      settlement));
  return { xml: serialise(withAttrs(root, NS)), syntax: 'cii', profile: CII_GUIDELINES[profile], omitted: [...new Set(omitted)] };
}
