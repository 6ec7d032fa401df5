import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { DocumentTextSchema, type BBox, type Page } from '../src/core/document-text.js';
import { closeOcrPool, ocrPoolStats, recognize } from '../src/document/ocr-pool.js';
import { openPdf } from '../src/document/pdf-document.js';
import { largestImageShare } from '../src/document/pdf-images.js';
import { readDocumentText } from '../src/document/read-document.js';
import * as fx from '../src/document/testing/fixtures.js';
import { wordAccuracy } from '../src/document/testing/word-accuracy.js';

// OCR is the slow part of the suite: few, small pages (a 360 x 180 pt page at 300 dpi), one pool.
const config = loadConfig({ env: {}, overrides: { ocr: { workers: 2 } } });
const DPI = 300;
let scan: Awaited<ReturnType<typeof fx.makeScanPng>>;

before(async () => { scan = await fx.makeScanPng(DPI); });
after(() => closeOcrPool());

/** OCR accuracy >= 95% and every matched word's box within 40% of the font size of where it was drawn. */
function assertOcr(page: Page, known: fx.KnownWord[], toUnit: (b: BBox) => BBox): void {
  const accuracy = wordAccuracy(known.map((w) => w.text), page.words.map((w) => w.text));
  assert.ok(accuracy >= 0.95, `word accuracy ${accuracy}`);
  let checked = 0;
  for (const k of known) {
    const expected = toUnit(k.bbox);
    const tol = 0.4 * (expected[3] - expected[1]);
    const w = page.words.find((x) => x.text === k.text && Math.abs(x.bbox[0] - expected[0]) < 3 * tol);
    if (!w) continue;
    checked++;
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(w.bbox[i]! - expected[i]!) <= tol, `${k.text}: ${w.bbox} vs ${expected}`);
    assert.ok(w.confidence > 0.5 && w.confidence <= 1);
  }
  assert.ok(checked >= 0.9 * known.length, `boxes checked for ${checked} of ${known.length} words`);
}

const px = (b: BBox): BBox => b.map((v) => (v * DPI) / 72) as BBox;
const pt = (b: BBox): BBox => b;

