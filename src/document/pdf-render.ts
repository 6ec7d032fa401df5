import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RawPage } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';

/** Canvas sides above this are refused by the canvas backend; larger pages render at a lower dpi. */
const MAX_CANVAS_SIDE = 32_000;

export interface RenderedPage {
  /** 8-bit grey pixels, row-major, white background. */
  gray: Uint8Array;
  /** PNG bytes, when asked for. */
  png?: Uint8Array;
  width: number;
  height: number;
  /** Pixels per PDF point actually used (dpi / 72, lowered to fit the pixel limit). */
  scale: number;
  /** The page's /Rotate, applied by the render. */
  rotation: number;
}

interface CanvasAndContext {
  canvas: { width: number; height: number; toBuffer(mime: 'image/png'): Buffer };
  context: {
    fillStyle: string;
    fillRect(x: number, y: number, w: number, h: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(cc: CanvasAndContext): void;
}

/**
 * Renders a page at `dpi` (the page's /Rotate applied) with pdfjs and the canvas factory pdfjs
 * provides in Node (its own @napi-rs/canvas). The scale is lowered when the bitmap would exceed
 * `maxPixels` (limits.maxImagePixels) or the canvas side limit, so a huge page still renders.
 */
export async function renderPage(
  doc: PDFDocumentProxy, pageNumber: number, options: { dpi: number; maxPixels: number; png?: boolean },
): Promise<RenderedPage> {
  const page = await doc.getPage(pageNumber);
  const unit = page.getViewport({ scale: 1 });
  let scale = options.dpi / 72;
  const fit = Math.min(Math.sqrt(options.maxPixels / (unit.width * unit.height)), MAX_CANVAS_SIDE / Math.max(unit.width, unit.height));
  if (scale > fit) scale = fit;
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const factory = doc.canvasFactory as unknown as CanvasFactory;
  const cc = factory.create(width, height);
  try {
    cc.context.fillStyle = '#ffffff';
    cc.context.fillRect(0, 0, width, height);
    await page.render({ canvas: cc.canvas as never, canvasContext: cc.context as never, viewport }).promise;
    const rgba = cc.context.getImageData(0, 0, width, height).data;
    const gray = new Uint8Array(width * height);
    for (let i = 0, j = 0; i < gray.length; i++, j += 4) {
      gray[i] = (rgba[j]! * 299 + rgba[j + 1]! * 587 + rgba[j + 2]! * 114 + 500) / 1000;
    }
    const rendered: RenderedPage = { gray, width, height, scale, rotation: page.rotate };
    if (options.png) rendered.png = new Uint8Array(cc.canvas.toBuffer('image/png'));
    return rendered;
  } catch (err) {
    throw new LedgerlensError('CORRUPT_DOCUMENT', `page ${pageNumber} cannot be rendered: ${(err as Error).message}`, { cause: err });
  } finally {
    factory.destroy(cc);
    page.cleanup();
  }
}

/** A page whose words came from OCR of its rendering, boxes converted back to PDF points. */
export function ocrPageShell(pageNumber: number, rendered: RenderedPage): Omit<RawPage, 'words'> {
  return {
    number: pageNumber,
    width: Math.round((rendered.width / rendered.scale) * 100) / 100,
    height: Math.round((rendered.height / rendered.scale) * 100) / 100,
    unit: 'pt', method: 'ocr', rotation: rendered.rotation,
  };
}
