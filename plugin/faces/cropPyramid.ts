import { pixelSpan, type Affine } from './affine';
import type { FaceImage } from './faceImage';

/** One level: planar RGB floats (0..255), `scale` picture pixels to one of its pixels. */
interface Level {
  width: number;
  height: number;
  scale: number;
  rgb: Float32Array;
}

/**
 * A picture halved again and again (2x2 box averages), so that many crops of it at many sizes can be rendered with
 * one bilinear sample a crop pixel from the level nearest the crop's own scale: a face search renders thousands of
 * crops, and sampleCrop's supersampling (up to 8x8 samples a pixel) made a large picture's big windows cost more
 * than the network that reads them. The crops are a little softer than sampleCrop's; the search renders the crops it
 * measures landmarks on with sampleCrop.
 */
export class CropPyramid {
  private readonly levels: Level[] = [];

  constructor(image: FaceImage) {
    const { width, height, data } = image;
    const ch = image.channels ?? 4;
    const n = width * height;
    const rgb = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      rgb[i] = data[i * ch];
      rgb[n + i] = data[i * ch + 1];
      rgb[2 * n + i] = data[i * ch + 2];
    }
    let level: Level = { width, height, scale: 1, rgb };
    this.levels.push(level);
    while (level.width >= 32 && level.height >= 32) {
      level = halve(level);
      this.levels.push(level);
    }
  }

  /**
   * An `size` x `size` crop as sampleCrop renders it (NCHW RGB 0..255, crop pixel (u, v) covers [u, u+1) x [v, v+1),
   * `toPicture` in the continuous convention, black outside), bilinear from the level whose pixels are nearest the
   * crop's (between 0.71 and 1.41 of them).
   */
  crop(toPicture: Affine, size: number): Float32Array {
    const span = pixelSpan(toPicture);
    const at = Math.min(this.levels.length - 1, Math.max(0, Math.round(Math.log2(span))));
    const { width: w, height: h, scale, rgb } = this.levels[at];
    const plane = w * h;
    const s = 1 / scale;
    const { a, b, c, d, e, f } = toPicture;
    const out = new Float32Array(3 * size * size);
    const outPlane = size * size;
    for (let v = 0; v < size; v++) {
      for (let u = 0; u < size; u++) {
        // the crop pixel's centre, in the level's pixels with centres at whole numbers
        const fx = (a * (u + 0.5) + b * (v + 0.5) + c) * s - 0.5;
        const fy = (d * (u + 0.5) + e * (v + 0.5) + f) * s - 0.5;
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const tx = fx - x0;
        const ty = fy - y0;
        let r = 0,
          g = 0,
          bl = 0;
        for (let j = 0; j < 2; j++) {
          const yy = y0 + j;
          if (yy < 0 || yy >= h) continue;
          const wy = j ? ty : 1 - ty;
          for (let i = 0; i < 2; i++) {
            const xx = x0 + i;
            if (xx < 0 || xx >= w) continue;
            const wgt = wy * (i ? tx : 1 - tx);
            const k = yy * w + xx;
            r += wgt * rgb[k];
            g += wgt * rgb[plane + k];
            bl += wgt * rgb[2 * plane + k];
          }
        }
        const o = v * size + u;
        out[o] = r;
        out[outPlane + o] = g;
        out[2 * outPlane + o] = bl;
      }
    }
    return out;
  }
}

/** The level below: each pixel the mean of a 2x2 block (a last odd row or column averages what it has). */
function halve(l: Level): Level {
  const width = Math.ceil(l.width / 2);
  const height = Math.ceil(l.height / 2);
  const rgb = new Float32Array(3 * width * height);
  const from = l.width * l.height;
  const to = width * height;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const y0 = 2 * y;
      const y1 = Math.min(l.height - 1, y0 + 1);
      for (let x = 0; x < width; x++) {
        const x0 = 2 * x;
        const x1 = Math.min(l.width - 1, x0 + 1);
        const p = c * from;
        rgb[c * to + y * width + x] =
          0.25 *
          (l.rgb[p + y0 * l.width + x0] +
            l.rgb[p + y0 * l.width + x1] +
            l.rgb[p + y1 * l.width + x0] +
            l.rgb[p + y1 * l.width + x1]);
      }
    }
  }
  return { width, height, scale: l.scale * 2, rgb };
}
