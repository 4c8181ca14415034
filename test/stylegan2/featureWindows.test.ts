import { ffhqShapeConfig } from '../../plugin/model/randomModel';
import {
  axisOffsets,
  blockSizes,
  chooseWindows,
  WindowAxis,
  type WindowPlan,
} from '../../plugin/stylegan2/featureWindows';
import { fixturePackage } from '../helpers/fixtures';

/**
 * The window planning against a one-dimensional model of the synthesis layers it reasons about: the up-sampling
 * transposed convolution (stride 2, 3 taps), the 4-tap FIR filter with padding 1, the 3x3 convolution with padding
 * 1, and per-pixel noise plus a non-linearity. The same layers run on the whole signal and on the planned window
 * (window padding zero, noise cropped at the window's offset); inside the box the values must be identical.
 */
const W_UP = [0.7, -1.3, 0.4];
const FIR = [1, 3, 3, 1].map((t) => t / 8);
const K3 = [0.5, 1.5, -0.25];

function layer(stage: string, x: number[], noise: (i: number) => number, origin: number): number[] {
  const at = (i: number): number => (i >= 0 && i < x.length ? x[i] : 0);
  let y: number[];
  if (stage === 'up') {
    y = new Array<number>(2 * x.length + 1).fill(0);
    x.forEach((v, i) => W_UP.forEach((w, k) => (y[2 * i + k] += v * w)));
  } else if (stage === 'fir') {
    y = Array.from({ length: x.length - 1 }, (_, m) => FIR.reduce((s, f, t) => s + f * at(m - 1 + t), 0));
  } else {
    y = Array.from({ length: x.length }, (_, m) => K3.reduce((s, k, t) => s + k * at(m - 1 + t), 0));
  }
  // Bias, activation and noise: per pixel, at the pixel's place in the whole signal.
  return stage === 'up' ? y : y.map((v, m) => Math.max(v + noise(origin + m), 0.2 * v));
}

/** Runs one block's stages on a window whose stage extents start at `origins` (for the noise). */
function runBlock(axis: WindowAxis, x: number[], origins: number[], block: number): number[] {
  let v = x;
  axis.stages.forEach((s, i) => (v = layer(s, v, (p) => Math.sin(p * 1.7 + i + 3 * block), origins[i + 1])));
  return v;
}

const RES = [4, 8, 16, 32, 64, 128, 256];

/** The whole signal through blocks start..feature. */
function whole(x: number[], start: number, feature: number): number[] {
  let v = x;
  for (let k = start; k <= feature; k++) v = runBlock(new WindowAxis(RES[k - 1], 1), v, [0, 0, 0, 0], k);
  return v;
}

/** The planned windows: block k's input window cropped from the whole input or from block k - 1's output window. */
function windowed(
  x: number[],
  plan: WindowPlan,
  feature: number,
  box: [number, number],
  shrink = 0,
): { values: number[]; origin: number } {
  const offsets = axisOffsets(RES, plan, feature, box);
  let v = x;
  let origin = 0;
  plan.sizes.forEach((size, j) => {
    const k = plan.startBlock + j;
    const o = offsets[j] + shrink;
    const s = size - shrink;
    v = Array.from({ length: s }, (_, i) => v[o - origin + i] ?? 0);
    const axis = new WindowAxis(RES[k - 1], 1);
    v = runBlock(
      axis,
      v,
      axis.windows(o, s).map((w) => w[0]),
      k,
    );
    origin = 2 * o;
  });
  return { values: v, origin };
}

test.each([
  [3, 4, 7],
  [4, 5, 12],
  [5, 5, 5],
  [2, 4, 15],
  [1, 5, 40],
  [3, 6, 9],
])(
  'windows from block %i to feature block %i hold the whole computation inside every %i px box',
  (start, feature, n) => {
    const x = Array.from({ length: RES[start - 1] }, (_, i) => Math.cos(i * 0.9) + 0.1 * i);
    const full = whole(x, start, feature);
    const plan: WindowPlan = { startBlock: start, sizes: blockSizes(RES, start, feature, n), count: 1 };
    const fres = RES[feature];
    for (let a = -n + 1; a < fres; a++) {
      const box: [number, number] = [Math.max(a, 0), Math.min(a + n, fres)];
      const { values, origin } = windowed(x, plan, feature, box);
      for (let p = box[0]; p < box[1]; p++) expect(values[p - origin]).toBe(full[p]);
    }
  },
);

test('windows one pixel short are caught: the plan is what makes them exact', () => {
  const x = Array.from({ length: RES[3] }, (_, i) => Math.cos(i * 0.9) + 0.1 * i);
  const full = whole(x, 4, 5);
  const plan: WindowPlan = { startBlock: 4, sizes: blockSizes(RES, 4, 5, 10), count: 1 };
  const box: [number, number] = [60, 70];
  const { values, origin } = windowed(x, plan, 5, box, 1);
  const diffs = [];
  for (let p = box[0]; p < box[1]; p++) diffs.push((values[p - origin] ?? NaN) - full[p]);
  expect(diffs.some((d) => d !== 0)).toBe(true);
});

test('the crossover: one handle on a 512 px FFHQ-shaped model windows at under 15% of the whole map work; many handles on the tiny model do not', () => {
  const one = chooseWindows(ffhqShapeConfig(512), 5, 12, 1);
  expect(one.cheaper).toBe(true);
  expect(one.plan?.startBlock).toBeLessThanOrEqual(4);
  expect(one.windowMacs / one.wholeMacs).toBeLessThan(0.15);
  const tiny = fixturePackage('tiny128').config;
  expect(chooseWindows(tiny, 5, 15, 2).cheaper).toBe(true);
  expect(chooseWindows(tiny, 5, 15, 40).cheaper).toBe(false);
});
