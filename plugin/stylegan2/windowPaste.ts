import type { HostTensor } from '../graph/tensor';
import type { FeatureBox } from './featureWindows';

/** A windowed feature block's output and where its windows lie. */
export interface FeatureWindows {
  /** [K, C, s, s]. */
  values: HostTensor;
  /** [K, 2] (y, x) window offsets in feature-map pixels. */
  offsets: Float32Array;
  /** The exact part of each window: the box it was planned for. */
  boxes: readonly FeatureBox[];
}

/** The whole feature map [1, C, res, res] with each window's box pasted in; zero outside every box. */
export function pasteWindows(w: FeatureWindows, res: number): HostTensor {
  const [k, c, s] = w.values.shape;
  const src = w.values.data;
  const out = new Float32Array(c * res * res);
  for (let i = 0; i < k; i++) {
    const { y0, y1, x0, x1 } = w.boxes[i];
    const oy = w.offsets[2 * i];
    const ox = w.offsets[2 * i + 1];
    for (let ch = 0; ch < c; ch++) {
      const from = (i * c + ch) * s * s;
      const to = ch * res * res;
      for (let y = y0; y < y1; y++) {
        const row = from + (y - oy) * s - ox;
        out.set(src.subarray(row + x0, row + x1), to + y * res + x0);
      }
    }
  }
  return { shape: [1, c, res, res], data: out };
}

/**
 * The windows' cotangent [K, C, s, s] from the whole map's: each pixel of a box goes to the first window whose box
 * holds it, so overlapping boxes count it once, as the whole computation does.
 */
export function splitCotangent(w: FeatureWindows, d: HostTensor): HostTensor {
  const [k, c, s] = w.values.shape;
  const res = d.shape[2];
  const claimed = new Uint8Array(res * res);
  const out = new Float32Array(k * c * s * s);
  for (let i = 0; i < k; i++) {
    const { y0, y1, x0, x1 } = w.boxes[i];
    const oy = w.offsets[2 * i];
    const ox = w.offsets[2 * i + 1];
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = y * res + x;
        if (claimed[p]) continue;
        claimed[p] = 1;
        const q = (y - oy) * s + (x - ox);
        for (let ch = 0; ch < c; ch++) out[(i * c + ch) * s * s + q] = d.data[ch * res * res + p];
      }
    }
  }
  return { shape: [k, c, s, s], data: out };
}
