import type { EarlyPaymentDiscount, LineItem, RecordWarning, TaxBreakdown } from '../core/invoice-record.js';
import { documentTypeOfCode } from './code-lists.js';
import { breakdownRows, checkedTaxId, paymentTerms, payment, percentValue } from './draft-values.js';
import { firstOf, pickTaxTotal, type InvoiceDraft } from './invoice-draft.js';
import {
  joinAddress, normaliseAmount, normaliseCurrency, normaliseDate, normalisePartyName, normaliseQuantity, normaliseText,
} from './values.js';
import { all, attr, first, text, textAt, type XmlNode } from './xml-read.js';

/**
 * OASIS UBL 2.1 Invoice and CreditNote (EN 16931 UBL syntax binding, XRechnung UBL, Peppol BIS)
 * to an invoice draft. BT-1 cbc:ID, BT-2 cbc:IssueDate, BT-3 InvoiceTypeCode / CreditNoteTypeCode
 * (a CreditNote without a code is a credit note), BT-9 cbc:DueDate (Invoice) or
 * cac:PaymentMeans/cbc:PaymentDueDate (CreditNote), BT-5 cbc:DocumentCurrencyCode, BT-13
 * OrderReference/ID, BT-20 PaymentTerms/Note, BT-48 buyer PartyTaxScheme/CompanyID, BT-83
 * PaymentMeans/PaymentID, BT-84/85/86 PayeeFinancialAccount ID / Name / FinancialInstitutionBranch ID,
 * BG-23 TaxTotal/TaxSubtotal, LegalMonetaryTotal: BT-107 AllowanceTotalAmount, BT-108
 * ChargeTotalAmount, BT-109 TaxExclusiveAmount, BT-112 TaxInclusiveAmount, BT-113 PrepaidAmount,
 * BT-115 PayableAmount; BT-110 TaxTotal/TaxAmount; BG-25 InvoiceLine / CreditNoteLine.
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

/** A party's VAT id (PartyTaxScheme with TaxScheme VAT, BT-31 / BT-48), else any other tax registration (BT-32). */
function partyTaxId(party: XmlNode | null): string | null {
  const schemes = all(party, 'PartyTaxScheme').map((s) => ({
    scheme: textAt(s, 'TaxScheme', 'ID')?.trim().toUpperCase() ?? null,
    value: normaliseText(textAt(s, 'CompanyID')),
  })).filter((s): s is { scheme: string | null; value: string } => s.value !== null);
  return (schemes.find((s) => s.scheme === 'VAT') ?? schemes[0])?.value ?? null;
}

function lineItem(line: XmlNode, quantityName: string): LineItem {
  const item = first(line, 'Item');
  const quantity = first(line, quantityName);
  return {
    description: normaliseText(textAt(item, 'Name') ?? textAt(item, 'Description')),
    quantity: normaliseQuantity(text(quantity)),
    unit: normaliseText(attr(quantity, 'unitCode')),
    unitPrice: normaliseAmount(textAt(line, 'Price', 'PriceAmount')),
    amount: normaliseAmount(textAt(line, 'LineExtensionAmount')),
    taxRate: percentValue(textAt(item, 'ClassifiedTaxCategory', 'Percent')),
    productCode: normaliseText(firstOf(textAt(item, 'SellersItemIdentification', 'ID'), textAt(item, 'StandardItemIdentification', 'ID'), textAt(item, 'BuyersItemIdentification', 'ID'))),
  };
}

function taxRow(sub: XmlNode): TaxBreakdown {
  const category = first(sub, 'TaxCategory');
  return {
    rate: percentValue(textAt(category, 'Percent') ?? textAt(sub, 'Percent')),
    base: normaliseAmount(textAt(sub, 'TaxableAmount')),
    amount: normaliseAmount(textAt(sub, 'TaxAmount')),
    category: normaliseText(textAt(category, 'ID')),
  };
}

/** UBL's structured early-payment terms: PaymentTerms/SettlementDiscountPercent (+ SettlementPeriod DurationMeasure in days). */
function structuredDiscounts(terms: XmlNode[]): EarlyPaymentDiscount[] {
  return terms.flatMap((t) => {
    const percent = percentValue(textAt(t, 'SettlementDiscountPercent'));
    if (percent === null) return [];
    const measure = first(t, 'SettlementPeriod', 'DurationMeasure');
    const days = measure !== null && (attr(measure, 'unitCode') ?? 'DAY') === 'DAY' && /^\d+$/.test(text(measure)?.trim() ?? '') ? Number(text(measure)) : null;
    return [{ percent, days, amount: normaliseAmount(textAt(t, 'SettlementDiscountAmount')) }];
  });
}

