import { frameTimeline, HOLD_FRAMES } from '../../plugin/engine/frameTimeline';

test('plain: every frame once, in step order', () => {
  expect(frameTimeline(5, { ease: false, loop: false })).toEqual([0, 1, 2, 3, 4]);
  expect(frameTimeline(1, { ease: true, loop: true })).toEqual([0]);
  expect(frameTimeline(0, { ease: false, loop: false })).toEqual([]);
});

test('loop: forward then back without showing either end twice in a row when the player wraps', () => {
  const t = frameTimeline(4, { ease: false, loop: true });
  expect(t).toEqual([0, 1, 2, 3, 2, 1]);
  // wrapping from the last shown frame to the first is one step, as everywhere else
  expect(Math.abs(t[t.length - 1] - t[0])).toBe(1);
});

test('ease: start and result held, motion slow at the ends and fast in the middle, in order', () => {
  const n = 21;
  const t = frameTimeline(n, { ease: true, loop: false });
  expect(t.slice(0, HOLD_FRAMES + 1)).toEqual(Array(HOLD_FRAMES + 1).fill(0));
  expect(t.slice(-HOLD_FRAMES - 1)).toEqual(Array(HOLD_FRAMES + 1).fill(n - 1));
  const moving = t.slice(HOLD_FRAMES, t.length - HOLD_FRAMES);
  const deltas = moving.slice(1).map((x, i) => x - moving[i]);
  expect(deltas.every((d) => d >= 0)).toBe(true);
  const mid = deltas.length >> 1;
  expect(deltas[mid]).toBeGreaterThan(deltas[0]);
  expect(deltas[mid]).toBeGreaterThan(deltas[deltas.length - 1]);
});
