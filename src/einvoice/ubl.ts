import type { LineItem } from '../core/invoice-record.js';
import { pickTaxTotal, type InvoiceDraft } from './invoice-draft.js';
import {
  joinAddress, normaliseAmount, normaliseCurrency, normaliseDate, normalisePartyName, normaliseQuantity, normaliseText,
} from './values.js';
import { all, attr, first, text, textAt, type XmlNode } from './xml-read.js';

/**
 * OASIS UBL 2.1 Invoice and CreditNote (EN 16931 UBL syntax binding, XRechnung UBL, Peppol BIS)
 * to an invoice draft. BT-1 cbc:ID, BT-2 cbc:IssueDate, BT-9 cbc:DueDate (Invoice) or
 * cac:PaymentMeans/cbc:PaymentDueDate (CreditNote), BT-5 cbc:DocumentCurrencyCode,
 * BT-109 LegalMonetaryTotal/TaxExclusiveAmount, BT-110 TaxTotal/TaxAmount,
 * BT-112 LegalMonetaryTotal/TaxInclusiveAmount, BG-25 InvoiceLine / CreditNoteLine.
 */

/** Seller or buyer name: the legal registration name (BT-27/BT-44), else the trading name (BT-28/BT-45). */
function partyName(party: XmlNode | null): string | null {
  return normalisePartyName(textAt(party, 'PartyLegalEntity', 'RegistrationName') ?? textAt(party, 'PartyName', 'Name'));
}

function partyAddress(party: XmlNode | null): string | null {
  const a = first(party, 'PostalAddress');
  if (a === null) return null;
  return joinAddress({
    lines: [textAt(a, 'StreetName'), textAt(a, 'AdditionalStreetName'), ...all(a, 'AddressLine', 'Line').map(text)],
    postcode: textAt(a, 'PostalZone'), city: textAt(a, 'CityName'),
    region: textAt(a, 'CountrySubentity'), country: textAt(a, 'Country', 'IdentificationCode'),
  });
}

/** Seller VAT id (BT-31: PartyTaxScheme with TaxScheme VAT), else any other tax registration (BT-32). */
function partyTaxId(party: XmlNode | null): string | null {
  const schemes = all(party, 'PartyTaxScheme').map((s) => ({
    scheme: textAt(s, 'TaxScheme', 'ID')?.trim().toUpperCase() ?? null,
    value: normaliseText(textAt(s, 'CompanyID')),
  })).filter((s): s is { scheme: string | null; value: string } => s.value !== null);
  return (schemes.find((s) => s.scheme === 'VAT') ?? schemes[0])?.value ?? null;
}

function lineItem(line: XmlNode, quantityName: string): LineItem {
  const item = first(line, 'Item');
  return {
    description: normaliseText(textAt(item, 'Name') ?? textAt(item, 'Description')),
    quantity: normaliseQuantity(textAt(line, quantityName)),
    unitPrice: normaliseAmount(textAt(line, 'Price', 'PriceAmount')),
    amount: normaliseAmount(textAt(line, 'LineExtensionAmount')),
  };
}

export function readUbl(root: XmlNode, kind: 'invoice' | 'credit-note'): InvoiceDraft {
  const seller = first(root, 'AccountingSupplierParty', 'Party');
  const buyer = first(root, 'AccountingCustomerParty', 'Party');
  const totals = first(root, 'LegalMonetaryTotal');
  const currency = normaliseCurrency(textAt(root, 'DocumentCurrencyCode'))
    ?? normaliseCurrency(attr(first(totals, 'TaxInclusiveAmount'), 'currencyID'));
  const taxTotals = all(root, 'TaxTotal', 'TaxAmount')
    .map((n) => ({ value: text(n), currency: normaliseCurrency(attr(n, 'currencyID')) }))
    .filter((a): a is { value: string; currency: string | null } => a.value !== null);
  const lines = kind === 'invoice'
    ? all(root, 'InvoiceLine').map((l) => lineItem(l, 'InvoicedQuantity'))
    : all(root, 'CreditNoteLine').map((l) => lineItem(l, 'CreditedQuantity'));

  return {
    version: normaliseText(textAt(root, 'CustomizationID') ?? textAt(root, 'ProfileID')) ?? (kind === 'invoice' ? 'ubl-invoice' : 'ubl-credit-note'),
    vendor: { name: partyName(seller), address: partyAddress(seller), taxId: partyTaxId(seller) },
    customer: { name: partyName(buyer), address: partyAddress(buyer) },
    invoiceNumber: normaliseText(textAt(root, 'ID')),
    invoiceDate: normaliseDate(textAt(root, 'IssueDate')),
    dueDate: normaliseDate(textAt(root, 'DueDate') ?? textAt(root, 'PaymentMeans', 'PaymentDueDate')),
    currency,
    subtotal: normaliseAmount(textAt(totals, 'TaxExclusiveAmount')),
    tax: normaliseAmount(pickTaxTotal(taxTotals, currency)),
    total: normaliseAmount(textAt(totals, 'TaxInclusiveAmount')),
    lineItems: lines,
    warnings: [],
  };
}
