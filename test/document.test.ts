import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { DocumentTextSchema, type DocumentText } from '../src/core/document-text.js';
import { LedgerlensError } from '../src/core/errors.js';
import { detectMediaType } from '../src/document/detect-type.js';
import { readDocumentText } from '../src/document/read-document.js';
import { judgeTextLayer } from '../src/document/text-quality.js';
import * as fx from '../src/document/testing/fixtures.js';

const config = loadConfig({ env: {} });
/** Text-layer boxes: x within 2.5 pt (glyph widths apportioned inside a text run), y within a quarter of the font size. */
const X_TOL = 2.5;

function assertWords(doc: DocumentText, known: fx.KnownWord[]): void {
  const page = doc.pages[0]!;
  assert.deepEqual(page.words.map((w) => w.text), known.map((w) => w.text), 'words in reading order');
  known.forEach((k, i) => {
    const w = page.words[i]!;
    const size = k.bbox[3] - k.bbox[1];
    assert.ok(Math.abs(w.bbox[0] - k.bbox[0]) <= X_TOL && Math.abs(w.bbox[2] - k.bbox[2]) <= X_TOL, `x of ${k.text}: ${w.bbox} vs ${k.bbox}`);
    assert.ok(Math.abs(w.bbox[1] - k.bbox[1]) <= 0.25 * size && Math.abs(w.bbox[3] - k.bbox[3]) <= 0.25 * size, `y of ${k.text}: ${w.bbox} vs ${k.bbox}`);
    assert.equal(w.line, k.line, `line of ${k.text}`);
  });
  for (const w of page.words) assert.equal(doc.text.slice(w.start, w.end), w.text);
}

