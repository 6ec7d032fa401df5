import type { DocumentSource, MediaType } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import {
  emptyRecord, getField, LINE_ITEM_COLUMNS, RECORD_FIELDS, TAX_BREAKDOWN_COLUMNS, type InvoiceRecord,
} from '../core/invoice-record.js';
import { arithmeticWarnings } from '../core/record-checks.js';
import { readCii } from './cii.js';
import type { InvoiceDraft } from './invoice-draft.js';
import { listPdfAttachments, type PdfAttachment } from './pdf-attachments.js';
import { readUbl } from './ubl.js';
import { DEFAULT_MAX_XML_BYTES, decodeXml, detectRoot, parseXmlDocument } from './xml-read.js';

/**
 * The e-invoice fast path: a record read straight from CII or UBL XML, uploaded as such or
 * embedded in a PDF (Factur-X, ZUGFeRD 1/2, XRechnung). Every value comes from the XML, so every
 * field found has confidence 1 and method 'embedded-xml' (days and discounts parsed out of the
 * payment-terms text: 0.9, 'derived'); a field the XML does not state is null. Amounts keep the
 * XML's signs: in EN 16931 the sign is meaningful (a credit note with positive amounts credits),
 * so the text path's rule for printed minus signs on credit notes does not apply here.
 */

export const EMBEDDED_MODEL_NAME = 'embedded-xml';

/** Attachment names the standards prescribe, in order of preference. */
const KNOWN_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

export interface EinvoiceOptions {
  /** Refuse XML larger than this (default 16 MiB). */
  maxXmlBytes?: number;
  /** A PDF's attachments, already listed from the caller's open document (a stage opens each PDF once). */
  attachments?: PdfAttachment[];
}

/** Parses CII (ZUGFeRD 1, ZUGFeRD 2 / Factur-X / XRechnung) or UBL 2.1 Invoice/CreditNote XML. */
export function parseInvoiceXml(xml: string | Uint8Array, source: DocumentSource, options: EinvoiceOptions = {}): InvoiceRecord {
  const { root, element } = parseXmlDocument(xml, options.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES);
  if (typeof element !== 'object') throw new LedgerlensError('INVALID_EINVOICE', `the ${root.localName} element is empty`);
  const draft = root.syntax === 'ubl-invoice' ? readUbl(element, 'invoice')
    : root.syntax === 'ubl-credit-note' ? readUbl(element, 'credit-note')
      : readCii(element);
  return toRecord(draft, source);
}

/** Field paths of the record values a draft states, for the `fields` map. */
function statedPaths(record: InvoiceRecord): string[] {
  const paths: string[] = RECORD_FIELDS.filter((f) => getField(record, f) !== null);
  if (record.paymentTerms.discounts.length > 0) paths.push('paymentTerms.discounts');
  record.lineItems.forEach((item, i) => {
    for (const c of LINE_ITEM_COLUMNS) if (item[c] !== null) paths.push(`lineItems.${i}.${c}`);
  });
  record.taxBreakdown.forEach((row, i) => {
    for (const c of TAX_BREAKDOWN_COLUMNS) if (row[c] !== null) paths.push(`taxBreakdown.${i}.${c}`);
  });
  return paths;
}

function toRecord(draft: InvoiceDraft, source: DocumentSource): InvoiceRecord {
  const { version, warnings, derived, ...values } = draft;
  const record: InvoiceRecord = { ...emptyRecord(source, { name: EMBEDDED_MODEL_NAME, version }), ...values };
  const info = { confidence: 1, review: false, method: 'embedded-xml', provenance: null } as const;
  // Values parsed out of an XML text (the days in "Zahlbar innerhalb 30 Tagen netto") are derived.
  const parsed = { confidence: 0.9, review: false, method: 'derived', provenance: null } as const;
  for (const path of statedPaths(record)) record.fields[path] = { ...(derived.has(path) ? parsed : info) };
  if (record.lineItems.length > 0) record.fields['lineItems'] = { ...info };
  if (record.taxBreakdown.length > 0) record.fields['taxBreakdown'] = { ...info };
  // The XML's own arithmetic (EN 16931 BR-CO-10..16): a mismatch is reported, never fixed.
  record.warnings = [...warnings, ...arithmeticWarnings(record).map(({ code, message }) => ({ code, message: `${message} in the XML` }))];
  return record;
}

/** True when the bytes are XML whose root is a CII or UBL invoice (the document is not parsed). */
export function isInvoiceXml(xml: string | Uint8Array, maxXmlBytes = DEFAULT_MAX_XML_BYTES): boolean {
  try {
    detectRoot(decodeXml(xml, maxXmlBytes));
    return true;
  } catch (err) {
    if (err instanceof LedgerlensError && err.code === 'INVALID_EINVOICE') return false;
    throw err;
  }
}

/**
 * The invoice XML embedded in a PDF: an attachment with a standard name (factur-x.xml,
 * zugferd-invoice.xml / ZUGFeRD-invoice.xml, xrechnung.xml, case-insensitive) first, then any
 * other .xml attachment, in each case only one whose root is a CII or UBL invoice. Null when none.
 * Throws ENCRYPTED_DOCUMENT or CORRUPT_DOCUMENT for PDFs that pdfjs cannot open.
 */
export async function findEmbeddedInvoiceXml(pdfBytes: Uint8Array, options: EinvoiceOptions = {}): Promise<{ name: string; xml: Uint8Array } | null> {
  const maxXmlBytes = options.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES;
  const attachments = (options.attachments ?? await listPdfAttachments(pdfBytes))
    .filter((a) => /\.xml$/i.test(a.name) && a.content.byteLength <= maxXmlBytes);
  const rank = (name: string) => {
    const i = KNOWN_NAMES.indexOf(name.toLowerCase());
    return i < 0 ? KNOWN_NAMES.length : i;
  };
  const ordered = attachments.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a.name) - rank(y.a.name) || x.i - y.i);
  for (const { a } of ordered) {
    if (isInvoiceXml(a.content, maxXmlBytes)) return { name: a.name, xml: a.content };
  }
  return null;
}

/**
 * The fast path for one uploaded file: XML is parsed as an invoice (INVALID_EINVOICE when it is
 * none); a PDF yields the record of its embedded invoice XML, or null when it carries none.
 * Other media types have no embedded invoice: null.
 */
export async function readEmbeddedInvoice(bytes: Uint8Array, mediaType: MediaType, source: DocumentSource, options: EinvoiceOptions = {}): Promise<InvoiceRecord | null> {
  if (mediaType === 'application/xml') return parseInvoiceXml(bytes, source, options);
  if (mediaType !== 'application/pdf') return null;
  const embedded = await findEmbeddedInvoiceXml(bytes, options);
  if (!embedded) return null;
  return parseInvoiceXml(embedded.xml, source, options);
}
