/**
 * A small XML writer for the e-invoice syntaxes: elements built as data, serialised with escaping.
 * An element without text, children or the `keep` flag is dropped, so a value the record does not
 * have leaves no empty element behind (fields the record lacks are left out, never invented).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string | null;
  keep: boolean;
}

type Child = XmlElement | null | undefined | false | Child[];

const flat = (children: Child[]): XmlElement[] => children.flatMap((c) => (Array.isArray(c) ? flat(c) : c ? [c] : []));

/** An element with children; null when it would be empty. */
export function el(name: string, ...children: Child[]): XmlElement | null {
  const kids = flat(children);
  return kids.length === 0 ? null : { name, attrs: {}, children: kids, text: null, keep: false };
}

/** An element holding a text value; null when the value is null. Attributes with a null value are left out. */
export function leaf(name: string, value: string | number | null | undefined, attrs: Record<string, string | null | undefined> = {}): XmlElement | null {
  if (value === null || value === undefined) return null;
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) a[k] = v;
  return { name, attrs: a, children: [], text: String(value), keep: false };
}

/** An element the schema requires even when it has no content (written as <x/>). */
export function required(name: string, ...children: Child[]): XmlElement {
  return { name, attrs: {}, children: flat(children), text: null, keep: true };
}

/** Sets attributes (namespace declarations on the root). */
export function withAttrs(element: XmlElement, attrs: Record<string, string>): XmlElement {
  return { ...element, attrs: { ...element.attrs, ...attrs } };
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');
/** Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string) => s.replace(NOT_XML, '');

function write(e: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(e.attrs).map(([k, v]) => ` ${k}="${escapeAttr(clean(v))}"`).join('');
  if (e.text !== null) out.push(`${pad}<${e.name}${attrs}>${escapeText(clean(e.text))}</${e.name}>`);
  else if (e.children.length === 0) out.push(`${pad}<${e.name}${attrs}/>`);
  else {
    out.push(`${pad}<${e.name}${attrs}>`);
    for (const c of e.children) write(c, depth + 1, out);
    out.push(`${pad}</${e.name}>`);
  }
}

/** The document as UTF-8 XML text with a declaration, two-space indentation and a final newline. */
export function serialise(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, 0, out);
  return `${out.join('\n')}\n`;
}