describe('detectMediaType', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  test('reads the type from magic bytes', async () => {
    assert.equal(detectMediaType((await fx.makeInvoicePdf()).bytes), 'application/pdf');
    assert.equal(detectMediaType(fx.makeOversizedPngHeader(10, 10)), 'image/png');
    assert.equal(detectMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])), 'image/jpeg');
    assert.equal(detectMediaType(new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0])), 'image/tiff');
    assert.equal(detectMediaType(new Uint8Array([0x4d, 0x4d, 0, 42, 0, 0, 0, 8])), 'image/tiff');
    assert.equal(detectMediaType(bytes('RIFF\x10\x00\x00\x00WEBPVP8 ')), 'image/webp');
    assert.equal(detectMediaType(fx.makeBmp({ gray: new Uint8Array(4), width: 2, height: 2 })), 'image/bmp');
    assert.equal(detectMediaType(bytes('\uFEFF  <?xml version="1.0"?><Invoice/>')), 'application/xml');
    assert.equal(detectMediaType(bytes('\n<rsm:CrossIndustryInvoice xmlns:rsm="x"/>')), 'application/xml');
  });
  test('empty and unknown content', () => {
    assert.throws(() => detectMediaType(new Uint8Array(0)), { code: 'EMPTY_DOCUMENT' });
    assert.throws(() => detectMediaType(bytes('Invoice 42, total 10 EUR')), { code: 'UNSUPPORTED_MEDIA_TYPE' });
    assert.throws(() => detectMediaType(bytes('BMW invoice for service')), { code: 'UNSUPPORTED_MEDIA_TYPE' });
    assert.throws(() => detectMediaType(bytes('< not xml')), { code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

describe('PDF text layer', () => {
  test('words, boxes, lines and offsets of a generated invoice', async () => {
    const pdf = await fx.makeInvoicePdf();
    const doc = await readDocumentText(pdf.bytes, { file: 'invoice.pdf', config });
    DocumentTextSchema.parse(doc);
    const page = doc.pages[0]!;
    assert.equal(page.method, 'text-layer');
    assert.equal(page.unit, 'pt');
    assert.equal(page.rotation, 0);
    assert.ok(Math.abs(page.width - fx.A4.width) < 0.01 && Math.abs(page.height - fx.A4.height) < 0.01);
    assertWords(doc, pdf.words);
    assert.ok(page.words.every((w) => w.confidence === 1));
    // table rows and label/value pairs stay on one line
    assert.match(doc.text, /^Office chairs 4 120\.00 480\.00$/m);
    assert.match(doc.text, /^Total EUR 755\.65$/m);
    assert.equal(doc.source.file, 'invoice.pdf');
    assert.equal(doc.source.mediaType, 'application/pdf');
    assert.equal(doc.source.pages, 1);
    assert.equal(doc.source.bytes, pdf.bytes.byteLength);
    assert.match(doc.source.sha256, /^[0-9a-f]{64}$/);
  });

  for (const rotate of [90, 180, 270] as const) {
    test(`a page with /Rotate ${rotate} yields upright words`, async () => {
      const pdf = await fx.makeInvoicePdf({ rotate });
      const doc = await readDocumentText(pdf.bytes, { config });
      assert.equal(doc.pages[0]!.rotation, rotate);
      assert.ok(Math.abs(doc.pages[0]!.width - fx.A4.width) < 0.01, 'upright width');
      assertWords(doc, pdf.words);
    });
  }

  test('a page rotated without turning its content is turned back so words read upright', async () => {
    // the same content as the upright invoice, with /Rotate 90 set afterwards: shown sideways
    const { PDFDocument, degrees } = await import('pdf-lib');
    const pdf = await fx.makeInvoicePdf();
    const d = await PDFDocument.load(pdf.bytes);
    d.getPage(0).setRotation(degrees(90));
    const doc = await readDocumentText(await d.save(), { config });
    assert.equal(doc.pages[0]!.rotation, 0);
    assertWords(doc, pdf.words);
  });

  test('columns whose lines do not align are read one after the other', async () => {
    const left = ['Left one', 'Left two', 'Left three', 'Left four'].map((text, i) => ({ x: 50, y: 100 + i * 14, size: 10, text }));
    const right = ['Right alpha', 'Right beta', 'Right gamma'].map((text, i) => ({ x: 320, y: 106 + i * 14, size: 10, text }));
    const pdf = await fx.makePdf([{ ...fx.A4, lines: [...left, ...right] }]);
    const doc = await readDocumentText(pdf.bytes, { config });
    assert.equal(doc.text, 'Left one\nLeft two\nLeft three\nLeft four\nRight alpha\nRight beta\nRight gamma');
  });

  test('text painted twice over itself (fake bold) gives each word once', async () => {
    const line = { x: 50, y: 100, size: 12, text: 'Total due 755.65' };
    const pdf = await fx.makePdf([{ ...fx.A4, lines: [line, { ...line, x: 50.4 }] }]);
    const doc = await readDocumentText(pdf.bytes, { config });
    assert.equal(doc.text, 'Total due 755.65');
  });

  test('garbage text layers are recognised', () => {
    assert.equal(judgeTextLayer([]), 'empty');
    assert.equal(judgeTextLayer(['Invoice', 'No.', '42', '-', 'Total']), 'usable');
    assert.equal(judgeTextLayer(['\uFFFD\uFFFD\uFFFD', '\uE001\uE002', 'ab']), 'garbage');
    assert.equal(judgeTextLayer(['!"#$', '%&\'()', '*+,-./', 'a']), 'garbage');
  });
});

describe('bad input gets a stable code and the process stays healthy', () => {
  const cases: [string, () => Promise<Uint8Array> | Uint8Array, string, Parameters<typeof loadConfig>[0]?][] = [
    ['empty file', () => new Uint8Array(0), 'EMPTY_DOCUMENT'],
    ['text file named .pdf', () => new TextEncoder().encode('Invoice 42\nTotal 10.00 EUR\n'), 'UNSUPPORTED_MEDIA_TYPE'],
    ['XML e-invoice (no page text)', () => new TextEncoder().encode('<?xml version="1.0"?><Invoice/>'), 'UNSUPPORTED_MEDIA_TYPE'],
    ['corrupt PDF', () => new TextEncoder().encode('%PDF-1.7\n1 0 obj garbage\n'), 'CORRUPT_DOCUMENT'],
    ['truncated PDF', async () => (await fx.makeInvoicePdf()).bytes.slice(0, 1200), 'CORRUPT_DOCUMENT'],
    ['encrypted PDF', () => fx.makeEncryptedPdf(), 'ENCRYPTED_DOCUMENT'],
    ['PDF with zero pages', () => fx.makeZeroPagePdf(), 'NO_PAGES'],
    ['image of absurd dimensions', () => fx.makeOversizedPngHeader(200_000, 200_000), 'IMAGE_TOO_LARGE'],
    ['broken image', async () => (await fx.makeScanPng(72)).png.slice(0, 200), 'CORRUPT_DOCUMENT'],
    ['broken BMP', () => fx.makeBmp({ gray: new Uint8Array(100 * 100), width: 100, height: 100 }).slice(0, 500), 'CORRUPT_DOCUMENT'],
    ['file over the size limit', async () => (await fx.makeInvoicePdf()).bytes, 'FILE_TOO_LARGE', { env: {}, overrides: { limits: { maxFileBytes: 1000 } } }],
    ['too many pages', async () => (await fx.makePdf([{ ...fx.A4, lines: [] }, { ...fx.A4, lines: [] }])).bytes, 'TOO_MANY_PAGES', { env: {}, overrides: { limits: { maxPages: 1 } } }],
  ];
  for (const [name, make, code, cfg] of cases) {
    test(name, async () => {
      const bytes = await make();
      await assert.rejects(
        readDocumentText(bytes, { config: cfg ? loadConfig(cfg) : config }),
        (err: unknown) => err instanceof LedgerlensError && err.code === code && err.permanent,
      );
    });
  }
  test('an OCR language that is not installed is a configuration error', async () => {
    const cfg = loadConfig({ env: {}, overrides: { ocr: { languages: ['xyz'] } } });
    await assert.rejects(readDocumentText(fx.makeBmp({ gray: new Uint8Array(64 * 64).fill(255), width: 64, height: 64 }), { config: cfg }), { code: 'INVALID_CONFIG' });
  });

  test('an encrypted PDF whose user password is empty opens and is read', async () => {
    const doc = await readDocumentText(fx.makeEmptyPasswordEncryptedPdf('Encrypted invoice 4711'), { config });
    assert.equal(doc.text, 'Encrypted invoice 4711');
    assert.equal(doc.pages[0]!.method, 'text-layer');
    const first = doc.pages[0]!.words[0]!;
    assert.ok(Math.abs(first.bbox[0] - 50) < 0.5 && first.bbox[3] > 100 && first.bbox[1] < 100 - 0.6 * 24, `${first.bbox}`);
  });

  test('a good file still reads after all of them', async () => {
    const pdf = await fx.makeInvoicePdf();
    assertWords(await readDocumentText(pdf.bytes, { config }), pdf.words);
  });
});

describe('ledgerlens text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-text-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints one JSON line per file, errors on stderr, exit 1 when one fails (the real binary)', async () => {
    const pdf = await fx.makeInvoicePdf();
    writeFileSync(join(dir, 'a.pdf'), pdf.bytes);
    writeFileSync(join(dir, 'fake.pdf'), 'just text');
    const main = resolve(import.meta.dirname, '../src/cli/main.ts');
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, 'text', join(dir, 'a.pdf'), join(dir, 'fake.pdf'), join(dir, 'a.pdf')], { encoding: 'utf8' })
      .then((r) => ({ ...r, code: 0 }), (e: { stdout: string; stderr: string; code: number }) => e);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2, 'one JSON line per readable file');
    for (const line of lines) {
      const doc = DocumentTextSchema.parse(JSON.parse(line));
      assert.deepEqual(doc.pages[0]!.words.map((w) => w.text), pdf.words.map((w) => w.text));
    }
    assert.match(result.stderr, /fake\.pdf: UNSUPPORTED_MEDIA_TYPE/);
  });

  test('usage errors', async () => {
    const { default: text } = await import('../src/cli/commands/text.command.js');
    await assert.rejects(text.run([]), { code: 'USAGE' });
    await assert.rejects(text.run(['--bogus', 'x.pdf']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });
});