export function readUbl(root: XmlNode, kind: 'invoice' | 'credit-note'): InvoiceDraft {
  const seller = first(root, 'AccountingSupplierParty', 'Party');
  const buyer = first(root, 'AccountingCustomerParty', 'Party');
  const totals = first(root, 'LegalMonetaryTotal');
  const warnings: RecordWarning[] = [];
  const derived = new Set<string>();
  const currency = normaliseCurrency(textAt(root, 'DocumentCurrencyCode'))
    ?? normaliseCurrency(attr(first(totals, 'TaxInclusiveAmount'), 'currencyID'));
  const taxTotals = all(root, 'TaxTotal', 'TaxAmount')
    .map((n) => ({ value: text(n), currency: normaliseCurrency(attr(n, 'currencyID')) }))
    .filter((a): a is { value: string; currency: string | null } => a.value !== null);
  // The breakdown of the TaxTotal in the document currency (a second TaxTotal in the accounting currency has none).
  const taxTotal = all(root, 'TaxTotal').find((t) => currency === null || normaliseCurrency(attr(first(t, 'TaxAmount'), 'currencyID')) === currency) ?? first(root, 'TaxTotal');
  const lines = kind === 'invoice'
    ? all(root, 'InvoiceLine').map((l) => lineItem(l, 'InvoicedQuantity'))
    : all(root, 'CreditNoteLine').map((l) => lineItem(l, 'CreditedQuantity'));
  const typeCode = normaliseText(textAt(root, kind === 'invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode'));
  const means = all(root, 'PaymentMeans');
  const terms = all(root, 'PaymentTerms');

  return {
    version: normaliseText(textAt(root, 'CustomizationID') ?? textAt(root, 'ProfileID')) ?? (kind === 'invoice' ? 'ubl-invoice' : 'ubl-credit-note'),
    documentType: documentTypeOfCode(typeCode) ?? (kind === 'credit-note' ? 'credit_note' : 'invoice'),
    vendor: { name: partyName(seller), address: partyAddress(seller), taxId: checkedTaxId(partyTaxId(seller), 'vendor', warnings) },
    customer: { name: partyName(buyer), address: partyAddress(buyer), taxId: checkedTaxId(partyTaxId(buyer), 'customer', warnings) },
    invoiceNumber: normaliseText(textAt(root, 'ID')),
    invoiceDate: normaliseDate(textAt(root, 'IssueDate')),
    dueDate: normaliseDate(textAt(root, 'DueDate') ?? textAt(root, 'PaymentMeans', 'PaymentDueDate')),
    currency,
    purchaseOrder: normaliseText(textAt(root, 'OrderReference', 'ID')),
    paymentTerms: paymentTerms(terms.flatMap((t) => all(t, 'Note').map(text)), structuredDiscounts(terms), derived),
    payment: payment(
      means.map((m) => ({
        iban: normaliseText(textAt(m, 'PayeeFinancialAccount', 'ID')),
        bic: normaliseText(textAt(m, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID')),
        holder: textAt(m, 'PayeeFinancialAccount', 'Name'),
      })),
      firstOf(...means.map((m) => textAt(m, 'PaymentID'))),
      warnings,
    ),
    subtotal: normaliseAmount(textAt(totals, 'TaxExclusiveAmount')),
    tax: normaliseAmount(pickTaxTotal(taxTotals, currency)),
    total: normaliseAmount(textAt(totals, 'TaxInclusiveAmount')),
    discount: normaliseAmount(textAt(totals, 'AllowanceTotalAmount')),
    shipping: normaliseAmount(textAt(totals, 'ChargeTotalAmount')),
    prepaid: normaliseAmount(textAt(totals, 'PrepaidAmount')),
    amountDue: normaliseAmount(textAt(totals, 'PayableAmount')),
    taxBreakdown: breakdownRows(all(taxTotal, 'TaxSubtotal').map(taxRow)),
    lineItems: lines,
    warnings,
    derived,
  };
}
