/**
 * Files written byte by byte, for inputs a library will not produce: multi-page grey TIFF, BMP,
 * a PNG header claiming absurd dimensions, encrypted and zero-page PDFs. Re-exported by fixtures.ts.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

/** An uncompressed 8-bit grey multi-page TIFF (one IFD per page), written by hand. */
export function makeMultiPageTiff(pages: { gray: Uint8Array; width: number; height: number }[]): Uint8Array {
  const entries = 10;
  const ifdSize = 2 + entries * 12 + 4;
  let size = 8;
  const layout = pages.map((p) => { const ifd = size; const data = ifd + ifdSize; size = data + p.gray.length + (p.gray.length % 2); return { ifd, data }; });
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, layout[0]!.ifd, true);
  pages.forEach((p, i) => {
    const { ifd, data } = layout[i]!;
    const tags: [number, number, number][] = [ // tag, type (3 short, 4 long), value
      [256, 4, p.width], [257, 4, p.height], [258, 3, 8], [259, 3, 1], [262, 3, 1],
      [273, 4, data], [277, 3, 1], [278, 4, p.height], [279, 4, p.gray.length], [284, 3, 1],
    ];
    view.setUint16(ifd, entries, true);
    tags.forEach(([tag, type, value], k) => {
      const at = ifd + 2 + k * 12;
      view.setUint16(at, tag, true); view.setUint16(at + 2, type, true); view.setUint32(at + 4, 1, true);
      if (type === 3) view.setUint16(at + 8, value, true); else view.setUint32(at + 8, value, true);
    });
    view.setUint32(ifd + 2 + entries * 12, layout[i + 1]?.ifd ?? 0, true);
    out.set(p.gray, data);
  });
  return out;
}

/** A 24-bit bottom-up BMP of grey pixels. */
export function makeBmp(image: { gray: Uint8Array; width: number; height: number }): Uint8Array {
  const stride = Math.ceil((image.width * 3) / 4) * 4;
  const out = new Uint8Array(54 + stride * image.height);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  view.setUint32(2, out.length, true); view.setUint32(10, 54, true); view.setUint32(14, 40, true);
  view.setInt32(18, image.width, true); view.setInt32(22, image.height, true);
  view.setUint16(26, 1, true); view.setUint16(28, 24, true); view.setUint32(34, stride * image.height, true);
  for (let y = 0; y < image.height; y++) {
    const row = 54 + (image.height - 1 - y) * stride;
    for (let x = 0; x < image.width; x++) out.fill(image.gray[y * image.width + x]!, row + x * 3, row + x * 3 + 3);
  }
  return out;
}

/** A PNG whose header claims width x height but whose pixel data is a few bytes (an "image bomb"). */
export function makeOversizedPngHeader(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 0;
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(16))), chunk('IEND', new Uint8Array(0)),
  ]));
}

/**
 * A PDF encrypted with the standard security handler (RC4, R2) whose user password is not empty:
 * the /O and /U entries are fixed bytes that no empty password matches, so readers must ask for one.
 */
export function makeEncryptedPdf(): Uint8Array {
  const hex = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 8 >>\nstream\n\x01\x02\x03\x04\x05\x06\x07\x08\nendstream',
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${hex(32, 11)}> /U <${hex(32, 97)}> >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 5 0 R /ID [<${hex(16, 5)}> <${hex(16, 5)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

const PASSWORD_PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const S = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + S[i]! + key[i % key.length]!) & 255;
    [S[i], S[j]] = [S[j]!, S[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + S[i]!) & 255;
    [S[i], S[j]] = [S[j]!, S[i]!];
    out[k] = data[k]! ^ S[(S[i]! + S[j]!) & 255]!;
  }
  return out;
}

/**
 * A PDF encrypted (standard handler, RC4 40-bit, R2) with an EMPTY user password and an owner
 * password: viewers open it without asking, so Ledgerlens reads it. Its one page says `text`
 * (Helvetica 24 pt at x 50, baseline 100 from the top of a 400 x 200 page).
 */
export function makeEmptyPasswordEncryptedPdf(text = 'Encrypted invoice 4711'): Uint8Array {
  const md5 = (...parts: Uint8Array[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const owner = Buffer.concat([Buffer.from('owner-secret', 'latin1'), PASSWORD_PAD]).subarray(0, 32);
  const O = rc4(md5(owner).subarray(0, 5), PASSWORD_PAD); // user password empty: its padded form is PAD
  const P = Buffer.alloc(4); P.writeInt32LE(-4);
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const key = md5(PASSWORD_PAD, O, P, id).subarray(0, 5);
  const U = rc4(key, PASSWORD_PAD);
  const objectKey = (num: number) => md5(key, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0])).subarray(0, 10);
  const content = rc4(objectKey(4), Buffer.from(`BT /F1 24 Tf 50 100 Td (${text}) Tj ET`, 'latin1'));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content.toString('latin1')}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${O.toString('hex')}> /U <${U.toString('hex')}> >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/** A PDF with an empty page tree (/Count 0, no /Kids entries). */
export function makeZeroPagePdf(): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
