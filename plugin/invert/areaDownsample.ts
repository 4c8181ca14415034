import type { HostTensor } from '../graph/tensor';
import { axisTaps } from './resample';

/**
 * [1, C, H, W] -> [1, C, r, rw] (rw = r unless given: a portrait model's lower levels are half as wide) by the area
 * filter (resample.ts): what the image looks like at a lower level.
 */
export function areaDownsample(img: HostTensor, r: number, rw = r): HostTensor {
  const [, c, h, w] = img.shape;
  const rows = axisTaps(h, r);
  const cols = axisTaps(w, rw);
  const out = new Float32Array(c * r * rw);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < rw; x++) {
        let v = 0;
        rows.index[y].forEach((sy, i) =>
          cols.index[x].forEach(
            (sx, j) => (v += rows.weight[y][i] * cols.weight[x][j] * img.data[(ch * h + sy) * w + sx]),
          ),
        );
        out[(ch * r + y) * rw + x] = v;
      }
    }
  }
  return { shape: [1, c, r, rw], data: out };
}
