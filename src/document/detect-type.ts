import type { MediaType } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Sizes of the known BMP info headers (BITMAPCOREHEADER .. BITMAPV5HEADER): tell a BMP from text starting "BM". */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function readU32le(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 4) return -1;
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) + bytes[offset + 3]! * 0x1000000;
}

/** How far into the file a PDF header may start (the PDF spec allows leading junk; readers accept 1 KiB). */
const PDF_HEADER_WINDOW = 1024;

function findPdfHeader(bytes: Uint8Array): boolean {
  const sig = ascii('%PDF-');
  const end = Math.min(bytes.length - sig.length, PDF_HEADER_WINDOW);
  for (let i = 0; i <= end; i++) if (startsWith(bytes, sig, i)) return true;
  return false;
}

/**
 * XML: optional UTF-8 BOM and whitespace, then `<?xml` or `<` followed by a name start character
 * (a root element, possibly namespace-prefixed). UTF-16 XML (BOM FE FF / FF FE) is accepted too.
 */
function looksLikeXml(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe])) {
    const le = bytes[0] === 0xff;
    for (let i = 2; i + 1 < Math.min(bytes.length, 2048); i += 2) {
      const c = le ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
      return c === 0x3c;
    }
    return false;
  }
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x3c) return false;
  const next = bytes[i + 1];
  if (next === undefined) return false;
  if (next === 0x3f) return startsWith(bytes, ascii('?xml'), i + 1);
  if (next === 0x21) return startsWith(bytes, ascii('!--'), i + 1) || startsWith(bytes, ascii('!DOCTYPE'), i + 1);
  // name start: ASCII letter, '_' or ':' (or a non-ASCII UTF-8 lead byte)
  return (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f || next === 0x3a || next >= 0xc0;
}

/**
 * The media type from the content alone (magic bytes); the file name is never consulted, so a
 * text file named .pdf is UNSUPPORTED_MEDIA_TYPE. Empty input is EMPTY_DOCUMENT.
 */
export function detectMediaType(bytes: Uint8Array): MediaType {
  if (bytes.length === 0) throw new LedgerlensError('EMPTY_DOCUMENT', 'the file is empty (0 bytes)');
  if (findPdfHeader(bytes)) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('BM')) && BMP_DIB_SIZES.has(readU32le(bytes, 14))) return 'image/bmp';
  if (looksLikeXml(bytes)) return 'application/xml';
  throw new LedgerlensError(
    'UNSUPPORTED_MEDIA_TYPE',
    'the content is not a PDF, PNG, JPEG, TIFF, WebP, BMP or XML document (the type is read from the bytes, not the file name)',
  );
}
