import { rgbFloat, type RgbFloat } from './rgbFloat';

/**
 * Widths of three successive box filters whose combination has the variance of a Gaussian of this sigma (the
 * standard "boxes for Gauss" construction): three boxes are within a few percent of the Gaussian's shape.
 */
function boxWidths(sigma: number): number[] {
  const n = 3;
  let wl = Math.floor(Math.sqrt((12 * sigma * sigma) / n + 1));
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  return Array.from({ length: n }, (_, i) => (i < m ? wl : wu));
}

/** scipy.ndimage's 'reflect' edge (d c b a | a b c d | d c b a), for any distance outside. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

/** One box pass of odd width along lines of `count` samples, `stride` apart, `lines` of them starting `lineStep` apart. */
function boxPass(
  src: Float32Array,
  dst: Float32Array,
  count: number,
  stride: number,
  lines: number,
  lineStep: number,
  width: number,
  line: Float64Array,
): void {
  const r = (width - 1) / 2;
  for (let l = 0; l < lines; l++) {
    for (let c = 0; c < 3; c++) {
      const base = l * lineStep + c;
      for (let i = -r; i < count + r; i++) line[i + r] = src[base + reflect(i, count) * stride];
      let sum = 0;
      for (let i = 0; i < width; i++) sum += line[i];
      for (let i = 0; i < count; i++) {
        dst[base + i * stride] = sum / width;
        sum += line[i + width] - line[i];
      }
    }
  }
}

/** One pass of a true Gaussian kernel (scipy's: truncated at 4 sigma, 'reflect' edges) along lines, as boxPass. */
function kernelPass(
  src: Float32Array,
  dst: Float32Array,
  count: number,
  stride: number,
  lines: number,
  lineStep: number,
  taps: Float64Array,
): void {
  const r = (taps.length - 1) / 2;
  for (let l = 0; l < lines; l++) {
    for (let c = 0; c < 3; c++) {
      const base = l * lineStep + c;
      for (let i = 0; i < count; i++) {
        let v = 0;
        for (let k = -r; k <= r; k++) v += taps[k + r] * src[base + reflect(i + k, count) * stride];
        dst[base + i * stride] = v;
      }
    }
  }
}

/**
 * Up to this sigma the kernel itself is affordable (at most 65 taps, on the small images such faces give) and three
 * integer-width boxes would miss the sigma by up to 6%; above it the boxes are within 3%.
 */
const EXACT_UP_TO = 8;

/**
 * A Gaussian blur of standard deviation sigma (pixels) in both directions, in linear time whatever sigma: the FFHQ
 * border fill blurs with sigma = 2% of the face size, 20-80 px on a large face, where a true kernel would cost
 * hundreds of taps per pixel, so large sigmas use three box passes. The fill only stands in for pixels the photo
 * does not have, so their few-percent difference in kernel shape changes nothing the model sees.
 */
export function gaussianBlur(img: RgbFloat, sigma: number): RgbFloat {
  const { width, height } = img;
  let a = img.data.slice();
  if (!(sigma > 0)) return { width, height, data: a };
  let b = new Float32Array(a.length);
  if (sigma <= EXACT_UP_TO) {
    const r = Math.floor(4 * sigma + 0.5);
    const taps = Float64Array.from({ length: 2 * r + 1 }, (_, k) => Math.exp(-((k - r) ** 2) / (2 * sigma * sigma)));
    const total = taps.reduce((x, y) => x + y, 0);
    for (let k = 0; k < taps.length; k++) taps[k] /= total;
    kernelPass(a, b, width, 3, height, 3 * width, taps);
    kernelPass(b, a, height, 3 * width, width, 3, taps);
    return { width, height, data: a };
  }
  const widths = boxWidths(sigma);
  const line = new Float64Array(Math.max(width, height) + Math.max(...widths));
  for (const w of widths) {
    boxPass(a, b, width, 3, height, 3 * width, w, line);
    [a, b] = [b, a];
    boxPass(a, b, height, 3 * width, width, 3, w, line);
    [a, b] = [b, a];
  }
  const out = rgbFloat(width, height);
  out.data.set(a);
  return out;
}
