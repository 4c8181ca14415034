import { driftOutside, landmarkIndices, runLandmarkBenchmark } from '../../plugin/eval/landmarkBenchmark';
import type { LandmarkDetector, Rgba8 } from '../../plugin/eval/landmarkDetector';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { fixturePackage } from '../helpers/fixtures';

/** A stand-in detector: intensity-weighted centroids of each colour channel, a smooth function of the image. */
const centroidDetector: LandmarkDetector = {
  names: ['pupil_l', 'pupil_r', 'nose_tip', 'mouth_l', 'mouth_r', 'jaw0'],
  async detect(img: Rgba8) {
    const out = [];
    for (let k = 0; k < 6; k++) {
      const c = k % 3;
      let sx = 0;
      let sy = 0;
      let s = 0;
      for (let y = 0; y < img.height; y++) {
        for (let x = 0; x < img.width; x++) {
          const v = (k < 3 ? img.data[(y * img.width + x) * 4 + c] : 255 - img.data[(y * img.width + x) * 4 + c]) ** 2;
          sx += v * x;
          sy += v * y;
          s += v;
        }
      }
      out.push({ x: sx / s, y: sy / s });
    }
    return out;
  },
};

test('point sets follow the paper: nose tip, the five-point set, or every landmark', () => {
  expect(landmarkIndices(centroidDetector.names, 1)).toEqual([2]);
  expect(landmarkIndices(centroidDetector.names, 5)).toEqual([0, 1, 2, 3, 4]);
  expect(landmarkIndices(centroidDetector.names, 'all')).toEqual([0, 1, 2, 3, 4, 5]);
  expect(() => landmarkIndices(['a'], 1)).toThrow(/no landmark named nose_tip/);
});

test('drift counts only pixels away from every point', () => {
  const a: Rgba8 = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
  const b: Rgba8 = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
  b.data[(5 * 10 + 5) * 4] = 90; // a change next to the point: ignored
  expect(driftOutside(a, b, [{ x: 5, y: 5 }], 2)).toBe(0);
  b.data[0] = 90; // a change far away: counted
  expect(driftOutside(a, b, [{ x: 5, y: 5 }], 2)).toBeGreaterThan(0);
});

test('the protocol runs pair by pair and reports MD before/after, steps, seconds and drift', async () => {
  const gen = new Generator(fixturePackage('tiny128'), await ortNodeCpu.create());
  try {
    const seen: number[] = [];
    const r = await runLandmarkBenchmark(
      gen,
      centroidDetector,
      { lr: 0.05, r1: 3, r2: 12, lambda: 20, featureIdx: 5, optimisedRows: 6, mode: 'w+', maxSteps: 5 },
      { pairs: 2, points: 5, seed: 10, onPair: (_p, i) => seen.push(i) },
    );
    expect(seen).toEqual([0, 1]);
    expect(r.pairs.map((p) => p.seeds)).toEqual([[10, 11], [12, 13]]);
    for (const p of r.pairs) {
      expect(p.mdBefore).toBeGreaterThan(0);
      expect(Number.isFinite(p.mdAfter)).toBe(true);
      expect(p.steps).toBeLessThanOrEqual(5);
      expect(p.drift).toBeGreaterThanOrEqual(0);
    }
    expect(r.ratio).toBeCloseTo(r.md_after / r.md_before, 10);
  } finally {
    await gen.release();
  }
});
