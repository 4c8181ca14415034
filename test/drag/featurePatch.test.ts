import { FeatureGeometry, type Taps } from '../../plugin/drag/bilinear';
import { FeaturePatch, PatchTaps } from '../../plugin/drag/featurePatch';

/**
 * The reference the patch must match, written the direct way: grid_sample(up-sampled map, align_corners=True,
 * padding zeros) at fractional image position (y, x) as bilinear taps of the four surrounding image pixels, and the
 * adjoint of sampling.
 */
function fractionalTaps(geo: FeatureGeometry, y: number, x: number): Taps {
  const t: Taps = { index: [], weight: [] };
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const ly = y - y0;
  const lx = x - x0;
  const corners: [number, number, number][] = [
    [y0, x0, (1 - ly) * (1 - lx)],
    [y0, x0 + 1, (1 - ly) * lx],
    [y0 + 1, x0, ly * (1 - lx)],
    [y0 + 1, x0 + 1, ly * lx],
  ];
  for (const [yy, xx, wgt] of corners)
    if (wgt !== 0 && yy >= 0 && yy < geo.h && xx >= 0 && xx < geo.w) geo.addPixel(yy, xx, wgt, t);
  return t;
}

function scatter(geo: FeatureGeometry, df: Float32Array, taps: Taps, g: Float64Array): void {
  for (let c = 0; c < geo.channels; c++)
    for (let k = 0; k < taps.index.length; k++) df[c * geo.plane + taps.index[k]] += taps.weight[k] * g[c];
}

// 16 x 16 cells up-sampled to 128 px (the bundled model's block 2), and a map that does not divide evenly
const geometries = [new FeatureGeometry(5, 16, 16, 128, 128), new FeatureGeometry(3, 7, 9, 50, 61)];

function randomMap(geo: FeatureGeometry, seed: number): Float32Array {
  let s = seed;
  return new Float32Array(geo.channels * geo.plane).map(
    () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1,
  );
}

describe.each(geometries)('FeaturePatch on %o', (geo) => {
  const f = randomMap(geo, 7);
  const patch = new FeaturePatch(geo, f, 0, geo.h - 1, 0, geo.w - 1);
  const taps = new PatchTaps();
  const out = new Float64Array(geo.channels);
  const positions = [
    [0, 0],
    [3.25, 7.5],
    [geo.h - 1, geo.w - 1],
    [geo.h - 1.4, 0.6],
    [-0.5, 4.2],
    [geo.h - 0.3, geo.w - 0.7],
    [11.9, 2.01],
  ];

  test('samples integer pixels as the up-sampled map does', () => {
    for (const [y, x] of [
      [0, 0],
      [5, 9],
      [geo.h - 1, 3],
      [17, geo.w - 1],
    ]) {
      const want = geo.sample(f, geo.pixelTaps(y, x));
      patch.sample(patch.pixel(y, x, taps), out);
      want.forEach((v, c) => expect(out[c]).toBeCloseTo(v, 12));
    }
  });

  test('samples fractional positions (zero outside the image) as grid_sample does', () => {
    for (const [y, x] of positions) {
      const want = geo.sample(f, fractionalTaps(geo, y, x));
      patch.sample(patch.fractional(y, x, taps), out);
      want.forEach((v, c) => expect(out[c]).toBeCloseTo(v, 12));
    }
  });

  test('l1Towards gives the L1 distance and scatters its gradient through the shifted sample only', () => {
    const sub = new FeaturePatch(geo, f, 2, 9, 1, 12);
    const a = new PatchTaps();
    const b = new PatchTaps();
    sub.pixel(5, 6, a);
    sub.fractional(5.6, 6.8, b);
    const fa = geo.sample(f, geo.pixelTaps(5, 6));
    const fbTaps = fractionalTaps(geo, 5.6, 6.8);
    const fb = geo.sample(f, fbTaps);
    const l1 = fa.reduce((s, v, c) => s + Math.abs(v - fb[c]), 0);
    expect(sub.l1Towards(a, b, 0.5)).toBeCloseTo(l1, 12);
    const got = new Float32Array(f.length);
    sub.addGradientTo(got);
    const want = new Float32Array(f.length);
    scatter(
      geo,
      want,
      fbTaps,
      fa.map((v, c) => -Math.sign(v - fb[c]) * 0.5),
    );
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    // a cell the shifted sample does not read gets nothing
    expect(got[geo.plane - 1]).toBe(0);
  });
});
