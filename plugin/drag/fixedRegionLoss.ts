import type { FeatureGeometry } from './bilinear';

/**
 * The mask term: lambda * mean over channels and image pixels of |(F - F0) * fixed| on the up-sampled maps, where
 * `fixed` = 1 - flexible mask. By linearity of the up-sampling, F_up - F0_up = (F - F0)_up, so one map is sampled.
 * Accumulates the gradient into dF and returns the term's value.
 */
export function fixedRegionLoss(geo: FeatureGeometry, f: Float32Array, f0: Float32Array, fixed: Uint8Array, lambda: number, df: Float32Array): number {
  const diff = new Float32Array(f.length);
  for (let i = 0; i < f.length; i++) diff[i] = f[i] - f0[i];
  const n = geo.channels * geo.h * geo.w;
  const v = new Float64Array(geo.channels);
  const g = new Float64Array(geo.channels);
  let sum = 0;
  for (let y = 0; y < geo.h; y++) {
    for (let x = 0; x < geo.w; x++) {
      if (!fixed[y * geo.w + x]) continue;
      const taps = geo.pixelTaps(y, x);
      geo.sample(diff, taps, v);
      for (let c = 0; c < geo.channels; c++) {
        sum += Math.abs(v[c]);
        g[c] = (lambda * Math.sign(v[c])) / n;
      }
      geo.scatter(df, taps, g);
    }
  }
  return (lambda * sum) / n;
}
