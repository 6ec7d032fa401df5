import type { InvoiceRecord, LineItem } from '../core/invoice-record.js';
import { parsePaymentTerms } from '../extract/record/payment-terms.js';
import { TYPE_CODE_OF, unitCodeOf } from './code-lists.js';
import {
  incomplete, isVatId, lineTaxCategory, lineTotal, missingFields, payableAmount, splitAddress, taxCategory, type EinvoiceOutput,
} from './write-common.js';
import { el, leaf, required, serialise, withAttrs, type XmlElement } from './xml-write.js';

/**
 * Any record as a UBL 2.1 Invoice, or CreditNote for a credit note, in the Peppol BIS Billing 3.0
 * shape (its CustomizationID and ProfileID, its choice and order of elements). Valid against the
 * OASIS UBL 2.1 XSDs; the EN 16931 / Peppol business rules need data a record may not carry
 * (electronic addresses, country codes, unit codes), and those parts are then absent.
 * Required (else INCOMPLETE_RECORD listing what is missing): invoiceNumber, invoiceDate, currency
 * (every UBL amount states its currency), vendor.name, total, and at least one line item, each
 * with an amount (BT-131).
 */

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS = {
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

function party(name: string | null, address: string | null, taxId: string | null): XmlElement {
  const { line, country } = splitAddress(address);
  return required('cac:Party',
    el('cac:PostalAddress',
      el('cac:AddressLine', leaf('cbc:Line', line)),
      el('cac:Country', leaf('cbc:IdentificationCode', country))),
    taxId !== null && el('cac:PartyTaxScheme',
      leaf('cbc:CompanyID', taxId),
      el('cac:TaxScheme', leaf('cbc:ID', isVatId(taxId) ? 'VAT' : 'FC'))),
    el('cac:PartyLegalEntity', leaf('cbc:RegistrationName', name)));
}

function line(record: InvoiceRecord, item: LineItem, index: number, currency: string, credit: boolean): XmlElement {
  const unitCode = unitCodeOf(item.unit);
  const cur = { currencyID: currency };
  return el(credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine',
    leaf('cbc:ID', index + 1),
    leaf(credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', item.quantity, { unitCode }),
    leaf('cbc:LineExtensionAmount', item.amount, cur),
    required('cac:Item',
      leaf('cbc:Name', item.description),
      el('cac:SellersItemIdentification', leaf('cbc:ID', item.productCode)),
      el('cac:ClassifiedTaxCategory',
        leaf('cbc:ID', lineTaxCategory(record, item)),
        leaf('cbc:Percent', item.taxRate),
        item.taxRate !== null && el('cac:TaxScheme', leaf('cbc:ID', 'VAT')))),
    el('cac:Price', leaf('cbc:PriceAmount', item.unitPrice, cur)))!;
}

/** The record as UBL 2.1 (Invoice, or CreditNote when documentType is credit_note). */
export function writeUbl(record: InvoiceRecord): EinvoiceOutput {
  const credit = record.documentType === 'credit_note';
  const format = credit ? 'UBL CreditNote' : 'UBL Invoice';
  const missing = missingFields(record, [
    ['invoiceNumber', record.invoiceNumber], ['invoiceDate', record.invoiceDate], ['currency', record.currency],
    ['vendor.name', record.vendor.name], ['total', record.total], ['lineItems', record.lineItems],
  ]);
  record.lineItems.forEach((item, i) => { if (item.amount === null) missing.push(`lineItems.${i}.amount`); });
  if (missing.length > 0) throw incomplete(format, missing);
  const currency = record.currency!;
  const cur = { currencyID: currency };
  const omitted: string[] = [];
  // UBL carries the terms as text (BT-20): days and discounts the text does not state are not written.
  const fromText = parsePaymentTerms(record.paymentTerms.text);
  if (fromText.netDays !== record.paymentTerms.netDays) omitted.push('paymentTerms.netDays');
  if (JSON.stringify(fromText.discounts) !== JSON.stringify(record.paymentTerms.discounts)) omitted.push('paymentTerms.discounts');
  if (record.taxBreakdown.some((r) => r.amount === null)) omitted.push('taxBreakdown');

  const means = Object.values(record.payment).some((v) => v !== null) || (credit && record.dueDate !== null);
  const root = required(credit ? 'CreditNote' : 'Invoice',
    leaf('cbc:CustomizationID', PEPPOL_CUSTOMIZATION_ID),
    leaf('cbc:ProfileID', PEPPOL_PROFILE_ID),
    leaf('cbc:ID', record.invoiceNumber),
    leaf('cbc:IssueDate', record.invoiceDate),
    !credit && leaf('cbc:DueDate', record.dueDate),
    leaf(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', record.documentType === null ? null : TYPE_CODE_OF[record.documentType]),
    leaf('cbc:DocumentCurrencyCode', currency),
    el('cac:OrderReference', leaf('cbc:ID', record.purchaseOrder)),
    required('cac:AccountingSupplierParty', party(record.vendor.name, record.vendor.address, record.vendor.taxId)),
    required('cac:AccountingCustomerParty', party(record.customer.name, record.customer.address, record.customer.taxId)),
    // 30 = credit transfer when an account is given; 1 = "instrument not defined" otherwise (UNCL4461).
    means && el('cac:PaymentMeans',
      leaf('cbc:PaymentMeansCode', record.payment.iban !== null ? '30' : '1'),
      credit && leaf('cbc:PaymentDueDate', record.dueDate),
      leaf('cbc:PaymentID', record.payment.reference),
      el('cac:PayeeFinancialAccount',
        leaf('cbc:ID', record.payment.iban),
        leaf('cbc:Name', record.payment.accountHolder),
        el('cac:FinancialInstitutionBranch', leaf('cbc:ID', record.payment.bic)))),
    el('cac:PaymentTerms', leaf('cbc:Note', record.paymentTerms.text)),
    record.discount !== null && el('cac:AllowanceCharge', leaf('cbc:ChargeIndicator', 'false'), leaf('cbc:AllowanceChargeReasonCode', '95'), leaf('cbc:Amount', record.discount, cur)),
    record.shipping !== null && el('cac:AllowanceCharge', leaf('cbc:ChargeIndicator', 'true'), leaf('cbc:AllowanceChargeReasonCode', 'FC'), leaf('cbc:Amount', record.shipping, cur)),
    record.tax !== null && el('cac:TaxTotal',
      leaf('cbc:TaxAmount', record.tax, cur),
      record.taxBreakdown.filter((r) => r.amount !== null).map((r) => el('cac:TaxSubtotal',
        leaf('cbc:TaxableAmount', r.base, cur),
        leaf('cbc:TaxAmount', r.amount, cur),
        required('cac:TaxCategory',
          leaf('cbc:ID', taxCategory(r.rate, r.category)),
          leaf('cbc:Percent', r.rate),
          el('cac:TaxScheme', leaf('cbc:ID', 'VAT')))))),
    el('cac:LegalMonetaryTotal',
      leaf('cbc:LineExtensionAmount', lineTotal(record.lineItems), cur),
      leaf('cbc:TaxExclusiveAmount', record.subtotal, cur),
      leaf('cbc:TaxInclusiveAmount', record.total, cur),
      leaf('cbc:AllowanceTotalAmount', record.discount, cur),
      leaf('cbc:ChargeTotalAmount', record.shipping, cur),
      leaf('cbc:PrepaidAmount', record.prepaid, cur),
      leaf('cbc:PayableAmount', payableAmount(record), cur)),
    record.lineItems.map((item, i) => line(record, item, i, currency, credit)));
  if (record.tax === null && record.taxBreakdown.length > 0) omitted.push('taxBreakdown');
  const xml = serialise(withAttrs(root, {
    xmlns: `urn:oasis:names:specification:ubl:schema:xsd:${credit ? 'CreditNote' : 'Invoice'}-2`, 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc,
  }));
  return { xml, syntax: credit ? 'ubl-credit-note' : 'ubl-invoice', profile: PEPPOL_CUSTOMIZATION_ID, omitted: [...new Set(omitted)] };
}
