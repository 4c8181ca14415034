import type { Image8 } from '../../plugin/codecs/image8';
import { discMask, driftOutside, landmarkIndices, runLandmarkBenchmark } from '../../plugin/eval/landmarkBenchmark';
import type { LandmarkDetector } from '../../plugin/eval/landmarkDetector';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { fixturePackage } from '../helpers/fixtures';

/** A stand-in detector: intensity-weighted centroids of each colour channel, a smooth function of the image. */
const centroidDetector: LandmarkDetector = {
  names: ['pupil_l', 'pupil_r', 'nose_tip', 'mouth_l', 'mouth_r', 'jaw0'],
  async detect(img: Image8) {
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
  const a: Image8 = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
  const b: Image8 = { width: 10, height: 10, data: new Uint8ClampedArray(400) };
  b.data[(5 * 10 + 5) * 4] = 90; // a change next to the point: ignored
  expect(driftOutside(a, b, [{ x: 5, y: 5 }], 2)).toBe(0);
  b.data[0] = 90; // a change far away: counted
  expect(driftOutside(a, b, [{ x: 5, y: 5 }], 2)).toBeGreaterThan(0);
});

test('the protocol runs pair by pair and reports MD before/after, steps, seconds, drift and lost handles, per method on the same pairs', async () => {
  const gen = new Generator(fixturePackage('tiny128'), await ortNodeCpu.create());
  try {
    const seen: string[] = [];
    const rs = await runLandmarkBenchmark(
      gen,
      centroidDetector,
      { lr: 0.05, r1: 3, r2: 12, lambda: 20, featureIdx: 5, optimisedRows: 6, mode: 'w+', maxSteps: 5 },
      { pairs: 2, points: 5, seed: 10, methods: ['draggan', 'robust'], onPair: (_p, i, m) => seen.push(`${i} ${m}`) },
    );
    expect(seen).toEqual(['0 draggan', '0 robust', '1 draggan', '1 robust']);
    expect(rs.map((r) => r.method)).toEqual(['draggan', 'robust']);
    for (const r of rs) {
      expect(r.pairs.map((p) => p.seeds)).toEqual([
        [10, 11],
        [12, 13],
      ]);
      for (const p of r.pairs) {
        expect(p.mdBefore).toBeGreaterThan(0);
        expect(Number.isFinite(p.mdAfter)).toBe(true);
        expect(p.steps).toBeLessThanOrEqual(5);
        expect(p.drift).toBeGreaterThanOrEqual(0);
        expect(p.handles).toBe(5);
        expect(p.lost).toBeGreaterThanOrEqual(0);
        expect(p.lost).toBeLessThanOrEqual(5);
      }
      expect(r.ratio).toBeCloseTo(r.md_after / r.md_before, 10);
      expect(r.lost_rate).toBeCloseTo(r.pairs.reduce((a, p) => a + p.lost, 0) / 10, 10);
    }
    // the same pairs: the same starting distances for both methods
    expect(rs[1].pairs.map((p) => p.mdBefore)).toEqual(rs[0].pairs.map((p) => p.mdBefore));
  } finally {
    await gen.release();
  }
});

test('the masked variant lets only discs around the handles and targets change', async () => {
  const mask = discMask(
    [
      { x: 2, y: 2 },
      { x: 7, y: 7 },
    ],
    1,
    10,
  );
  const flexible = Array.from(mask.data, (v, i) => [v, i % 10, Math.floor(i / 10)])
    .filter(([v]) => v === 1)
    .map(([, x, y]) => [x, y]);
  expect(flexible).toEqual([
    [2, 1],
    [1, 2],
    [2, 2],
    [3, 2],
    [2, 3],
    [7, 6],
    [6, 7],
    [7, 7],
    [8, 7],
    [7, 8],
  ]);
  const gen = new Generator(fixturePackage('tiny128'), await ortNodeCpu.create());
  try {
    const hp = {
      lr: 0.05,
      r1: 3,
      r2: 12,
      lambda: 20,
      featureIdx: 5,
      optimisedRows: 6,
      mode: 'w+' as const,
      maxSteps: 3,
    };
    const [masked] = await runLandmarkBenchmark(gen, centroidDetector, hp, {
      pairs: 1,
      points: 5,
      seed: 10,
      maskRadius: 8,
    });
    const [free] = await runLandmarkBenchmark(
      gen,
      centroidDetector,
      { ...hp, lambda: 0 },
      { pairs: 1, points: 5, seed: 10, maskRadius: 8 },
    );
    // the same mask, held (lambda 20) or not (lambda 0): holding it keeps the outside stiller
    expect(masked.drift_mean).toBeLessThan(free.drift_mean);
  } finally {
    await gen.release();
  }
});
