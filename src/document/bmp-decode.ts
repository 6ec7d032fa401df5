import { LedgerlensError } from '../core/errors.js';

/** BMP dimensions from the header alone (libvips, and so sharp, does not read BMP). */
export function bmpSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 26) throw new LedgerlensError('CORRUPT_DOCUMENT', 'the BMP header is truncated');
  const dib = view.getUint32(14, true);
  if (dib === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  if (bytes.length < 54) throw new LedgerlensError('CORRUPT_DOCUMENT', 'the BMP header is truncated');
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 1 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

/**
 * Decodes an uncompressed BMP (1, 4, 8, 16, 24 or 32 bits; BI_RGB or BI_BITFIELDS) to 8-bit grey.
 * RLE-compressed BMPs are refused as UNSUPPORTED_MEDIA_TYPE; short pixel data is CORRUPT_DOCUMENT.
 * Call bmpSize and check the pixel limit first.
 */
export function decodeBmpGray(bytes: Uint8Array): { gray: Uint8Array; width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const dib = view.getUint32(14, true);
  const core = dib === 12;
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getUint16(20, true) : view.getInt32(22, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : view.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new LedgerlensError('CORRUPT_DOCUMENT', 'the BMP has no pixels');
  if (compression !== 0 && compression !== 3) {
    throw new LedgerlensError('UNSUPPORTED_MEDIA_TYPE', `compressed BMP (compression ${compression}) is not supported`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new LedgerlensError('CORRUPT_DOCUMENT', `BMP with ${bpp} bits per pixel`);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + stride * height > bytes.length) throw new LedgerlensError('CORRUPT_DOCUMENT', 'the BMP pixel data is truncated');

  const paletteStart = 14 + dib + (compression === 3 && dib === 40 ? 12 : 0);
  const entry = core ? 3 : 4;
  const palette: number[] = [];
  if (bpp <= 8) {
    const colours = (!core && view.getUint32(46, true)) || 1 << bpp;
    for (let i = 0; i < colours && paletteStart + i * entry + 2 < dataOffset; i++) {
      const p = paletteStart + i * entry;
      palette.push((bytes[p + 2]! * 299 + bytes[p + 1]! * 587 + bytes[p]! * 114 + 500) / 1000);
    }
  }
  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0xff00, 0xff];
  if (compression === 3 && !core && bytes.length >= 66) masks = [view.getUint32(54, true), view.getUint32(58, true), view.getUint32(62, true)];
  const [r, g, b] = masks.map(maskShift) as [ReturnType<typeof maskShift>, ReturnType<typeof maskShift>, ReturnType<typeof maskShift>];

  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    const out = y * width;
    for (let x = 0; x < width; x++) {
      let v: number;
      if (bpp <= 8) {
        const bit = x * bpp;
        const idx = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        v = palette[idx] ?? 0;
      } else if (bpp === 24) {
        const p = row + x * 3;
        v = (bytes[p + 2]! * 299 + bytes[p + 1]! * 587 + bytes[p]! * 114 + 500) / 1000;
      } else {
        const px = bpp === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        const ch = (m: { shift: number; max: number }) => (((px >>> m.shift) & m.max) * 255) / m.max;
        v = (ch(r) * 299 + ch(g) * 587 + ch(b) * 114 + 500) / 1000;
      }
      gray[out + x] = v;
    }
  }
  return { gray, width, height };
}
