/**
 * Scan degradation: a rendered page (8-bit grey) becomes what an office scanner or a phone makes
 * of it: 150-300 dpi, a small rotation (and sometimes the shear and squeeze of an off-axis photo),
 * blur, uneven lighting, faded ink, sensor noise and JPEG
 * artefacts. sharp does the geometry, blur and encoding; lighting and noise are one seeded pass
 * over the pixels so that the image is a function of the seed. The returned transform maps a box
 * in PDF points (top-left origin) to the scan's pixels, for projecting labels onto OCR words.
 */
import sharp from 'sharp';
import type { BBoxPt } from './page-writer.js';
import type { Rng } from './prng.js';

export interface RenderedGray { gray: Uint8Array; width: number; height: number; scale: number }
/** Renders page `page` (1-based) of a PDF at `dpi` to grey pixels. */
export type PageRenderer = (pdf: Uint8Array, page: number, dpi: number) => Promise<RenderedGray>;

export interface ScanParams {
  dpi: number;
  /** Degrees, clockwise. */
  angle: number;
  /** Horizontal shear and vertical squeeze: a page photographed slightly off-axis (0 for a flatbed). */
  shear: number;
  squeeze: number;
  blur: number; noise: number; quality: number; fade: number; shadow: number;
}

export interface ScanImage {
  bytes: Uint8Array;
  mediaType: 'image/jpeg';
  width: number;
  height: number;
  params: ScanParams;
  toImage(box: BBoxPt): BBoxPt;
}

export function scanParams(rng: Rng): ScanParams {
  return {
    dpi: rng.pick([150, 200, 200, 240, 300]),
    angle: Math.round(rng.float(-1.6, 1.6) * 100) / 100,
    shear: rng.chance(0.3) ? Math.round(rng.float(-0.03, 0.03) * 1000) / 1000 : 0,
    squeeze: rng.chance(0.3) ? Math.round(rng.float(0.97, 1) * 1000) / 1000 : 1,
    blur: rng.chance(0.6) ? Math.round(rng.float(0.3, 1.1) * 100) / 100 : 0,
    noise: rng.int(2, 14),
    quality: rng.int(35, 85),
    fade: Math.round(rng.float(0, 0.35) * 100) / 100,
    shadow: Math.round(rng.float(0, 0.3) * 100) / 100,
  };
}

export async function degradePage(page: RenderedGray, params: ScanParams, rng: Rng): Promise<ScanImage> {
  const { width: w, height: h } = page;
  let img = sharp(Buffer.from(page.gray), { raw: { width: w, height: h, channels: 1 } });
  // One linear map (rotation x shear x squeeze) about the page centre; libvips sizes the output to
  // the transformed page's bounding box, centred, which toImage() below relies on.
  const rad = (params.angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const m: [number, number, number, number] = [cos, cos * params.shear - sin * params.squeeze, sin, sin * params.shear + cos * params.squeeze];
  const linear = params.angle !== 0 || params.shear !== 0 || params.squeeze !== 1;
  if (linear) img = img.affine(m, { background: { r: 255, g: 255, b: 255 }, interpolator: 'bilinear' });
  if (params.blur >= 0.3) img = img.blur(params.blur);
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const channels = info.channels;
  const out = Buffer.alloc(W * H);
  // Lighting: a linear fall-off from one corner (a lamp, a phone's shadow); ink fades toward paper.
  // Noise: a seeded table of roughly normal values, read from a random offset on each row.
  const gx = rng.float(-1, 1);
  const gy = rng.float(-1, 1);
  const paper = 255 - rng.int(0, 18);
  const table = new Float32Array(65536);
  for (let k = 0; k < table.length; k++) table[k] = (rng.next() + rng.next() - 1) * params.noise * 2;
  const fade = params.fade * 0.6;
  for (let y = 0, i = 0; y < H; y++) {
    const offset = rng.int(0, 65535);
    const rowLight = 1 - params.shadow * (0.5 + 0.7 * gy * (y / H - 0.5));
    const dx = (-params.shadow * 0.7 * gx) / W;
    let light = rowLight - params.shadow * 0.7 * gx * -0.5;
    for (let x = 0; x < W; x++, i++) {
      const v = data[i * channels]!;
      const ink = v + (255 - v) * fade;
      const px = (ink / 255) * paper * light + table[(offset + x) & 0xffff]!;
      out[i] = px < 0 ? 0 : px > 255 ? 255 : px;
      light += dx;
    }
  }
  const bytes = await sharp(out, { raw: { width: W, height: H, channels: 1 } })
    .withMetadata({ density: params.dpi })
    .jpeg({ quality: params.quality, chromaSubsampling: '4:2:0', mozjpeg: false })
    .toBuffer();
  const s = page.scale;
  const point = (x: number, y: number): [number, number] => {
    // Rendered pixels, then the linear map about the centre into the output canvas.
    const px = x * s - w / 2;
    const py = y * s - h / 2;
    return linear ? [m[0] * px + m[1] * py + W / 2, m[2] * px + m[3] * py + H / 2] : [px + w / 2, py + h / 2];
  };
  return {
    bytes: new Uint8Array(bytes), mediaType: 'image/jpeg', width: W, height: H, params,
    toImage: (box) => {
      const pts = [point(box[0], box[1]), point(box[2], box[1]), point(box[0], box[3]), point(box[2], box[3])];
      return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
    },
  };
}
