import type { MediaType } from '../core/document-text.js';

/**
 * Media type from the first bytes (never from the name or the client's Content-Type).
 * Interim: replaced by src/document/detect-type.ts once that lands on main.
 */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  const starts = (sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
  if (b.indexOf('%PDF-') !== -1 && b.indexOf('%PDF-') < 1024) return 'application/pdf';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts([0x42, 0x4d])) return 'image/bmp';
  const head = b.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<?xml') || /^<([A-Za-z_][\w.-]*:)?(CrossIndustryInvoice|Invoice|CreditNote)\b/.test(head)) return 'application/xml';
  return null;
}
