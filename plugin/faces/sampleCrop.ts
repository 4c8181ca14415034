import { pixelSpan, type Affine } from './affine';
import type { FaceImage } from './faceImage';

/** Supersampling cap: beyond 8x8 samples per output pixel the cost grows faster than aliasing shrinks. */
const MAX_SAMPLES = 8;

/**
 * Renders an `size` x `size` crop of the picture as a network input: NCHW RGB 0..255 floats. Crop pixel (u, v)
 * covers [u, u+1) x [v, v+1) and `toPicture` maps crop coordinates to picture coordinates in the same continuous
 * convention (picture pixel i covers [i, i+1)). Outside the picture is black, as face-api pads its inputs. When a crop
 * pixel spans several picture pixels it averages an n x n grid of bilinear samples, so a large photo shrunk to the
 * detector's 416 px does not alias.
 */
export function sampleCrop(img: FaceImage, toPicture: Affine, size: number): Float32Array {
  const { width: w, height: h, data } = img;
  const ch = img.channels ?? 4;
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const n = Math.min(MAX_SAMPLES, Math.max(1, Math.ceil(pixelSpan(toPicture) - 1e-9)));
  const { a, b, c, d, e, f } = toPicture;
  const acc = [0, 0, 0];
  const bilinear = (x: number, y: number): void => {
    // pixel centres sit at i + 0.5
    const fx = x - 0.5;
    const fy = y - 0.5;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const tx = fx - x0;
    const ty = fy - y0;
    for (let j = 0; j < 2; j++) {
      const yy = y0 + j;
      if (yy < 0 || yy >= h) continue;
      const wy = j ? ty : 1 - ty;
      for (let i = 0; i < 2; i++) {
        const xx = x0 + i;
        if (xx < 0 || xx >= w) continue;
        const wgt = wy * (i ? tx : 1 - tx);
        const at = (yy * w + xx) * ch;
        acc[0] += wgt * data[at];
        acc[1] += wgt * data[at + 1];
        acc[2] += wgt * data[at + 2];
      }
    }
  };
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sv = 0; sv < n; sv++) {
        const cv = v + (sv + 0.5) / n;
        for (let su = 0; su < n; su++) {
          const cu = u + (su + 0.5) / n;
          bilinear(a * cu + b * cv + c, d * cu + e * cv + f);
        }
      }
      const k = v * size + u;
      const norm = 1 / (n * n);
      out[k] = acc[0] * norm;
      out[plane + k] = acc[1] * norm;
      out[2 * plane + k] = acc[2] * norm;
    }
  }
  return out;
}
