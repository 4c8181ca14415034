import type { FeatureGeometry } from './bilinear';

/**
 * The mask term: lambda * mean over channels and image pixels of |(F - F0) * fixed| on the up-sampled maps, where
 * `fixed` = 1 - flexible mask. By linearity of the up-sampling, F_up - F0_up = (F - F0)_up, so one map is sampled.
 * Accumulates the gradient into dF and returns the term's value.
 *
 * The up-sampling is separable, so it runs channel by channel as a column pass then a row pass (and the adjoint in
 * reverse): at 512 px that is a 67M-value map the official code materialises, here streamed one row at a time.
 */
export function fixedRegionLoss(
  geo: FeatureGeometry,
  f: Float32Array,
  f0: Float32Array,
  fixed: Uint8Array,
  lambda: number,
  df: Float32Array,
): number {
  const { fh, fw, h, w, channels } = geo;
  const plane = fh * fw;
  const n = channels * h * w;
  const rows = fixedRows(fixed, h, w);
  const dx = new Float64Array(fh * w); // the map up-sampled along x only
  const gdx = new Float64Array(fh * w);
  let sum = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * plane;
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < w; x++) {
        const t = geo.colTaps[x];
        const i = base + y * fw;
        const a = f[i + t.i0] - f0[i + t.i0];
        const b = f[i + t.i1] - f0[i + t.i1];
        dx[y * w + x] = a + t.l1 * (b - a);
      }
    }
    gdx.fill(0);
    for (const y of rows) {
      const t = geo.rowTaps[y];
      const r0 = t.i0 * w;
      const r1 = t.i1 * w;
      const l0 = 1 - t.l1;
      for (let x = 0; x < w; x++) {
        if (!fixed[y * w + x]) continue;
        const v = l0 * dx[r0 + x] + t.l1 * dx[r1 + x];
        sum += Math.abs(v);
        const g = (lambda * Math.sign(v)) / n;
        gdx[r0 + x] += l0 * g;
        gdx[r1 + x] += t.l1 * g;
      }
    }
    for (let y = 0; y < fh; y++) {
      const i = base + y * fw;
      for (let x = 0; x < w; x++) {
        const g = gdx[y * w + x];
        if (g === 0) continue;
        const t = geo.colTaps[x];
        df[i + t.i0] += (1 - t.l1) * g;
        df[i + t.i1] += t.l1 * g;
      }
    }
  }
  return (lambda * sum) / n;
}

function fixedRows(fixed: Uint8Array, h: number, w: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (fixed[y * w + x]) {
        out.push(y);
        break;
      }
    }
  }
  return out;
}
