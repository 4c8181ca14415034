/** Pictures and displacement fields with known motion, for the flow and composite tests. */
import type { Flow } from '../../plugin/faces/denseFlow';
import { rgbFloat, type RgbFloat } from '../../plugin/faces/rgbFloat';

/** A smooth-plus-detail picture, like a GAN render of a face: blobs and stripes at a few scales. */
export function renderLike(size: number, seed = 1): RgbFloat {
  const img = rgbFloat(size, size);
  img.data.fill(128);
  const waves = Array.from({ length: 12 }, (_, k) => ({
    fx: Math.sin(seed * 7.1 + k * 1.3) * (0.02 + 0.015 * k),
    fy: Math.cos(seed * 3.7 + k * 2.1) * (0.02 + 0.015 * k),
    ph: k * 0.9 + seed,
  }));
  const s = (128 / size) * 4;
  // sin(a + b) = sin a cos b + cos a sin b, from per-column and per-row tables (Math calls are slow under Jest)
  for (const w of waves) {
    for (let c = 0; c < 3; c++) {
      const amp = 18 / (1 + c * 0.3);
      const sx = Float64Array.from({ length: size }, (_, x) => Math.sin(w.fx * x * s + w.ph + c));
      const cx = Float64Array.from({ length: size }, (_, x) => Math.cos(w.fx * x * s + w.ph + c));
      const sy = Float64Array.from({ length: size }, (_, y) => Math.sin(w.fy * y * s));
      const cy = Float64Array.from({ length: size }, (_, y) => Math.cos(w.fy * y * s));
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) img.data[3 * (y * size + x) + c] += amp * (sx[x] * cy[y] + cx[x] * sy[y]);
    }
  }
  return img;
}

/** A displacement field: a smooth bump of `amp` (dx, dy) px at (cx, cy), standard deviation sigma. */
export function bumpFlow(size: number, cx: number, cy: number, sigma: number, amp: { x: number; y: number }): Flow {
  const dx = new Float32Array(size * size);
  const dy = new Float32Array(size * size);
  const gx = Float64Array.from({ length: size }, (_, x) => Math.exp(-((x - cx) ** 2) / (2 * sigma * sigma)));
  const gy = Float64Array.from({ length: size }, (_, y) => Math.exp(-((y - cy) ** 2) / (2 * sigma * sigma)));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const g = gx[x] * gy[y];
      dx[y * size + x] = amp.x * g;
      dy[y * size + x] = amp.y * g;
    }
  }
  return { width: size, height: size, dx, dy };
}
