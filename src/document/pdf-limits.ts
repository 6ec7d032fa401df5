import { createInflate } from 'node:zlib';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Config } from '../config/config.js';
import { LedgerlensError } from '../core/errors.js';

/**
 * Per-document resource budgets for PDFs, so a small hostile file fails with RESOURCE_LIMIT in
 * bounded time and memory instead of costing gigabytes and minutes:
 * - decompressed size: every Flate stream is inflated once, counting bytes and keeping none, before
 *   pdfjs parses anything (a 3 MB Flate bomb would otherwise inflate to gigabytes inside pdfjs);
 * - rendered pixels: each page rendered for OCR is charged its pixels at ocr.dpi (also when it is
 *   drawn at a lower dpi to fit limits.maxImagePixels), against limits.maxRenderedPixels.
 * The page count comes from pdfjs (the page tree's /Count, read without walking the tree), never
 * from a library that flattens the tree: a tree that reuses its nodes is 10^9 pages to such a walk.
 */

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');

/** The dictionary text before a `stream` keyword (up to 4 KB back to its `<<`). */
function dictBefore(bytes: Uint8Array, at: number): string {
  const from = Math.max(0, at - 4096);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, at - from).toString('latin1');
  const open = text.lastIndexOf('<<');
  return open >= 0 ? text.slice(open) : '';
}

/** Inflated size of one stream, stopping (and keeping nothing) once it passes `cap`. */
function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    const inflate = createInflate({ chunkSize: 64 * 1024 });
    const done = () => resolve(total);
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > cap) {
        inflate.pause();
        inflate.destroy();
        done();
      }
    });
    inflate.on('end', done);
    inflate.on('error', done); // a damaged stream: pdfjs reports it (or reads what there is)
    inflate.on('close', done);
    inflate.end(data);
  });
}

/**
 * Sum of the Flate streams' decompressed sizes; throws RESOURCE_LIMIT past `maxBytes`. Streams are
 * found by their `stream`/`endstream` keywords (not trusting /Length), filters read from the
 * dictionary before them; object streams are Flate streams too, so nothing compressed hides there.
 */
export async function checkDecompressedSize(bytes: Uint8Array, maxBytes: number): Promise<number> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let pos = 0;
  for (;;) {
    const at = buf.indexOf(STREAM, pos);
    if (at < 0) break;
    pos = at + STREAM.length;
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    let start = pos;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf(END_STREAM, start);
    if (end < 0) break;
    pos = end + END_STREAM.length;
    const dict = dictBefore(bytes, at);
    if (!/\/(FlateDecode|Fl)\b/.test(dict)) continue;
    total += await inflatedSize(buf.subarray(start, end), maxBytes - total);
    if (total > maxBytes) {
      throw new LedgerlensError('RESOURCE_LIMIT', `the PDF's compressed streams inflate to more than ${maxBytes} bytes (limits.maxDecompressedBytes)`);
    }
  }
  return total;
}

/** Rendered-pixel budget of one document's OCR pages (limits.maxRenderedPixels at ocr.dpi). */
export class RenderBudget {
  private used = 0;

  constructor(private readonly maxPixels: number, private readonly dpi: number) {}

  /** Charges one page (PDF points) at the configured dpi; throws RESOURCE_LIMIT when the budget is spent. */
  charge(widthPt: number, heightPt: number, pageNumber: number): void {
    const scale = this.dpi / 72;
    const pixels = Math.ceil(widthPt * scale) * Math.ceil(heightPt * scale);
    this.used += pixels;
    if (this.used > this.maxPixels) {
      throw new LedgerlensError('RESOURCE_LIMIT', `rendering page ${pageNumber} for OCR needs ${pixels} pixels at ${this.dpi} dpi; with the pages before it that is over limits.maxRenderedPixels (${this.maxPixels})`);
    }
  }

  /** Charges page `n` of an open document by its size. */
  async chargePage(doc: PDFDocumentProxy, n: number): Promise<void> {
    const page = await doc.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    this.charge(width, height, n);
  }

  get pixels(): number {
    return this.used;
  }
}

export const renderBudgetFor = (config: Pick<Config, 'limits' | 'ocr'>) => new RenderBudget(config.limits.maxRenderedPixels, config.ocr.dpi);
