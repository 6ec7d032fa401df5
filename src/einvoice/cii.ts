import type { EarlyPaymentDiscount, LineItem, RecordWarning, TaxBreakdown } from '../core/invoice-record.js';
import { documentTypeOfCode } from './code-lists.js';
import { breakdownRows, checkedTaxId, paymentTerms, payment, percentValue } from './draft-values.js';
import { firstOf, pickTaxTotal, type InvoiceDraft } from './invoice-draft.js';
import {
  joinAddress, normaliseAmount, normaliseCurrency, normaliseDate, normalisePartyName, normaliseQuantity, normaliseText,
} from './values.js';
import { all, attr, first, text, textAt, type XmlNode } from './xml-read.js';

/**
 * UN/CEFACT Cross Industry Invoice to an invoice draft. One mapping serves the three generations,
 * whose element names differ only at a few levels:
 * - CII D16B (ZUGFeRD 2.x, Factur-X, XRechnung CII): ExchangedDocument, SupplyChainTradeTransaction,
 *   ApplicableHeaderTrade{Agreement,Settlement}, SpecifiedTradeSettlementHeaderMonetarySummation;
 * - ZUGFeRD 1.0 (CrossIndustryDocument) and its release-candidate draft: HeaderExchangedDocument,
 *   SpecifiedSupplyChainTradeTransaction, ApplicableSupplyChainTrade{Agreement,Settlement},
 *   SpecifiedTradeSettlementMonetarySummation.
 * Business terms (EN 16931): BT-1 invoice number, BT-2 issue date, BT-3 type code, BT-9 due date,
 * BT-5 currency, BT-13 purchase order, BT-20 payment terms, BT-48 buyer VAT id, BT-83 remittance
 * reference, BT-84/85/86 payee IBAN / account name / BIC, BG-23 VAT breakdown, BT-107 allowances,
 * BT-108 charges, BT-109 subtotal (TaxBasisTotalAmount: lines minus allowances plus charges),
 * BT-110 tax, BT-112 total (GrandTotalAmount), BT-113 prepaid, BT-115 amount due, BG-25 lines.
 */

const either = (node: unknown, ...names: string[]): XmlNode | null => {
  for (const name of names) {
    const found = first(node, name);
    if (found !== null) return found;
  }
  return null;
};

/**
 * A CII date: `udt:DateTimeString` with its format code. The release-candidate draft of ZUGFeRD 1.0
 * wrote the issue date as the element's own text with the format attribute on it; `ownText` reads
 * that form too. It is used for the issue date only: the due date is read from DateTimeString alone,
 * as the reference records of einvoices/dev do (their RC drafts' due dates are null there).
 */
function ciiDate(node: XmlNode | null, ownText = false): string | null {
  if (node === null) return null;
  const dts = first(node, 'DateTimeString');
  if (dts !== null) return normaliseDate(text(dts), attr(dts, 'format'));
  return ownText ? normaliseDate(text(node), attr(node, 'format')) : null;
}

function partyAddress(party: XmlNode | null): string | null {
  const a = first(party, 'PostalTradeAddress');
  if (a === null) return null;
  return joinAddress({
    lines: [textAt(a, 'LineOne'), textAt(a, 'LineTwo'), textAt(a, 'LineThree')],
    postcode: textAt(a, 'PostcodeCode'), city: textAt(a, 'CityName'),
    region: textAt(a, 'CountrySubDivisionName'), country: textAt(a, 'CountryID'),
  });
}

/** A party's tax id: the VAT id (schemeID VA, BT-31 / BT-48) before the local tax number (FC, BT-32). */
function partyTaxId(party: XmlNode | null): string | null {
  const ids = all(party, 'SpecifiedTaxRegistration', 'ID')
    .map((n) => ({ scheme: attr(n, 'schemeID')?.trim().toUpperCase() ?? null, value: normaliseText(text(n)) }))
    .filter((i): i is { scheme: string | null; value: string } => i.value !== null);
  return (ids.find((i) => i.scheme === 'VA') ?? ids.find((i) => i.scheme === 'FC') ?? ids[0])?.value ?? null;
}

/** A tax row (header BG-23 or a line's tax): D16B RateApplicablePercent, ZUGFeRD 1 ApplicablePercent. */
function taxRow(tax: XmlNode): TaxBreakdown {
  return {
    rate: percentValue(textAt(tax, 'RateApplicablePercent') ?? textAt(tax, 'ApplicablePercent')),
    base: normaliseAmount(textAt(tax, 'BasisAmount')),
    amount: normaliseAmount(textAt(tax, 'CalculatedAmount')),
    category: normaliseText(textAt(tax, 'CategoryCode')),
  };
}