describe('OCR', () => {
  test('a clean 300 dpi scan (PNG): words, pixel boxes, reading order', async () => {
    const doc = DocumentTextSchema.parse(await readDocumentText(scan.png, { config, file: 'scan.png' }));
    const page = doc.pages[0]!;
    assert.equal(page.method, 'ocr');
    assert.equal(page.unit, 'px');
    assert.equal(page.width, Math.floor((fx.SCAN_PAGE.width * DPI) / 72));
    assertOcr(page, scan.words, px);
    assert.equal(doc.source.mediaType, 'image/png');
    for (const w of page.words) assert.equal(doc.text.slice(w.start, w.end), w.text);
    assert.match(doc.text, /^Total due 1487\.50 EUR$/m);
  });

  test('mixed PDF: a text-layer page and an image-only page, page by page, both in points', async () => {
    const pdf = await fx.makeMixedPdf(DPI);
    const progress: [number, number][] = [];
    const doc = await readDocumentText(pdf.bytes, { config, onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual(progress, [[1, 2], [2, 2]]);
    assert.deepEqual(doc.pages.map((p) => [p.method, p.unit]), [['text-layer', 'pt'], ['ocr', 'pt']]);
    assert.deepEqual(doc.pages[0]!.words.map((w) => w.text), pdf.words.map((w) => w.text));
    assert.equal(doc.pages[1]!.width, fx.SCAN_PAGE.width);
    assertOcr(doc.pages[1]!, pdf.scanWords, pt);
    assert.equal(doc.text.split('\f').length, 2);
    // --no-ocr: the scanned page comes back without words
    const noOcr = await readDocumentText(pdf.bytes, { config, ocr: false });
    assert.equal(noOcr.pages[1]!.words.length, 0);
  });

  test('a scanned page whose hidden text layer is glyph soup is OCR\'d instead', async () => {
    const soup = { x: 30, y: 170, size: 8, hidden: true, text: '#$%& *+,-./ ;<=>?@ []^_` {|}~ !"#$ %&\'()' };
    const pdf = await fx.makePdf([{ ...fx.SCAN_PAGE, image: scan.png, lines: [soup] }]);
    const page = (await readDocumentText(pdf.bytes, { config })).pages[0]!;
    assert.equal(page.method, 'ocr');
    assertOcr(page, scan.words, pt);
  });

  test('a scan carrying only a small digital stamp is OCR\'d, stamp included', async () => {
    const stamp = { x: 250, y: 170, size: 8, text: 'Received 2024-05-14' };
    const pdf = await fx.makePdf([{ ...fx.SCAN_PAGE, image: scan.png, lines: [stamp] }]);
    const page = (await readDocumentText(pdf.bytes, { config })).pages[0]!;
    assert.equal(page.method, 'ocr');
    assertOcr(page, [...scan.words, ...pdf.words], pt); // the stamp sits below the last line
  });

  test('the text is read from a PDF opened without its images; the scan page is rendered from a second opening', async () => {
    const stamp = { x: 250, y: 170, size: 8, text: 'Received 2024-05-14' };
    const pdf = await fx.makePdf([{ ...fx.SCAN_PAGE, image: scan.png, lines: [stamp] }]);
    const shareOf = async (images: boolean) => {
      const doc = await openPdf(pdf.bytes, 10, { images });
      try {
        return await largestImageShare(await doc.getPage(1));
      } finally {
        await doc.destroy();
      }
    };
    assert.ok((await shareOf(true)) > 0.9);
    assert.equal(await shareOf(false), 0, 'images: false drops the image from the operator list (never decoded)');
    const textDoc = await openPdf(pdf.bytes, 10, { images: false });
    try {
      const page = (await readDocumentText(pdf.bytes, { config, pdf: textDoc })).pages[0]!;
      assert.equal(page.method, 'ocr');
      assertOcr(page, [...scan.words, ...pdf.words], pt);
    } finally {
      await textDoc.destroy();
    }
  });

  test('a JPEG stored sideways with EXIF orientation 6 is read upright', async () => {
    const jpeg = await fx.makeExifJpeg(scan.png, 6);
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.orientation, 6);
    assert.ok(meta.height! > meta.width!, 'stored sideways');
    const page = (await readDocumentText(jpeg, { config })).pages[0]!;
    assert.equal(page.rotation, 90);
    assert.ok(page.width > page.height, 'upright');
    assertOcr(page, scan.words, px);
  });

  test('a scan stored sideways or upside down with no EXIF tag is turned upright (ocr.orientation auto); off reads it as stored', async () => {
    for (const angle of [90, 180, 270] as const) {
      const stored = new Uint8Array(await sharp(scan.png).rotate(angle).png().toBuffer());
      const page = (await readDocumentText(stored, { config })).pages[0]!;
      assert.equal(page.rotation, (360 - angle) % 360, `stored turned ${angle}`);
      assert.ok(page.width > page.height, 'upright');
      assertOcr(page, scan.words, px);
    }
    const off = loadConfig({ env: {}, overrides: { ocr: { workers: 2, orientation: 'off' } } });
    const asStored = (await readDocumentText(new Uint8Array(await sharp(scan.png).rotate(180).png().toBuffer()), { config: off })).pages[0]!;
    assert.equal(asStored.rotation, 0);
    assert.ok(wordAccuracy(scan.words.map((w) => w.text), asStored.words.map((w) => w.text)) < 0.5, 'upside down, read as stored');
  });

  test('a multi-page TIFF gives one page per image', async () => {
    const gray = await fx.toGray(scan.png);
    const other = await fx.makePdf([{ ...fx.SCAN_PAGE, lines: [{ x: 30, y: 60, size: 16, text: 'Second page remittance advice' }] }]);
    const gray2 = await fx.toGray(await fx.renderPdfToPng(other.bytes, 1, DPI));
    // three pages: more than the two workers, so pages queue and must come back in order
    const doc = await readDocumentText(fx.makeMultiPageTiff([gray, gray2, gray]), { config });
    assert.equal(doc.source.mediaType, 'image/tiff');
    assert.deepEqual(doc.pages.map((p) => p.number), [1, 2, 3]);
    assertOcr(doc.pages[0]!, scan.words, px);
    assertOcr(doc.pages[1]!, other.words, px);
    assertOcr(doc.pages[2]!, scan.words, px);
  });

  test('BMP (decoded here) and WebP', async () => {
    const bmp = fx.makeBmp(await fx.toGray(scan.png));
    const fromBmp = await readDocumentText(bmp, { config });
    assert.equal(fromBmp.source.mediaType, 'image/bmp');
    assertOcr(fromBmp.pages[0]!, scan.words, px);
    const webp = new Uint8Array(await sharp(scan.png).webp({ lossless: true }).toBuffer());
    const fromWebp = await readDocumentText(webp, { config });
    assert.equal(fromWebp.source.mediaType, 'image/webp');
    assertOcr(fromWebp.pages[0]!, scan.words, px);
  });

  test('the pool is created once and reused', () => {
    const { poolsCreated, active } = ocrPoolStats();
    assert.deepEqual({ poolsCreated, active }, { poolsCreated: 1, active: true });
  });

  test('closing the pool fails a job in flight, and the next document gets a fresh pool', async () => {
    const inFlight = recognize(scan.png, config); // queued on the live pool before the close below
    await closeOcrPool();
    await assert.rejects(inFlight, { code: 'OCR_FAILED' });
    const again = await readDocumentText(scan.png, { config });
    assert.ok(wordAccuracy(scan.words.map((w) => w.text), again.pages[0]!.words.map((w) => w.text)) >= 0.95);
    assert.equal(ocrPoolStats().poolsCreated, 2);
  });
});
