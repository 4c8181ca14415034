import { PreviewBudget } from '../../plugin/drag/previewBudget';

/** A drag of `steps` steps of `stepMs` each with previews of `previewMs`, on a simulated clock. */
function simulate(
  steps: number,
  stepMs: number,
  previewMs: number,
  firstEstimateMs = 0,
): { at: number[]; share: number[] } {
  const budget = new PreviewBudget(1500, 0.25, firstEstimateMs);
  let now = 0;
  budget.begin(now);
  const at: number[] = [];
  const share: number[] = [];
  let spent = 0;
  for (let i = 1; i <= steps; i++) {
    now += stepMs;
    if (budget.due(now)) {
      budget.rendered(now, now + previewMs);
      now += previewMs;
      spent += previewMs;
      at.push(i);
      share.push(spent / now);
    }
  }
  return { at, share };
}

test('cheap previews come about every 1.5 s of steps', () => {
  const { at } = simulate(30, 500, 100);
  expect(at.slice(0, 4)).toEqual([3, 6, 9, 12]);
});

test('expensive previews (a whole synthesis beside windowed steps) stay under a quarter of the run', () => {
  // 0.5 s windowed steps, 2.7 s previews (512 px); the first preview's cost is estimated from the start.
  const { at, share } = simulate(200, 500, 2700, 2700);
  expect(at.length).toBeGreaterThan(5);
  share.forEach((s) => expect(s).toBeLessThanOrEqual(0.25));
  // Without an estimate, only the first may overshoot; from then on the measured cost keeps the share down.
  const late = simulate(200, 500, 2700);
  expect(late.share[late.share.length - 1]).toBeLessThanOrEqual(0.25);
  for (let i = 1; i < late.at.length; i++) expect(late.at[i] - late.at[i - 1]).toBeGreaterThanOrEqual(3);
});

test('the cadence is stated in words', () => {
  const b = new PreviewBudget();
  b.begin(0);
  b.rendered(2000, 2400);
  expect(b.describe(10000)).toBe(
    "live previews at most every 1.5 s and at most 25% of the run's time, plus one at the end: 1 during 10.0 s (400 ms)",
  );
});
