/**
 * The dense flow (plugin/faces/denseFlow.ts) between a picture and the same picture moved by a known smooth field,
 * as a drag moves a GAN render: identical pictures give exactly no motion, and a bump of up to 12 px is recovered.
 */
import { denseFlow, warpByFlow } from '../../plugin/faces/denseFlow';
import { bumpFlow, renderLike } from './flowFixtures';

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
      console.log(
        `${size} px pair: flow in ${ms} ms; error mean ${(sum / count).toFixed(3)} px, worst ${worst.toFixed(2)} px (peak motion ${peak.toFixed(1)} px)`,
      );
      expect(sum / count).toBeLessThan(0.02 * k);
      expect(worst).toBeLessThan(0.02 * peak);
    }
  });
});
