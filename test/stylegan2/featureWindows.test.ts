import { ffhqShapeConfig } from '../../plugin/model/randomModel';
import { chooseWindows, WindowAxis } from '../../plugin/stylegan2/featureWindows';
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

function run(axis: WindowAxis, x: number[], origins: number[]): number[] {
  let v = x;
  axis.stages.forEach((s, i) => (v = layer(s, v, (p) => Math.sin(p * 1.7 + i), origins[i + 1])));
  return v;
}

test.each([
  [8, 2, 7],
  [16, 2, 12],
  [32, 1, 5],
  [4, 3, 15],
  [16, 3, 40],
])('windows from a %i px start through %i blocks hold the whole computation inside every %i px box', (startRes, blocks, n) => {
  const axis = new WindowAxis(startRes, blocks);
  const x = Array.from({ length: startRes }, (_, i) => Math.cos(i * 0.9) + 0.1 * i);
  const whole = run(axis, x, new Array<number>(axis.stages.length + 1).fill(0));
  const size = axis.sizeFor(n);
  for (let a = -n + 1; a < axis.featureRes; a++) {
    const lo = Math.max(a, 0);
    const hi = Math.min(a + n, axis.featureRes);
    const o = axis.offsetFor([lo, hi], size);
    const win = axis.windows(o, size);
    const out = run(axis, x.slice(o, o + size), win.map((w) => w[0]));
    for (let p = lo; p < hi; p++) expect(out[p - win[win.length - 1][0]]).toBe(whole[p]);
  }
});

test('a halo one pixel short is caught: the plan is what makes the windows exact', () => {
  const axis = new WindowAxis(16, 2);
  const x = Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.9) + 0.1 * i);
  const whole = run(axis, x, new Array<number>(axis.stages.length + 1).fill(0));
  const need: [number, number] = [30, 40];
  const o = axis.offsetFor(need, axis.sizeFor(10));
  const short = axis.windows(o + 1, axis.sizeFor(10) - 1);
  const out = run(axis, x.slice(o + 1, o + axis.sizeFor(10)), short.map((w) => w[0]));
  const base = short[short.length - 1][0];
  const diffs = [];
  for (let p = need[0]; p < need[1]; p++) diffs.push(out[p - base] - whole[p]);
  expect(diffs.some((d) => d !== 0)).toBe(true);
});

test('the crossover: one handle on a 512 px FFHQ-shaped model windows from the 64 px block; many handles on the tiny model do not', () => {
  const one = chooseWindows(ffhqShapeConfig(512), 5, 12, 1);
  expect(one.cheaper).toBe(true);
  expect(one.plan?.startBlock).toBe(4);
  expect(one.windowMacs / one.wholeMacs).toBeLessThan(0.25);
  const tiny = fixturePackage('tiny128').config;
  expect(chooseWindows(tiny, 5, 15, 2).cheaper).toBe(true);
  expect(chooseWindows(tiny, 5, 15, 40).cheaper).toBe(false);
});
