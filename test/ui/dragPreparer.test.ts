import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Point } from '../../plugin/core/types';
import type { Engine } from '../../plugin/engine/engine';
import { DragPreparer, PREPARE_DELAY_MS, type NextDrag } from '../../plugin/ui/dragPreparer';

/** The panel builds the next drag's steps ahead while points are placed: once per change, later, off-thread only. */
function harness(stepsPerCall: number) {
  const calls: { handles: number; masked: boolean }[] = [];
  const engine = {
    description: 'fake',
    model: { id: 'm' },
    stepsPerCall,
    prepareDrag: async (handles: readonly Point[], masked: boolean) => {
      calls.push({ handles: handles.length, masked });
    },
  } as unknown as Engine;
  let controller: ReactiveController | undefined;
  const host = { addController: (c: ReactiveController) => (controller = c) } as unknown as ReactiveControllerHost;
  const next: NextDrag = { engine, handles: [], masked: () => false, hp: { r1: 3 }, busy: false };
  new DragPreparer(host, () => next);
  const update = (change: Partial<NextDrag>) => {
    Object.assign(next, change);
    controller?.hostUpdated?.();
  };
  return { calls, update };
}

const at = (n: number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: i }));

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('points placed one after another build once, for the count they end at, after a pause', () => {
  const { calls, update } = harness(100000);
  update({ handles: at(1) });
  jest.advanceTimersByTime(PREPARE_DELAY_MS / 2);
  update({ handles: at(2) });
  expect(calls).toEqual([]);
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(calls).toEqual([{ handles: 2, masked: false }]);
  // moving a point changes nothing that is built
  update({
    handles: [
      { x: 9, y: 9 },
      { x: 3, y: 4 },
    ],
  });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(calls).toHaveLength(1);
  // a mask or another radius does
  update({ masked: () => true });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  update({ hp: { r1: 5 } });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(calls).toEqual([
    { handles: 2, masked: false },
    { handles: 2, masked: true },
    { handles: 2, masked: true },
  ]);
});

test("nothing is built while something runs, with no points, or on the panel's own thread", () => {
  const busy = harness(100000);
  busy.update({ handles: at(1), busy: true });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(busy.calls).toEqual([]);
  // it starts once the run is over
  busy.update({ busy: false });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(busy.calls).toHaveLength(1);

  const none = harness(100000);
  none.update({ handles: [] });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(none.calls).toEqual([]);

  const sameThread = harness(1);
  sameThread.update({ handles: at(2) });
  jest.advanceTimersByTime(PREPARE_DELAY_MS);
  expect(sameThread.calls).toEqual([]);
});
