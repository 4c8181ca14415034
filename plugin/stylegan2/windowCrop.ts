import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';

/**
 * Crops batches of square windows with static shapes, at offsets given as a graph input. A crop is two matrix
 * products with one-hot selection matrices built in the graph from the offsets (S_y X S_x^T), so it is exact
 * (products with 1, sums of zeros), rows that fall outside the source select nothing (zero), its gradient (a
 * scatter back, summed over windows) comes from the MatMul rule, and only standard ops are used.
 *
 * `offsets` is [K, B, 2]: for each of K windows and each of B windowed blocks, the (y, x) offset of the block's
 * input window in its whole-image input; `sizes[j]` is that window's side.
 */
export interface WindowCropper {
  /** Block j's input windows [K, C, s_j, s_j]: from the whole image [1, C, r, r] (j = 0) or block j - 1's windows. */
  enter(x: Value, j: number): Value;
  /** Block j's constant noise [1, 1, R, R] (R = twice its input resolution) cropped to its output windows. */
  noise(v: Value, j: number): Value;
}

export function windowCropper(b: GraphBuilder, offsets: Value, sizes: readonly number[]): WindowCropper {
  const [k, nb] = offsets.shape;
  const axis = (a: number, j: number): Value => b.reshape(b.slice(offsets, [1, 2], [j, a], [j + 1, a + 1]), [k, 1, 1]);
  const one = b.scalar(1);
  const zero = b.scalar(0);
  const cache = new Map<string, { rows: Value; colsT: Value }>();

  /** rows [K, 1, s, n] = 1 where h - i = dy_k, colsT [K, 1, n, s] = 1 where w - j = dx_k. */
  const selection = (key: string, s: number, n: number, dy: Value, dx: Value): { rows: Value; colsT: Value } => {
    let m = cache.get(key);
    if (m) return m;
    const rowDiff = new Float32Array(s * n);
    for (let i = 0; i < s; i++) for (let h = 0; h < n; h++) rowDiff[i * n + h] = h - i;
    const colDiff = new Float32Array(n * s);
    for (let w = 0; w < n; w++) for (let j = 0; j < s; j++) colDiff[w * s + j] = w - j;
    const pick = (diff: Float32Array, shape: [number, number], offset: Value): Value => {
      const d = b.constant(shape, diff);
      return b.reshape(b.where(b.and(b.greaterOrEqual(d, offset), b.lessOrEqual(d, offset)), one, zero), [
        k,
        1,
        ...shape,
      ]);
    };
    m = { rows: pick(rowDiff, [s, n], dy), colsT: pick(colDiff, [n, s], dx) };
    cache.set(key, m);
    return m;
  };
  const crop = (v: Value, m: { rows: Value; colsT: Value }): Value => b.matmul(b.matmul(m.rows, v), m.colsT);
  const check = (j: number): void => {
    if (j < 0 || j >= nb) throw new Error(`window block ${j} is outside 0..${nb - 1}`);
  };

  return {
    enter(x, j) {
      check(j);
      const n = x.shape[2];
      if (j === 0) return crop(x, selection(`enter0`, sizes[0], n, axis(0, 0), axis(1, 0)));
      // Relative to the previous block's output window, which starts at twice its input offset.
      const rel = (a: number): Value => b.sub(axis(a, j), b.scale(axis(a, j - 1), 2));
      return crop(x, selection(`enter${j}`, sizes[j], n, rel(0), rel(1)));
    },
    noise(v, j) {
      check(j);
      return crop(v, selection(`noise${j}`, 2 * sizes[j], v.shape[2], b.scale(axis(0, j), 2), b.scale(axis(1, j), 2)));
    },
  };
}
