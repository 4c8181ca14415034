import { FeatureGeometry } from '../../plugin/drag/bilinear';
import { officialPulls } from '../../plugin/drag/motionSupervision';
import {
  maskBalance,
  robustPulls,
  ROBUST_MIN_DISC_PX,
  ROBUST_WEIGHT_CAP_PX,
} from '../../plugin/drag/robustSupervision';
import { patchReference, robustTrackingBlock, trackPointSubPixel } from '../../plugin/drag/robustTracking';
import type { GeneratorConfig } from '../../plugin/stylegan2/config';
import { referenceFeature, trackPoint } from '../../plugin/drag/tracking';
import type { Point } from '../../plugin/core/types';

// A 48x48 feature map at image resolution (no up-sampling), each channel a smooth bump: content at a position.
const N = 48;
const geo = new FeatureGeometry(8, N, N, N, N);
const bumps: Point[] = Array.from({ length: 8 }, (_, c) => ({ x: 10 + 4 * c, y: 14 + ((c * 7) % 20) }));

function features(shift: Point): Float32Array {
  const f = new Float32Array(8 * N * N);
  for (let c = 0; c < 8; c++) {
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        const b = bumps[c];
        f[c * N * N + y * N + x] = Math.exp(-((x - shift.x - b.x) ** 2 + (y - shift.y - b.y) ** 2) / 60);
      }
    }
  }
  return f;
}

test('the robust tracker follows content that moved a fraction of a pixel to within a tenth of a pixel', () => {
  const p = { x: 24, y: 22 };
  const ref = patchReference(geo, features({ x: 0, y: 0 }), p);
  for (const shift of [
    { x: 0.4, y: -0.3 },
    { x: -1.3, y: 0.6 },
    { x: 2.2, y: 1.7 },
  ]) {
    const q = trackPointSubPixel(geo, features(shift), ref, p, 3);
    expect(Math.abs(q.x - (p.x + shift.x))).toBeLessThan(0.1);
    expect(Math.abs(q.y - (p.y + shift.y))).toBeLessThan(0.1);
  }
  // the official tracker is whole-pixel
  const official = trackPoint(
    geo,
    features({ x: 0.4, y: -0.3 }),
    referenceFeature(geo, features({ x: 0, y: 0 }), p),
    p,
    3,
  );
  expect(Number.isInteger(official.x) && Number.isInteger(official.y)).toBe(true);
});

test('the robust tracker stays on its content where the official one jumps to a look-alike 6 px away', () => {
  const p = { x: 24, y: 22 };
  const f0 = features({ x: 0, y: 0 });
  const f1 = features({ x: 0.5, y: 0 });
  // a look-alike: at (30, 22) the handle's own feature, amid different surroundings
  for (let c = 0; c < 8; c++) f1[c * N * N + 22 * N + 30] = f0[c * N * N + 22 * N + 24];
  expect(trackPoint(geo, f1, referenceFeature(geo, f0, p), p, 8).x).toBe(30);
  const q = trackPointSubPixel(geo, f1, patchReference(geo, f0, p), p, 3);
  expect(Math.hypot(q.x - 24.5, q.y - 22)).toBeLessThan(0.5);
});

describe('the robust pulls', () => {
  const r1 = 16;
  test('a handle within 1 px is still drawn onto its target, by its distance; within the settle distance it is let go', () => {
    const [near] = robustPulls([{ x: 10, y: 10 }], [{ x: 10.6, y: 10 }], r1);
    expect(near.shift.x).toBeCloseTo(0.6, 6);
    expect(near.weight).toBeCloseTo(0.6, 6);
    expect(robustPulls([{ x: 10, y: 10 }], [{ x: 10.3, y: 10.3 }], r1)).toEqual([]);
    // the official loop lets go at 1 px
    expect(officialPulls([{ x: 10, y: 10 }], [{ x: 10.6, y: 10 }], r1)).toEqual([]);
  });

  test('far handles get a unit step weighted by their distance (capped), so lagging handles get most of the update', () => {
    const pulls = robustPulls(
      [
        { x: 10, y: 10 },
        { x: 90, y: 10 },
      ],
      [
        { x: 12, y: 10 },
        { x: 90, y: 30 },
      ],
      r1,
    );
    expect(pulls.map((p) => [p.shift.x, p.shift.y])).toEqual([
      [expect.closeTo(1, 6), 0],
      [0, expect.closeTo(1, 6)],
    ]);
    expect(pulls.map((p) => p.weight)).toEqual([expect.closeTo(2, 6), ROBUST_WEIGHT_CAP_PX]);
  });

  test('discs reach half way to the nearest other handle, never below the minimum, never above r1', () => {
    const points = [
      { x: 40, y: 40 },
      { x: 50, y: 40 },
      { x: 42, y: 40 },
      { x: 110, y: 110 },
    ];
    const pulls = robustPulls(
      points,
      points.map((p) => ({ x: p.x + 5, y: p.y })),
      r1,
    );
    expect(pulls.map((p) => p.radius)).toEqual([ROBUST_MIN_DISC_PX, expect.closeTo(4, 6), ROBUST_MIN_DISC_PX, r1]);
  });
});

test('under robust pulls the mask term is scaled by their largest weight, so the weights do not weaken the mask', () => {
  const pulls = robustPulls(
    [
      { x: 10, y: 10 },
      { x: 90, y: 10 },
    ],
    [
      { x: 12, y: 10 },
      { x: 90, y: 30 },
    ],
    16,
  );
  expect(maskBalance(pulls)).toBeCloseTo(ROBUST_WEIGHT_CAP_PX, 6);
  // never below the official balance: handles nearly arrived do not loosen the mask
  expect(maskBalance(robustPulls([{ x: 10, y: 10 }], [{ x: 10.8, y: 10 }], 16))).toBe(1);
  expect(maskBalance([])).toBe(1);
});

test('the robust tracker reads the first block from the feature block at a quarter of the image side or finer', () => {
  const at = (img_resolution: number) =>
    ({
      img_resolution,
      synthesis_kwargs: { architecture: 'skip', channel_base: 32768, channel_max: 512, conv_clamp: null },
    }) as GeneratorConfig;
  // the bundled 128 px model's 16 px feature block: tracked on the 32 px block
  expect(robustTrackingBlock(at(128), 2)).toBe(3);
  expect(robustTrackingBlock(at(128), 4)).toBe(4);
  // an official 512 px model at its default block 5 (128 px) keeps it; the last block is never passed
  expect(robustTrackingBlock(at(512), 5)).toBe(5);
  expect(robustTrackingBlock(at(512), 1)).toBe(5);
  expect(robustTrackingBlock(at(16), 2)).toBe(2);
});
