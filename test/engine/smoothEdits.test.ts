import { smoothEdits } from '../../plugin/engine/smoothEdits';

const frames = (...values: number[][]) => values.map((v) => Float32Array.from(v));
const change = (xs: Float32Array[]) => xs.slice(1).reduce((s, x, f) => s + Math.abs(x[0] - xs[f][0]), 0);

test('an edit that is the same on every frame is kept as it is, the ends of the clip included', () => {
  const same = frames(...Array.from({ length: 7 }, () => [0.5, -2, 3]));
  for (const x of smoothEdits(same)) expect(Array.from(x)).toEqual([0.5, -2, 3].map((v) => expect.closeTo(v, 6)));
});

test('one frame whose drag ran on is drawn toward its neighbours: the frame-to-frame change falls, the mean stays', () => {
  const jittered = frames([1], [1], [1], [2.2], [1], [1], [1], [1], [1], [1], [1], [1]);
  const out = smoothEdits(jittered);
  expect(change(out)).toBeLessThan(change(jittered) / 3);
  expect(out[3][0]).toBeLessThan(1.5);
  expect(out[3][0]).toBeGreaterThan(1);
  // beyond the filter's reach (3 sigma) the edits are as they were
  expect(out[11][0]).toBeCloseTo(1, 6);
});

test('an edit growing along the clip keeps growing (only the jitter is filtered); sigma 0 changes nothing', () => {
  const ramp = frames(...Array.from({ length: 10 }, (_, f) => [f + (f % 2 ? 0.4 : -0.4)]));
  const out = smoothEdits(ramp);
  for (let f = 1; f < out.length; f++) expect(out[f][0]).toBeGreaterThan(out[f - 1][0]);
  expect(smoothEdits(ramp, 0).map((x) => x[0])).toEqual(ramp.map((x) => x[0]));
});

test('edits of different latent shapes are refused', () => {
  expect(() => smoothEdits(frames([1, 2], [1]))).toThrow(/one latent shape/);
});
