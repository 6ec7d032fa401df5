import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TextDecoder } from 'node:util';
import { LedgerlensError } from '../core/errors.js';

/**
 * Safe XML reading for e-invoices. CII and UBL never use a DTD, so any DOCTYPE or ENTITY
 * declaration is refused before parsing: no external entities (XXE) and no entity expansion
 * (billion laughs). Inputs over `maxBytes` are refused unread.
 */

/** Default size limit for one e-invoice XML: real CII/UBL invoices are kilobytes to a few MB. */
export const DEFAULT_MAX_XML_BYTES = 16 * 1024 * 1024;

/** A parsed element: text, or an object of children (local names), `@_attr` and `#text`. */
export type XmlNode = string | { [key: string]: unknown };

export type InvoiceSyntax = 'cii' | 'cii-zugferd1' | 'cii-rc' | 'ubl-invoice' | 'ubl-credit-note';

export interface XmlRoot {
  syntax: InvoiceSyntax;
  localName: string;
  namespace: string | null;
}

const invalid = (message: string, cause?: unknown) => new LedgerlensError('INVALID_EINVOICE', message, cause === undefined ? undefined : { cause });

const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT_NOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

/** Bytes to text: BOM first, then the XML declaration's encoding, else UTF-8. */
export function decodeXml(xml: string | Uint8Array, maxBytes = DEFAULT_MAX_XML_BYTES): string {
  if (typeof xml === 'string') {
    if (xml.length > maxBytes) throw invalid(`XML is larger than ${maxBytes} bytes`);
    return xml.replace(/^\uFEFF/, '');
  }
  if (xml.byteLength > maxBytes) throw invalid(`XML is larger than ${maxBytes} bytes`);
  let encoding = 'utf-8';
  let start = 0;
  if (xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf) start = 3;
  else if (xml[0] === 0xff && xml[1] === 0xfe) { encoding = 'utf-16le'; start = 2; }
  else if (xml[0] === 0xfe && xml[1] === 0xff) { encoding = 'utf-16be'; start = 2; }
  else {
    const head = new TextDecoder('latin1').decode(xml.subarray(0, 200));
    const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
    if (declared) encoding = declared.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch (err) {
    throw invalid(`unsupported XML encoding ${encoding}`, err);
  }
  return decoder.decode(xml.subarray(start));
}

/**
 * Reads the root element's name and namespace from the text (prolog, comments and processing
 * instructions skipped) and decides the invoice syntax, without parsing the document.
 * Throws INVALID_EINVOICE for a DTD, a non-XML text, or a root that is no CII/UBL invoice.
 */
export function detectRoot(text: string): XmlRoot {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) break;
      i = end + 3;
    } else break;
  }
  if (text.startsWith('<!', i)) throw invalid('XML with a DTD or entity declarations is refused');
  const tag = /^<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:\s+[^\s=<>/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*\/?>/.exec(text.slice(i, i + 20000));
  if (!tag) throw invalid('not an XML document');
  const prefix = tag[2] === undefined ? null : tag[1]!;
  const localName = tag[2] ?? tag[1]!;
  const xmlnsName = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
  let namespace: string | null = null;
  for (const m of (tag[3] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] === xmlnsName) namespace = (m[2] ?? m[3] ?? '').trim();
  }
  const syntax = syntaxOf(localName, namespace);
  if (!syntax) throw invalid(`root element ${localName}${namespace ? ` (${namespace})` : ''} is not a CII or UBL invoice`);
  return { syntax, localName, namespace };
}

function syntaxOf(localName: string, namespace: string | null): InvoiceSyntax | null {
  const ns = namespace ?? '';
  if (localName === 'CrossIndustryInvoice' && /CrossIndustryInvoice/.test(ns)) return 'cii';
  if (localName === 'CrossIndustryDocument' && /CrossIndustryDocument/.test(ns)) return 'cii-zugferd1';
  // The ZUGFeRD 1.0 release-candidate draft: CII content under an `Invoice` root (UN/CEFACT CBFBUY).
  if (localName === 'Invoice' && /^urn:un:unece:uncefact:data:standard:CBFBUY:/.test(ns)) return 'cii-rc';
  if (localName === 'Invoice' && ns === UBL_INVOICE_NS) return 'ubl-invoice';
  if (localName === 'CreditNote' && ns === UBL_CREDIT_NOTE_NS) return 'ubl-credit-note';
  return null;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML 1.0 entity decoding in one pass: the five predefined entities and character references
 * (`&#252;`, `&#xFC;`). No other entity exists in a document without a DTD; an unknown reference is
 * kept as written. One pass means `&amp;#252;` decodes to the text `&#252;`, not to `ü`.
 */
const entityDecoder = {
  decode(value: string): string {
    if (!value.includes('&')) return value;
    return value.replace(/&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]+));/g, (whole, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) return PREDEFINED[name] ?? whole;
      const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
        || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      return allowed ? String.fromCodePoint(code) : whole;
    });
  },
  setExternalEntities(): void {},
  addInputEntities(entities: Record<string, string>): void {
    if (Object.keys(entities).length > 0) throw invalid('XML with entity declarations is refused');
  },
  reset(): void {},
  setXmlVersion(): void {},
};

const parser = new XMLParser({
  entityDecoder,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/** Parses a CII/UBL invoice document: its syntax and its root element (namespace prefixes removed). */
export function parseXmlDocument(xml: string | Uint8Array, maxBytes = DEFAULT_MAX_XML_BYTES): { root: XmlRoot; element: XmlNode } {
  const text = decodeXml(xml, maxBytes);
  const root = detectRoot(text);
  // A DTD anywhere outside comments and CDATA sections (detectRoot refused one before the root).
  if (/<!(?:DOCTYPE|ENTITY)/i.test(text) && /<!(?:DOCTYPE|ENTITY)/i.test(text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, ''))) {
    throw invalid('XML with a DTD or entity declarations is refused');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw invalid(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw invalid('malformed XML', err);
  }
  const element = doc[root.localName];
  if (element === undefined || Array.isArray(element)) throw invalid('malformed XML: no single root element');
  return { root, element: element as XmlNode };
}

// ---- navigation over parsed elements (local names) ----

/** All children of `node` named `name`, in document order. */
export function children(node: unknown, name: string): XmlNode[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as XmlNode[];
}

/** Elements reached by a path of local names (every match at every step). */
export function all(node: unknown, ...path: string[]): XmlNode[] {
  let current: unknown[] = [node];
  for (const step of path) current = current.flatMap((n) => children(n, step));
  return current as XmlNode[];
}

/** The first element reached by a path, or null. */
export function first(node: unknown, ...path: string[]): XmlNode | null {
  return all(node, ...path)[0] ?? null;
}

/** An element's text content (null when absent or empty). */
export function text(node: unknown): string | null {
  if (node === null || node === undefined) return null;
  if (typeof node === 'string') return node === '' ? null : node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && !Array.isArray(node)) {
    const t = (node as Record<string, unknown>)['#text'];
    if (t === undefined || t === null || t === '') return null;
    return String(t);
  }
  return null;
}

/** An element's attribute value, or null. */
export function attr(node: unknown, name: string): string | null {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const v = (node as Record<string, unknown>)[`@_${name}`];
  return v === undefined || v === null ? null : String(v);
}

/** Text at a path, or null. */
export function textAt(node: unknown, ...path: string[]): string | null {
  for (const n of all(node, ...path)) {
    const t = text(n);
    if (t !== null) return t;
  }
  return null;
}
