import type { HostTensor } from '../graph/tensor';
import { axisTaps } from './resample';

/** [1, C, H, W] -> [1, C, r, r] by the area filter (resample.ts): what the image looks like at a lower level. */
export function areaDownsample(img: HostTensor, r: number): HostTensor {
  const [, c, h, w] = img.shape;
  const rows = axisTaps(h, r);
  const cols = axisTaps(w, r);
  const out = new Float32Array(c * r * r);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++) {
        let v = 0;
        rows.index[y].forEach((sy, i) =>
          cols.index[x].forEach(
            (sx, j) => (v += rows.weight[y][i] * cols.weight[x][j] * img.data[(ch * h + sy) * w + sx]),
          ),
        );
        out[(ch * r + y) * r + x] = v;
      }
    }
  }
  return { shape: [1, c, r, r], data: out };
}
