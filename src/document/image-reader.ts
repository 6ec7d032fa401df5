import sharp from 'sharp';
import type { Config } from '../config/config.js';
import type { MediaType } from '../core/document-text.js';
import { LedgerlensError } from '../core/errors.js';
import { bmpSize, decodeBmpGray } from './bmp-decode.js';

/** One decoded image page, upright (EXIF orientation applied), 8-bit grey. */
export interface GrayImage {
  gray: Uint8Array;
  width: number;
  height: number;
  /** Degrees clockwise applied from the EXIF orientation (0 without one). */
  rotation: number;
}

/** EXIF orientation -> clockwise rotation that sharp's rotate() applies (mirrored ones included). */
const EXIF_ROTATION: Record<number, number> = { 1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270 };

function checkPixels(width: number | undefined, height: number | undefined, config: Config, what: string): void {
  if (!width || !height) throw new LedgerlensError('CORRUPT_DOCUMENT', `${what} has no dimensions in its header`);
  if (width * height > config.limits.maxImagePixels) {
    throw new LedgerlensError(
      'IMAGE_TOO_LARGE',
      `${what} is ${width} x ${height} pixels; the limit is ${config.limits.maxImagePixels} pixels (limits.maxImagePixels)`,
    );
  }
}

function sharpError(err: unknown): LedgerlensError {
  if (err instanceof LedgerlensError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new LedgerlensError('IMAGE_TOO_LARGE', message, { cause: err });
  return new LedgerlensError('CORRUPT_DOCUMENT', `the image cannot be decoded: ${message}`, { cause: err });
}

/** Number of pages (TIFF may hold several; other formats one), read from the header. */
export async function imagePageCount(bytes: Uint8Array, mediaType: MediaType): Promise<number> {
  if (mediaType !== 'image/tiff') return 1;
  try {
    return (await sharp(bytes, { pages: 1 }).metadata()).pages ?? 1;
  } catch (err) {
    throw sharpError(err);
  }
}

/**
 * Decodes one page of an image. Dimensions are checked against limits.maxImagePixels from the
 * header before any pixel is decoded (sharp's limitInputPixels guards the decoder as well).
 * BMP, which libvips does not read, is decoded here.
 */
export async function decodeImagePage(bytes: Uint8Array, mediaType: MediaType, page: number, config: Config): Promise<GrayImage> {
  if (mediaType === 'image/bmp') {
    const { width, height } = bmpSize(bytes);
    checkPixels(width, height, config, 'the BMP image');
    return { ...decodeBmpGray(bytes), rotation: 0 };
  }
  const input = { limitInputPixels: config.limits.maxImagePixels, failOn: 'error' as const, page };
  try {
    const meta = await sharp(bytes, { page, limitInputPixels: false }).metadata(); // header only: no pixels decoded
    checkPixels(meta.width, meta.height, config, page > 0 ? `page ${page + 1} of the image` : 'the image');
    const { data, info } = await sharp(bytes, input)
      .rotate() // EXIF orientation
      .flatten({ background: '#ffffff' })
      .grayscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let gray = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (info.channels !== 1) {
      const single = new Uint8Array(info.width * info.height);
      for (let i = 0; i < single.length; i++) single[i] = gray[i * info.channels]!;
      gray = single;
    }
    return { gray, width: info.width, height: info.height, rotation: EXIF_ROTATION[meta.orientation ?? 1] ?? 0 };
  } catch (err) {
    throw sharpError(err);
  }
}