function lineItem(line: XmlNode): LineItem {
  const product = first(line, 'SpecifiedTradeProduct');
  const agreement = either(line, 'SpecifiedLineTradeAgreement', 'SpecifiedSupplyChainTradeAgreement');
  const delivery = either(line, 'SpecifiedLineTradeDelivery', 'SpecifiedSupplyChainTradeDelivery');
  const settlement = either(line, 'SpecifiedLineTradeSettlement', 'SpecifiedSupplyChainTradeSettlement');
  const summation = either(settlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation');
  const quantity = first(delivery, 'BilledQuantity');
  const lineTax = first(settlement, 'ApplicableTradeTax');
  return {
    description: normaliseText(textAt(product, 'Name') ?? textAt(product, 'Description')),
    quantity: normaliseQuantity(text(quantity)),
    unit: normaliseText(attr(quantity, 'unitCode')),
    unitPrice: normaliseAmount(textAt(agreement, 'NetPriceProductTradePrice', 'ChargeAmount')),
    amount: normaliseAmount(textAt(summation, 'LineTotalAmount')),
    taxRate: lineTax === null ? null : taxRow(lineTax).rate,
    productCode: normaliseText(firstOf(textAt(product, 'SellerAssignedID'), textAt(product, 'GlobalID'), textAt(product, 'BuyerAssignedID'))),
  };
}

/** Text-only lines (a ZUGFeRD 1 line carrying just a note) state none of the item values: skipped. */
const hasValue = (item: LineItem) => [item.description, item.quantity, item.unitPrice, item.amount].some((v) => v !== null);

/** ZUGFeRD 1 EXTENDED / COMFORT structured early-payment terms (BasisPeriodMeasure in days, CalculationPercent). */
function structuredDiscounts(terms: XmlNode[]): EarlyPaymentDiscount[] {
  return terms.flatMap((t) => all(t, 'ApplicableTradePaymentDiscountTerms')).flatMap((d) => {
    const percent = percentValue(textAt(d, 'CalculationPercent'));
    if (percent === null) return [];
    const period = first(d, 'BasisPeriodMeasure');
    const unit = attr(period, 'unitCode');
    const days = text(period) !== null && (unit === null || unit === 'DAY') && /^\d+$/.test(text(period)!.trim()) ? Number(text(period)) : null;
    return [{ percent, days, amount: normaliseAmount(textAt(d, 'ActualDiscountAmount')) }];
  });
}

export function readCii(root: XmlNode): InvoiceDraft {
  const context = either(root, 'ExchangedDocumentContext', 'SpecifiedExchangedDocumentContext');
  const header = either(root, 'ExchangedDocument', 'HeaderExchangedDocument');
  const tx = either(root, 'SupplyChainTradeTransaction', 'SpecifiedSupplyChainTradeTransaction');
  const agreement = either(tx, 'ApplicableHeaderTradeAgreement', 'ApplicableSupplyChainTradeAgreement');
  const settlement = either(tx, 'ApplicableHeaderTradeSettlement', 'ApplicableSupplyChainTradeSettlement');
  const summation = either(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation');
  const seller = first(agreement, 'SellerTradeParty');
  const buyer = first(agreement, 'BuyerTradeParty');
  const warnings: RecordWarning[] = [];
  const derived = new Set<string>();

  const grandTotal = first(summation, 'GrandTotalAmount');
  const currency = normaliseCurrency(textAt(settlement, 'InvoiceCurrencyCode')) ?? normaliseCurrency(attr(grandTotal, 'currencyID'));
  const taxTotals = all(summation, 'TaxTotalAmount')
    .map((n) => ({ value: text(n), currency: normaliseCurrency(attr(n, 'currencyID')) }))
    .filter((a): a is { value: string; currency: string | null } => a.value !== null);
  const terms = all(settlement, 'SpecifiedTradePaymentTerms');
  const dueDate = terms.flatMap((t) => all(t, 'DueDateDateTime')).map((n) => ciiDate(n)).find((d) => d !== null) ?? null;
  const order = first(agreement, 'BuyerOrderReferencedDocument');
  const means = all(settlement, 'SpecifiedTradeSettlementPaymentMeans').map((m) => ({
    iban: normaliseText(textAt(m, 'PayeePartyCreditorFinancialAccount', 'IBANID')),
    bic: normaliseText(textAt(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID')),
    holder: textAt(m, 'PayeePartyCreditorFinancialAccount', 'AccountName'),
  }));

  return {
    version: normaliseText(textAt(context, 'GuidelineSpecifiedDocumentContextParameter', 'ID')) ?? 'cii',
    documentType: documentTypeOfCode(normaliseText(textAt(header, 'TypeCode'))) ?? 'invoice',
    vendor: { name: normalisePartyName(textAt(seller, 'Name')), address: partyAddress(seller), taxId: checkedTaxId(partyTaxId(seller), 'vendor', warnings) },
    customer: { name: normalisePartyName(textAt(buyer, 'Name')), address: partyAddress(buyer), taxId: checkedTaxId(partyTaxId(buyer), 'customer', warnings) },
    invoiceNumber: normaliseText(textAt(header, 'ID')),
    invoiceDate: ciiDate(first(header, 'IssueDateTime'), true),
    dueDate,
    currency,
    purchaseOrder: normaliseText(textAt(order, 'IssuerAssignedID') ?? textAt(order, 'ID')),
    paymentTerms: paymentTerms(terms.flatMap((t) => all(t, 'Description').map(text)), structuredDiscounts(terms), derived),
    payment: payment(means, textAt(settlement, 'PaymentReference'), warnings),
    subtotal: normaliseAmount(textAt(summation, 'TaxBasisTotalAmount')),
    tax: normaliseAmount(pickTaxTotal(taxTotals, currency)),
    total: normaliseAmount(text(grandTotal)),
    discount: normaliseAmount(textAt(summation, 'AllowanceTotalAmount')),
    shipping: normaliseAmount(textAt(summation, 'ChargeTotalAmount')),
    prepaid: normaliseAmount(textAt(summation, 'TotalPrepaidAmount')),
    amountDue: normaliseAmount(textAt(summation, 'DuePayableAmount')),
    taxBreakdown: breakdownRows(all(settlement, 'ApplicableTradeTax').map(taxRow)),
    lineItems: all(tx, 'IncludedSupplyChainTradeLineItem').map(lineItem).filter(hasValue),
    warnings,
    derived,
  };
}
