#!/usr/bin/env python3
"""An independent reading of the version-2 record fields from CII / UBL invoice XML.

The second implementation the e-invoice check compares the fast path with (bench/einvoices.check.ts,
src/einvoice/dev-check.ts): Python's ElementTree instead of fast-xml-parser, paths written from the
EN 16931 syntax bindings rather than from the TypeScript mapping. Usage:

    python3 bench/einvoice_reference.py FILE.xml...   ->  one JSON object per file, keyed by file name

Values are normalised as the record states them: amounts with at least two decimals, quantities and
percentages without trailing zeros, text with whitespace collapsed. Payee accounts (IBAN, BIC, holder)
are reported as stated: the check applies the project's validators (ibantools) to them, so that the
comparison tests the reading, not a second implementation of national IBAN check digits.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET


def local(tag):
    return tag.rsplit('}', 1)[-1]


def kids(node, name):
    if node is None:
        return []
    return [c for c in node if local(c.tag) == name]


def path(node, *names):
    nodes = [node] if node is not None else []
    for n in names:
        nodes = [c for x in nodes for c in kids(x, n)]
    return nodes


def one(node, *names):
    found = path(node, *names)
    return found[0] if found else None


def text(node):
    if node is None or node.text is None:
        return None
    t = ' '.join(node.text.split())
    return t or None


def text_at(node, *names):
    for n in path(node, *names):
        t = text(n)
        if t is not None:
            return t
    return None


def decimal(raw, min_frac):
    if raw is None:
        return None
    m = re.fullmatch(r'([+-]?)(\d*)(?:\.(\d*))?', raw.strip())
    if not m or (m.group(2) == '' and not m.group(3)):
        return None
    sign, i, f = m.group(1), (m.group(2).lstrip('0') or '0'), (m.group(3) or '').rstrip('0')
    f = f.ljust(min_frac, '0')
    zero = i == '0' and set(f) <= {'0'}
    return ('-' if sign == '-' and not zero else '') + i + ('.' + f if f else '')


amount = lambda raw: decimal(raw, 2)
plain = lambda raw: decimal(raw, 0)


def drop_empty(rows, keys):
    return [r for r in rows if any(r[k] is not None for k in keys)]


def cii(root):
    either = lambda node, *names: next((one(node, n) for n in names if one(node, n) is not None), None)
    header = either(root, 'ExchangedDocument', 'HeaderExchangedDocument')
    tx = either(root, 'SupplyChainTradeTransaction', 'SpecifiedSupplyChainTradeTransaction')
    agreement = either(tx, 'ApplicableHeaderTradeAgreement', 'ApplicableSupplyChainTradeAgreement')
    settlement = either(tx, 'ApplicableHeaderTradeSettlement', 'ApplicableSupplyChainTradeSettlement')
    summation = either(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation')
    buyer = one(agreement, 'BuyerTradeParty')
    regs = [(n.get('schemeID', '').strip().upper(), text(n)) for n in path(buyer, 'SpecifiedTaxRegistration', 'ID') if text(n)]
    tax_id = next((v for s, v in regs if s == 'VA'), None) or next((v for s, v in regs if s == 'FC'), None) or (regs[0][1] if regs else None)
    order = one(agreement, 'BuyerOrderReferencedDocument')
    accounts = [{'iban': text_at(m, 'PayeePartyCreditorFinancialAccount', 'IBANID'),
                 'bic': text_at(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
                 'holder': text_at(m, 'PayeePartyCreditorFinancialAccount', 'AccountName')}
                for m in kids(settlement, 'SpecifiedTradeSettlementPaymentMeans')]
    terms = [text(d) for t in kids(settlement, 'SpecifiedTradePaymentTerms') for d in kids(t, 'Description')]
    rate = lambda tax: plain(text_at(tax, 'RateApplicablePercent') or text_at(tax, 'ApplicablePercent'))
    breakdown = drop_empty([{'rate': rate(t), 'base': amount(text_at(t, 'BasisAmount')), 'amount': amount(text_at(t, 'CalculatedAmount')),
                             'category': text_at(t, 'CategoryCode')} for t in kids(settlement, 'ApplicableTradeTax')],
                           ['rate', 'base', 'amount', 'category'])
    items = []
    for line in kids(tx, 'IncludedSupplyChainTradeLineItem'):
        product = one(line, 'SpecifiedTradeProduct')
        agr = either(line, 'SpecifiedLineTradeAgreement', 'SpecifiedSupplyChainTradeAgreement')
        dlv = either(line, 'SpecifiedLineTradeDelivery', 'SpecifiedSupplyChainTradeDelivery')
        stl = either(line, 'SpecifiedLineTradeSettlement', 'SpecifiedSupplyChainTradeSettlement')
        qty = one(dlv, 'BilledQuantity')
        tax = one(stl, 'ApplicableTradeTax')
        item = {
            'description': text_at(product, 'Name') or text_at(product, 'Description'),
            'quantity': plain(text(qty)),
            'unit': (qty.get('unitCode') or '').strip() or None if qty is not None else None,
            'unitPrice': amount(text_at(agr, 'NetPriceProductTradePrice', 'ChargeAmount')),
            'amount': amount(text_at(either(stl, 'SpecifiedTradeSettlementLineMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation'), 'LineTotalAmount')),
            'taxRate': rate(tax) if tax is not None else None,
            'productCode': text_at(product, 'SellerAssignedID') or text_at(product, 'GlobalID') or text_at(product, 'BuyerAssignedID'),
        }
        if any(item[k] is not None for k in ('description', 'quantity', 'unitPrice', 'amount')):
            items.append(item)
    return {
        'typeCode': text_at(header, 'TypeCode'),
        'purchaseOrder': text_at(order, 'IssuerAssignedID') or text_at(order, 'ID'),
        'customer.taxId': tax_id,
        'accounts': accounts,
        'payment.reference': text_at(settlement, 'PaymentReference'),
        'paymentTerms.text': ' '.join(t for t in terms if t) or None,
        'discount': amount(text_at(summation, 'AllowanceTotalAmount')),
        'shipping': amount(text_at(summation, 'ChargeTotalAmount')),
        'prepaid': amount(text_at(summation, 'TotalPrepaidAmount')),
        'amountDue': amount(text_at(summation, 'DuePayableAmount')),
        'taxBreakdown': breakdown,
        'lineItems': items,
    }


def ubl(root, kind):
    buyer = one(root, 'AccountingCustomerParty', 'Party')
    schemes = [(text_at(s, 'TaxScheme', 'ID') or '').upper() for s in kids(buyer, 'PartyTaxScheme')]
    ids = [text_at(s, 'CompanyID') for s in kids(buyer, 'PartyTaxScheme')]
    pairs = [(s, v) for s, v in zip(schemes, ids) if v]
    tax_id = next((v for s, v in pairs if s == 'VAT'), None) or (pairs[0][1] if pairs else None)
    means = kids(root, 'PaymentMeans')
    accounts = [{'iban': text_at(m, 'PayeeFinancialAccount', 'ID'), 'bic': text_at(m, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID'),
                 'holder': text_at(m, 'PayeeFinancialAccount', 'Name')} for m in means]
    currency = text_at(root, 'DocumentCurrencyCode')
    totals = one(root, 'LegalMonetaryTotal')
    tax_totals = kids(root, 'TaxTotal')
    tax_total = next((t for t in tax_totals if currency is None or (one(t, 'TaxAmount') is not None and one(t, 'TaxAmount').get('currencyID') == currency)), tax_totals[0] if tax_totals else None)
    breakdown = drop_empty([{'rate': plain(text_at(s, 'TaxCategory', 'Percent') or text_at(s, 'Percent')), 'base': amount(text_at(s, 'TaxableAmount')),
                             'amount': amount(text_at(s, 'TaxAmount')), 'category': text_at(s, 'TaxCategory', 'ID')} for s in kids(tax_total, 'TaxSubtotal')],
                           ['rate', 'base', 'amount', 'category'])
    line_tag, qty_tag = ('InvoiceLine', 'InvoicedQuantity') if kind == 'Invoice' else ('CreditNoteLine', 'CreditedQuantity')
    items = []
    for line in kids(root, line_tag):
        item = one(line, 'Item')
        qty = one(line, qty_tag)
        items.append({
            'description': text_at(item, 'Name') or text_at(item, 'Description'),
            'quantity': plain(text(qty)),
            'unit': (qty.get('unitCode') or '').strip() or None if qty is not None else None,
            'unitPrice': amount(text_at(line, 'Price', 'PriceAmount')),
            'amount': amount(text_at(line, 'LineExtensionAmount')),
            'taxRate': plain(text_at(item, 'ClassifiedTaxCategory', 'Percent')),
            'productCode': text_at(item, 'SellersItemIdentification', 'ID') or text_at(item, 'StandardItemIdentification', 'ID') or text_at(item, 'BuyersItemIdentification', 'ID'),
        })
    return {
        'typeCode': text_at(root, 'InvoiceTypeCode' if kind == 'Invoice' else 'CreditNoteTypeCode') or ('381' if kind == 'CreditNote' else None),
        'purchaseOrder': text_at(root, 'OrderReference', 'ID'),
        'customer.taxId': tax_id,
        'accounts': accounts,
        'payment.reference': next((text_at(m, 'PaymentID') for m in means if text_at(m, 'PaymentID')), None),
        'paymentTerms.text': ' '.join(t for t in (text(n) for p in kids(root, 'PaymentTerms') for n in kids(p, 'Note')) if t) or None,
        'discount': amount(text_at(totals, 'AllowanceTotalAmount')),
        'shipping': amount(text_at(totals, 'ChargeTotalAmount')),
        'prepaid': amount(text_at(totals, 'PrepaidAmount')),
        'amountDue': amount(text_at(totals, 'PayableAmount')),
        'taxBreakdown': breakdown,
        'lineItems': items,
    }


def read(file):
    root = ET.parse(file).getroot()
    name = local(root.tag)
    if name in ('Invoice', 'CreditNote') and root.tag.startswith('{urn:oasis:names:specification:ubl:schema:xsd:'):
        return ubl(root, name)
    return cii(root)


if __name__ == '__main__':
    print(json.dumps({f.rsplit('/', 1)[-1]: read(f) for f in sys.argv[1:]}, ensure_ascii=False))
