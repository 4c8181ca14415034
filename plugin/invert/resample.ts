/**
 * One axis of a separable resize: for each output index, the source indices and weights (summing to 1).
 * Shrinking uses the area (box) filter, as torch's `mode='area'` and the official projector do, generalised to
 * non-integer ratios so no source pixel is skipped; enlarging uses bilinear with half-pixel centres
 * (torch `align_corners=False`), because a box filter would only repeat pixels.
 */
export interface AxisTaps {
  readonly index: Int32Array[];
  readonly weight: Float64Array[];
}

export function axisTaps(src: number, dst: number): AxisTaps {
  const index: Int32Array[] = [];
  const weight: Float64Array[] = [];
  const scale = src / dst;
  for (let o = 0; o < dst; o++) {
    const idx: number[] = [];
    const wt: number[] = [];
    if (scale >= 1) {
      const lo = o * scale;
      const hi = (o + 1) * scale;
      for (let s = Math.floor(lo); s < Math.ceil(hi - 1e-9); s++) {
        const overlap = Math.min(hi, s + 1) - Math.max(lo, s);
        if (overlap > 1e-12) {
          idx.push(s);
          wt.push(overlap / scale);
        }
      }
    } else {
      const c = Math.max(0, (o + 0.5) * scale - 0.5);
      const s0 = Math.min(Math.floor(c), src - 1);
      const s1 = Math.min(s0 + 1, src - 1);
      const f = c - s0;
      idx.push(s0, s1);
      wt.push(1 - f, f);
    }
    index.push(Int32Array.from(idx));
    weight.push(Float64Array.from(wt));
  }
  return { index, weight };
}
