import type { Point } from '../core/types';
import { gaussianBlur } from './gaussianBlur';
import { channelMedian } from './median';
import { rgbFloat, type RgbFloat } from './rgbFloat';
import { clamp, floor } from './scalar';

/** Pixels added on each side: left, top, right, bottom. */
export type Padding = [number, number, number, number];

/** numpy.pad's 'reflect' (mirror about the edge pixel, which is not repeated), for any distance outside. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/**
 * How much the quad (in the cropped image's pixels) reaches outside the image, plus the border, as the FFHQ script
 * measures it; all zeros when the quad stays at least 4 px inside, where the script does not pad.
 */
export function ffhqPadding(
  corners: readonly Point[],
  width: number,
  height: number,
  size: number,
  border: number,
): Padding {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const pad: Padding = [
    Math.max(-Math.floor(Math.min(...xs)) + border, 0),
    Math.max(-Math.floor(Math.min(...ys)) + border, 0),
    Math.max(Math.ceil(Math.max(...xs)) - width + border, 0),
    Math.max(Math.ceil(Math.max(...ys)) - height + border, 0),
  ];
  if (Math.max(...pad) <= border - 4) return [0, 0, 0, 0];
  // once padding at all, every side gets at least 30% of the face, so the fade below has room
  const least = Math.round(size * 0.3);
  return pad.map((p) => Math.max(p, least)) as Padding;
}

/**
 * The FFHQ script's border fill: the image mirrored outwards by `pad`, then, by a weight that is 1 at the outer
 * edge and falls to 0 where the photo's own pixels are well inside, blurred (sigma 2% of the face) and faded to the
 * median colour, so a face near the photo's edge gets a soft, plausible surround instead of black or a hard mirror
 * seam (FFHQ-trained generators have seen only this). Values are rounded to 8 bits, as the script stores them.
 */
export function ffhqPad(img: RgbFloat, pad: Padding, size: number): RgbFloat {
  const [left, top, right, bottom] = pad;
  const w = img.width + left + right;
  const h = img.height + top + bottom;
  const out = rgbFloat(w, h);
  for (let y = 0; y < h; y++) {
    const sy = mirror(y - top, img.height);
    for (let x = 0; x < w; x++) {
      const s = 3 * (sy * img.width + mirror(x - left, img.width));
      const o = 3 * (y * w + x);
      out.data[o] = img.data[s];
      out.data[o + 1] = img.data[s + 1];
      out.data[o + 2] = img.data[s + 2];
    }
  }
  // the weight: 1 - (distance to the nearer padded edge, in units of that side's pad), the larger of the two axes
  const mask = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const my = 1 - Math.min(y / top, (h - 1 - y) / bottom);
    for (let x = 0; x < w; x++) {
      const near = x / left < (w - 1 - x) / right ? x / left : (w - 1 - x) / right;
      mask[y * w + x] = 1 - near > my ? 1 - near : my;
    }
  }
  const blurred = gaussianBlur(out, size * 0.02);
  const d = out.data;
  for (let i = 0; i < w * h; i++) {
    const k = clamp(mask[i] * 3 + 1, 0, 1);
    for (let c = 0; c < 3; c++) d[3 * i + c] += (blurred.data[3 * i + c] - d[3 * i + c]) * k;
  }
  const median = [0, 1, 2].map((c) => channelMedian(d, c));
  for (let i = 0; i < w * h; i++) {
    const k = clamp(mask[i], 0, 1);
    for (let c = 0; c < 3; c++) {
      const v = d[3 * i + c] + (median[c] - d[3 * i + c]) * k;
      d[3 * i + c] = clamp(floor(v + 0.5), 0, 255);
    }
  }
  return out;
}
