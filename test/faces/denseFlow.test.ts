/**
 * The dense flow (plugin/faces/denseFlow.ts) between a picture and the same picture moved by a known smooth field,
 * as a drag moves a GAN render: identical pictures give exactly no motion, and a bump of up to 12 px is recovered.
 */
import { denseFlow, warpByFlow, type Flow } from '../../plugin/faces/denseFlow';
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
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) img.data[3 * (y * size + x) + c] += amp * (sx[x] * cy[y] + cx[x] * sy[y]);
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

describe('dense flow', () => {
  it('finds no motion at all between identical pictures', () => {
    const a = renderLike(128);
    const f = denseFlow(a, { ...a, data: a.data.slice() });
    expect(f.dx.every((v) => v === 0) && f.dy.every((v) => v === 0)).toBe(true);
  });

  it('recovers a smooth 12 px bump and runs a 512 px pair in about a second', () => {
    for (const size of [256, 512]) {
      const r = renderLike(size);
      const k = size / 256;
      const truth = bumpFlow(size, 100 * k, 120 * k, 30 * k, { x: 9 * k, y: -6 * k });
      const e = warpByFlow(r, truth);
      const t0 = Date.now();
      const f = denseFlow(r, e);
      const ms = Date.now() - t0;
      // away from the picture's border, where the edge clamp leaves the warp ambiguous
      let sum = 0;
      let worst = 0;
      let count = 0;
      const m = 16 * k;
      for (let y = m; y < size - m; y++) {
        for (let x = m; x < size - m; x++) {
          const i = y * size + x;
          const err = Math.hypot(f.dx[i] - truth.dx[i], f.dy[i] - truth.dy[i]);
          sum += err;
          worst = Math.max(worst, err);
          count++;
        }
      }
      const peak = Math.hypot(9, 6) * k;
      console.log(`${size} px pair: flow in ${ms} ms; error mean ${(sum / count).toFixed(3)} px, worst ${worst.toFixed(2)} px (peak motion ${peak.toFixed(1)} px)`);
      expect(sum / count).toBeLessThan(0.02 * k);
      expect(worst).toBeLessThan(0.02 * peak);
    }
  });
});
