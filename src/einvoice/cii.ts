import type { LineItem } from '../core/invoice-record.js';
import { pickTaxTotal, type InvoiceDraft } from './invoice-draft.js';
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
 * Business terms (EN 16931): BT-1 invoice number, BT-2 issue date, BT-9 due date, BT-5 currency,
 * BT-109 subtotal (TaxBasisTotalAmount: lines minus allowances plus charges), BT-110 tax,
 * BT-112 total (GrandTotalAmount), BG-25 lines.
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

/** Seller tax id: the VAT id (schemeID VA, BT-31) before the local tax number (FC, BT-32). */
function partyTaxId(party: XmlNode | null): string | null {
  const ids = all(party, 'SpecifiedTaxRegistration', 'ID')
    .map((n) => ({ scheme: attr(n, 'schemeID')?.trim().toUpperCase() ?? null, value: normaliseText(text(n)) }))
    .filter((i): i is { scheme: string | null; value: string } => i.value !== null);
  return (ids.find((i) => i.scheme === 'VA') ?? ids.find((i) => i.scheme === 'FC') ?? ids[0])?.value ?? null;
}

function lineItem(line: XmlNode): LineItem {
  const product = first(line, 'SpecifiedTradeProduct');
  const agreement = either(line, 'SpecifiedLineTradeAgreement', 'SpecifiedSupplyChainTradeAgreement');
  const delivery = either(line, 'SpecifiedLineTradeDelivery', 'SpecifiedSupplyChainTradeDelivery');
  const settlement = either(line, 'SpecifiedLineTradeSettlement', 'SpecifiedSupplyChainTradeSettlement');
  const summation = either(settlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation');
  return {
    description: normaliseText(textAt(product, 'Name') ?? textAt(product, 'Description')),
    quantity: normaliseQuantity(textAt(delivery, 'BilledQuantity')),
    unitPrice: normaliseAmount(textAt(agreement, 'NetPriceProductTradePrice', 'ChargeAmount')),
    amount: normaliseAmount(textAt(summation, 'LineTotalAmount')),
  };
}

const hasValue = (item: LineItem) => Object.values(item).some((v) => v !== null);

export function readCii(root: XmlNode): InvoiceDraft {
  const context = either(root, 'ExchangedDocumentContext', 'SpecifiedExchangedDocumentContext');
  const header = either(root, 'ExchangedDocument', 'HeaderExchangedDocument');
  const tx = either(root, 'SupplyChainTradeTransaction', 'SpecifiedSupplyChainTradeTransaction');
  const agreement = either(tx, 'ApplicableHeaderTradeAgreement', 'ApplicableSupplyChainTradeAgreement');
  const settlement = either(tx, 'ApplicableHeaderTradeSettlement', 'ApplicableSupplyChainTradeSettlement');
  const summation = either(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation');
  const seller = first(agreement, 'SellerTradeParty');
  const buyer = first(agreement, 'BuyerTradeParty');

  const grandTotal = first(summation, 'GrandTotalAmount');
  const currency = normaliseCurrency(textAt(settlement, 'InvoiceCurrencyCode')) ?? normaliseCurrency(attr(grandTotal, 'currencyID'));
  const taxTotals = all(summation, 'TaxTotalAmount')
    .map((n) => ({ value: text(n), currency: normaliseCurrency(attr(n, 'currencyID')) }))
    .filter((a): a is { value: string; currency: string | null } => a.value !== null);
  const dueDate = all(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime')
    .map((n) => ciiDate(n)).find((d) => d !== null) ?? null;

  return {
    version: normaliseText(textAt(context, 'GuidelineSpecifiedDocumentContextParameter', 'ID')) ?? 'cii',
    vendor: { name: normalisePartyName(textAt(seller, 'Name')), address: partyAddress(seller), taxId: partyTaxId(seller) },
    customer: { name: normalisePartyName(textAt(buyer, 'Name')), address: partyAddress(buyer) },
    invoiceNumber: normaliseText(textAt(header, 'ID')),
    invoiceDate: ciiDate(first(header, 'IssueDateTime'), true),
    dueDate,
    currency,
    subtotal: normaliseAmount(textAt(summation, 'TaxBasisTotalAmount')),
    tax: normaliseAmount(pickTaxTotal(taxTotals, currency)),
    total: normaliseAmount(text(grandTotal)),
    // Text-only lines (a ZUGFeRD 1 line carrying just a note) state none of the four values: skipped.
    lineItems: all(tx, 'IncludedSupplyChainTradeLineItem').map(lineItem).filter(hasValue),
    warnings: [],
  };
}
