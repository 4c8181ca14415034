import type { Image8 } from '../codecs/image8';
import { clamp, floor } from './scalar';

/**
 * Working pixels of the face path: RGB as 0..255 floats, interleaved (3 per pixel), row by row. Floats because the
 * alignment's border fill and the composite's residual are sums and blends that 8 bits would band.
 */
export interface RgbFloat {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function rgbFloat(width: number, height: number): RgbFloat {
  return { width, height, data: new Float32Array(width * height * 3) };
}

/** An 8-bit RGBA image as floats; transparent pixels over white, as a flattened export shows them (prepareImage does the same). */
export function floatFromImage8(img: Image8): RgbFloat {
  const out = rgbFloat(img.width, img.height);
  const n = img.width * img.height;
  const src = img.data;
  const dst = out.data;
  for (let i = 0; i < n; i++) {
    const a = src[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) dst[3 * i + c] = src[4 * i + c] * a + 255 * (1 - a);
  }
  return out;
}

/** Rounded and clipped to 8 bits, opaque. */
export function image8FromFloat(img: RgbFloat): Image8 {
  const n = img.width * img.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    // a Uint8ClampedArray rounds to nearest and clips on assignment
    for (let c = 0; c < 3; c++) data[4 * i + c] = img.data[3 * i + c];
    data[4 * i + 3] = 255;
  }
  return { width: img.width, height: img.height, data };
}

/**
 * The photo shrunk by an integer factor with the box (area) filter, as PIL's ANTIALIAS shrink in the FFHQ script
 * does before a large face is transformed: only the window [x0, x0 + width) x [y0, y0 + height) of the shrunk
 * grid is made, because a 12-megapixel photo needs only the face's part. Shrunk pixel i covers photo pixels
 * [i * factor, (i + 1) * factor), so photo coordinate p maps to (p + 0.5) / factor - 0.5; blocks cut by the
 * photo's edge average the pixels they have.
 */
export function shrinkWindow(
  photo: Image8,
  factor: number,
  x0: number,
  y0: number,
  width: number,
  height: number,
): RgbFloat {
  const out = rgbFloat(width, height);
  const src = photo.data;
  const pw = photo.width;
  for (let j = 0; j < height; j++) {
    const ya = clamp((y0 + j) * factor, 0, photo.height);
    const yb = clamp((y0 + j + 1) * factor, 0, photo.height);
    for (let i = 0; i < width; i++) {
      const xa = clamp((x0 + i) * factor, 0, pw);
      const xb = clamp((x0 + i + 1) * factor, 0, pw);
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = ya; y < yb; y++) {
        for (let x = xa; x < xb; x++) {
          const p = 4 * (y * pw + x);
          const a = src[p + 3] / 255;
          r += src[p] * a + 255 * (1 - a);
          g += src[p + 1] * a + 255 * (1 - a);
          b += src[p + 2] * a + 255 * (1 - a);
          n++;
        }
      }
      const o = 3 * (j * width + i);
      if (n > 0) {
        out.data[o] = r / n;
        out.data[o + 1] = g / n;
        out.data[o + 2] = b / n;
      }
    }
  }
  return out;
}

/**
 * Bilinear sample at (x, y) (pixel centres at integers), clamped at the edges; adds weight * value into out[o..o+2].
 * Accumulating lets a caller average several samples without a temporary.
 */
export function addBilinear(
  img: RgbFloat,
  x: number,
  y: number,
  weight: number,
  out: Float32Array | Float64Array,
  o: number,
): void {
  const w = img.width;
  const h = img.height;
  const cx = clamp(x, 0, w - 1);
  const cy = clamp(y, 0, h - 1);
  // the last row and column interpolate towards themselves
  const x0 = clamp(floor(cx), 0, w - 2 < 0 ? 0 : w - 2);
  const y0 = clamp(floor(cy), 0, h - 2 < 0 ? 0 : h - 2);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const d = img.data;
  const p00 = 3 * (y0 * w + x0);
  const p01 = 3 * (y0 * w + x1);
  const p10 = 3 * (y1 * w + x0);
  const p11 = 3 * (y1 * w + x1);
  const w00 = (1 - fx) * (1 - fy) * weight;
  const w01 = fx * (1 - fy) * weight;
  const w10 = (1 - fx) * fy * weight;
  const w11 = fx * fy * weight;
  for (let c = 0; c < 3; c++) out[o + c] += w00 * d[p00 + c] + w01 * d[p01 + c] + w10 * d[p10 + c] + w11 * d[p11 + c];
}
