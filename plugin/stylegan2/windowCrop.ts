import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';

/**
 * Crops a batch of square windows out of whole-image tensors, at offsets given as a graph input, with static
 * shapes. A crop is two matrix products with one-hot selection matrices built in the graph from the offsets
 * (rows: S_y X S_x^T), so it is exact (products with 1 and sums of zeros), its gradient (a scatter back into the
 * whole image, summed over windows) comes from the MatMul rule, and only standard ops are used.
 *
 * `offsets` is [K, 2] (y, x) at resolution `startRes`, where the windows have side `startSize`; a tensor at
 * resolution startRes * 2^j gets offsets and side scaled by 2^j.
 */
export function windowCropper(b: GraphBuilder, offsets: Value, startRes: number, startSize: number): (v: Value) => Value {
  const k = offsets.shape[0];
  const oy = b.reshape(b.slice(offsets, [1], [0], [1]), [k, 1, 1]);
  const ox = b.reshape(b.slice(offsets, [1], [1], [2]), [k, 1, 1]);
  const one = b.scalar(1);
  const zero = b.scalar(0);
  const cache = new Map<number, { rows: Value; colsT: Value }>();

  /** [K, rows, cols] with 1 where (a rows-by-cols table of index differences) equals the window's offset. */
  const select = (diff: Float32Array, rows: number, cols: number, offset: Value): Value => {
    const d = b.constant([rows, cols], diff);
    return b.where(b.and(b.greaterOrEqual(d, offset), b.lessOrEqual(d, offset)), one, zero);
  };

  const matrices = (res: number): { rows: Value; colsT: Value } => {
    let m = cache.get(res);
    if (m) return m;
    const scale = res / startRes;
    if (!Number.isInteger(Math.log2(scale)) || scale < 1) throw new Error(`cannot window a ${res} px tensor from a ${startRes} px start`);
    const s = startSize * scale;
    // rows[k, i, h] = 1 where h - i = oy_k * scale; colsT[k, w, j] = 1 where w - j = ox_k * scale.
    const rowDiff = new Float32Array(s * res);
    for (let i = 0; i < s; i++) for (let h = 0; h < res; h++) rowDiff[i * res + h] = h - i;
    const colDiff = new Float32Array(res * s);
    for (let w = 0; w < res; w++) for (let j = 0; j < s; j++) colDiff[w * s + j] = w - j;
    m = {
      rows: b.reshape(select(rowDiff, s, res, b.scale(oy, scale)), [k, 1, s, res]),
      colsT: b.reshape(select(colDiff, res, s, b.scale(ox, scale)), [k, 1, res, s]),
    };
    cache.set(res, m);
    return m;
  };

  return (v) => {
    const [n, , h, w] = v.shape;
    if (n !== 1 || h !== w) throw new Error(`window crops take one square image, got [${v.shape.join(', ')}]`);
    const m = matrices(h);
    return b.matmul(b.matmul(m.rows, v), m.colsT);
  };
}
