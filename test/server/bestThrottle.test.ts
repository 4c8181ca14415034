import { bestThrottle } from '../../plugin/hosts/server/bestThrottle';

test('the first best fit goes at once, then at most one per interval', () => {
  let t = 0;
  const throttle = bestThrottle(1000, () => t);
  const sent: number[] = [];
  for (t = 0; t <= 3500; t += 100) if (throttle.due()) sent.push(t);
  expect(sent).toEqual([0, 1000, 2000, 3000]);
});

test('an interval of 0 sends every best fit', () => {
  const throttle = bestThrottle(0, () => 5);
  expect([throttle.due(), throttle.due(), throttle.due()]).toEqual([true, true, true]);
});
