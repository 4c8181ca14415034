import { hostTensor } from '../../plugin/graph/tensor';
import { multiResolutionL2 } from '../../plugin/invert/pixelLoss';
import { psnr } from '../../plugin/invert/psnr';
import { latentNoiseAt, learningRateAt } from '../../plugin/invert/schedule';
import { planSteps } from '../../plugin/invert/stepPlan';
import { SHORT_PLAN, shortPlanSettings } from '../../plugin/invert/shortPlan';

function pseudoRandom(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 1.6 - 0.8;
  });
}

test('the pixel pyramid gradient matches finite differences', () => {
  const shape = [1, 3, 8, 8];
  const x = hostTensor(shape, pseudoRandom(192, 1));
  const y = hostTensor(shape, pseudoRandom(192, 2));
  const { loss, grad } = multiResolutionL2(x, y, 3);
  expect(loss).toBeGreaterThan(0);
  const h = 1e-3;
  for (const i of [0, 5, 17, 63, 100, 191]) {
    const plus = hostTensor(shape, x.data.slice());
    plus.data[i] += h;
    const minus = hostTensor(shape, x.data.slice());
    minus.data[i] -= h;
    const fd = (multiResolutionL2(plus, y, 3).loss - multiResolutionL2(minus, y, 3).loss) / (2 * h);
    expect(grad.data[i]).toBeCloseTo(fd, 4);
  }
});

test('with a saturated target the gradient still matches finite differences at the coarse levels', () => {
  const shape = [1, 3, 8, 8];
  const x = hostTensor(shape, pseudoRandom(192, 3));
  // every third target pixel at the edge of the range, half of them overshot by the image
  const y = hostTensor(
    shape,
    pseudoRandom(192, 4).map((v, i) => (i % 3 ? v : i % 2 ? 1 : -1)),
  );
  for (let i = 0; i < 192; i += 6) x.data[i] = y.data[i] * 1.5;
  const { grad } = multiResolutionL2(x, y, 3);
  const h = 1e-3;
  for (let i = 0; i < 192; i++) {
    const plus = hostTensor(shape, x.data.slice());
    plus.data[i] += h;
    const minus = hostTensor(shape, x.data.slice());
    minus.data[i] -= h;
    const fd = (multiResolutionL2(plus, y, 3).loss - multiResolutionL2(minus, y, 3).loss) / (2 * h);
    expect(grad.data[i]).toBeCloseTo(fd, 4);
  }
});

test('pixels past a saturated target cost nothing (they display the same), pixels short of it do', () => {
  const y = hostTensor([1, 1, 2, 2], new Float32Array([1, -1, 1, 0]));
  const x = hostTensor([1, 1, 2, 2], new Float32Array([3, -2, 0.5, 0]));
  const { loss, grad } = multiResolutionL2(x, y, 1);
  expect(loss).toBeCloseTo(0.25 / 4);
  expect(Array.from(grad.data)).toEqual([0, 0, -0.25, 0]);
});

test('PSNR uses the full [-1, 1] range as its peak, like 8-bit PSNR, and clamps the image', () => {
  const y = hostTensor([1, 1, 1, 2], new Float32Array([0, 1]));
  expect(psnr(hostTensor([1, 1, 1, 2], new Float32Array([0.02, 5])), y)).toBeCloseTo(
    10 * Math.log10(4 / (0.0004 / 2)),
    6,
  );
  expect(psnr(y, y)).toBe(Infinity);
});

test('learning rate: warm-up, plateau, cosine ramp-down to zero (the official projector schedule)', () => {
  expect(learningRateAt(0, 0.1, 0.05, 0.25)).toBe(0);
  expect(learningRateAt(0.025, 0.1, 0.05, 0.25)).toBeCloseTo(0.05);
  expect(learningRateAt(0.5, 0.1, 0.05, 0.25)).toBeCloseTo(0.1);
  expect(learningRateAt(0.875, 0.1, 0.05, 0.25)).toBeCloseTo(0.05);
  expect(learningRateAt(1, 0.1, 0.05, 0.25)).toBeCloseTo(0);
});

test('latent noise decays quadratically to zero at the ramp length', () => {
  expect(latentNoiseAt(0, 2, 0.05, 0.75)).toBeCloseTo(0.1);
  expect(latentNoiseAt(0.375, 2, 0.05, 0.75)).toBeCloseTo(0.025);
  expect(latentNoiseAt(0.8, 2, 0.05, 0.75)).toBe(0);
});

test('a shortened plan keeps a phase change already past, and moves one still ahead', () => {
  expect(planSteps(300, 0.5)).toEqual({ total: 300, wSteps: 150 });
  expect(planSteps(100, 0.5, 3, { total: 300, wSteps: 150 })).toEqual({ total: 100, wSteps: 50 });
  expect(planSteps(4, 0.5, 3, { total: 300, wSteps: 150 })).toEqual({ total: 4, wSteps: 3 });
  expect(planSteps(100, 0.5, 3, { total: 300, wSteps: 2 })).toEqual({ total: 100, wSteps: 2 });
  expect(planSteps(1, 0.5, 3)).toEqual({ total: 3, wSteps: 3 });
});

test("the fast schedule's plans of 5 to 199 steps: a tenth in W but at least two, W+ at 0.02, the caller's choice first", () => {
  expect(shortPlanSettings(30, {})).toEqual({ wFraction: 0.1, lrWPlus: 0.02 });
  expect(planSteps(30, shortPlanSettings(30, {})!.wFraction)).toEqual({ total: 30, wSteps: 3 });
  expect(planSteps(100, shortPlanSettings(100, {})!.wFraction)).toEqual({ total: 100, wSteps: 10 });
  expect(planSteps(9, shortPlanSettings(9, {})!.wFraction)).toEqual({ total: 9, wSteps: 2 });
  expect(planSteps(5, shortPlanSettings(5, {})!.wFraction)).toEqual({ total: 5, wSteps: 2 });
  expect(planSteps(20, shortPlanSettings(20, {})!.wFraction)).toEqual({ total: 20, wSteps: 2 });
  expect(shortPlanSettings(9, { wFraction: 1, lrWPlus: 0.001 })).toEqual({ wFraction: 1, lrWPlus: 0.001 });
  expect(shortPlanSettings(SHORT_PLAN.below, {})).toBeUndefined();
  expect(shortPlanSettings(SHORT_PLAN.from - 1, {})).toBeUndefined();
});
