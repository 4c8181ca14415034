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
function boxPass(src: Float32Array, dst: Float32Array, count: number, stride: number, lines: number, lineStep: number, width: number, line: Float64Array): void {
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

/**
 * A Gaussian blur of standard deviation sigma (pixels) in both directions, in linear time whatever sigma: the FFHQ
 * border fill blurs with sigma = 2% of the face size, 20-80 px on a large face, where a true kernel would cost
 * hundreds of taps per pixel. The fill only stands in for pixels the photo does not have, so the few-percent
 * difference in kernel shape changes nothing the model sees.
 */
export function gaussianBlur(img: RgbFloat, sigma: number): RgbFloat {
  const { width, height } = img;
  if (!(sigma > 0.5)) return { width, height, data: img.data.slice() };
  let a = img.data.slice();
  let b = new Float32Array(a.length);
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
