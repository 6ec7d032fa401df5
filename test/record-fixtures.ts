import type { DocumentText } from '../src/core/document-text.js';
import { emptyRecord, type InvoiceRecord } from '../src/core/invoice-record.js';
import { completeRecord } from '../src/extract/record/complete-record.js';

/** Version-2 records for the writer and record tests (values chosen so that every check holds). */

const SOURCE = { file: 'fixture.pdf', sha256: 'b'.repeat(64), mediaType: 'application/pdf' as const, bytes: 1, pages: 1 };

/** An invoice stating every version-2 field: two rates, a discount, shipping, a prepayment. */
export function fullRecord(over: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return {
    ...emptyRecord(SOURCE, { name: 'fixture', version: '1' }),
    documentType: 'invoice',
    vendor: { name: 'Nordlicht Bürobedarf GmbH & Co. KG', address: 'Hafenstraße 7, 20457 Hamburg, DE', taxId: 'DE136695976' },
    customer: { name: 'Kanzlei <Weber> & Partner', address: 'Lindenallee 3, 50667 Köln, DE', taxId: 'FR32123456789' },
    invoiceNumber: 'RE-2024/0815', invoiceDate: '2024-02-29', dueDate: '2024-03-30', currency: 'EUR',
    purchaseOrder: 'PO-4711',
    paymentTerms: { text: 'Zahlbar innerhalb 30 Tagen netto, 2% Skonto innerhalb 10 Tagen', netDays: 30, discounts: [{ percent: '2', days: 10, amount: null }] },
    payment: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountHolder: 'Nordlicht Bürobedarf GmbH & Co. KG', reference: 'RE-2024/0815' },
    // items 300.00 - discount 10.00 + shipping 5.00 = 295.00; tax 19% of 195.00 = 37.05, 7% of 100.00 = 7.00
    lineItems: [
      { description: 'Kopierpapier A4 <80g>', quantity: '20', unit: 'Stk', unitPrice: '5.00', amount: '100.00', taxRate: '19', productCode: 'KP-80' },
      { description: 'Toner schwarz', quantity: '1.5', unit: 'C62', unitPrice: '66.666', amount: '100.00', taxRate: '19', productCode: null },
      { description: 'Fachbuch Steuerrecht', quantity: '2', unit: null, unitPrice: '50.00', amount: '100.00', taxRate: '7', productCode: '978-3-16-148410-0' },
    ],
    discount: '10.00', shipping: '5.00',
    subtotal: '295.00',
    taxBreakdown: [
      { rate: '19', base: '195.00', amount: '37.05', category: 'S' },
      { rate: '7', base: '100.00', amount: '7.00', category: 'S' },
    ],
    tax: '44.05', total: '339.05', prepaid: '39.05', amountDue: '300.00',
    ...over,
  };
}

/** A credit note as the convention states it: positive amounts, documentType credit_note. */
export function creditNoteRecord(): InvoiceRecord {
  return fullRecord({
    documentType: 'credit_note', invoiceNumber: 'GS-2024-0001', dueDate: null, purchaseOrder: null,
    paymentTerms: { text: null, netDays: null, discounts: [] }, payment: { iban: null, bic: null, accountHolder: null, reference: null },
    lineItems: [{ description: 'Gutschrift Rücksendung', quantity: '2', unit: 'H87', unitPrice: '50.00', amount: '100.00', taxRate: '19', productCode: null }],
    discount: null, shipping: null, subtotal: '100.00',
    taxBreakdown: [{ rate: '19', base: '100.00', amount: '19.00', category: 'S' }],
    tax: '19.00', total: '119.00', prepaid: null, amountDue: '119.00',
  });
}

/** What a scan often yields: header totals, no items, no breakdown, no customer. */
export function receiptRecord(): InvoiceRecord {
  return {
    ...emptyRecord(SOURCE, { name: 'fixture', version: '1' }),
    documentType: 'receipt',
    vendor: { name: 'Kedai Runcit Sdn Bhd', address: 'Jalan Ampang 12, 50450 Kuala Lumpur', taxId: null },
    invoiceNumber: 'T-0042', invoiceDate: '2024-05-01', currency: 'MYR',
    subtotal: '10.00', tax: '0.60', total: '10.60',
  };
}

/** An empty record with `over` set: what the core extractor hands the version-2 finders. */
export const coreRecord = (over: Partial<InvoiceRecord> = {}): InvoiceRecord => ({
  ...emptyRecord({ file: 'f.pdf', sha256: 'a'.repeat(64), mediaType: 'application/pdf', bytes: 1, pages: 1 }, { name: 't', version: '1' }),
  ...over,
});

/** The version-2 finders on `doc`, over a core record with `over` set (review threshold 0.9). */
export const completeOn = (doc: DocumentText, over: Partial<InvoiceRecord> = {}): InvoiceRecord => completeRecord(doc, coreRecord(over), { reviewThreshold: 0.9 });
