import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import { DragSession } from '../../plugin/drag/dragSession';
import { decodeDragState, encodeDragState } from '../../plugin/remote/stateCodec';
import { DragInputError } from '../../plugin/core/errors';
import type { HandleTarget } from '../../plugin/core/types';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { fixturePackage, reference, row } from '../helpers/fixtures';

const pkg = fixturePackage('tiny128');
const w0 = row(reference('tiny128').tensors.get('drag_fast_ws')!, 0, [1, 12, 64]);
const hp: DragHyperParameters = {
  lr: 0.1,
  r1: 3,
  r2: 12,
  lambda: 20,
  featureIdx: 5,
  optimisedRows: 6,
  mode: 'w+',
  maxSteps: 8,
  stopDistance: 0,
};
const pairs: HandleTarget[] = [
  { handle: { x: 50, y: 40 }, target: { x: 64, y: 52 } },
  { handle: { x: 80, y: 90 }, target: { x: 96, y: 78 } },
];
let gen: Generator;

beforeAll(async () => {
  gen = new Generator(pkg, await ortNodeCpu.create());
});
afterAll(() => gen.release());

function fresh(): DragSession {
  const s = new DragSession(gen, w0, hp);
  s.setPoints(pairs);
  return s;
}

test('cancelling mid-run leaves the last completed step, and resuming continues as if never stopped', async () => {
  const straight = fresh();
  const expected: string[] = [];
  await straight.run({ onStep: (r) => expected.push(JSON.stringify(r.points)) });

  const s = fresh();
  const ac = new AbortController();
  const seen: string[] = [];
  const first = await s.run({
    signal: ac.signal,
    onStep: (r) => {
      seen.push(JSON.stringify(r.points));
      if (r.step === 3) ac.abort();
    },
  });
  expect(first.reason).toBe('cancelled');
  expect(s.steps).toBe(3);
  const second = await s.run({ onStep: (r) => seen.push(JSON.stringify(r.points)) });
  expect(second.reason).toBe('step-cap');
  expect(seen).toEqual(expected);
  expect(Array.from(s.latent().data)).toEqual(Array.from(straight.latent().data));
});

test('an abort during a step discards that step', async () => {
  const s = fresh();
  await s.step();
  const before = Array.from(s.latent().data);
  const ac = new AbortController();
  const pending = s.step(ac.signal);
  ac.abort();
  expect(await pending).toBeUndefined();
  expect(s.steps).toBe(1);
  expect(Array.from(s.latent().data)).toEqual(before);
});

test('reset returns to the starting latent and handles', async () => {
  const s = fresh();
  await s.run({ steps: 3 });
  s.reset();
  expect(s.steps).toBe(0);
  expect(Array.from(s.latent().data)).toEqual(Array.from(w0.data));
  expect(s.points).toEqual(pairs.map((p) => p.handle));
});

test('W mode optimises one shared w for the leading rows', async () => {
  const s = new DragSession(gen, w0, { ...hp, mode: 'w' });
  s.setPoints(pairs);
  await s.run({ steps: 2 });
  const ws = s.latent().data;
  for (let r = 1; r < 6; r++) expect(Array.from(ws.slice(r * 64, (r + 1) * 64))).toEqual(Array.from(ws.slice(0, 64)));
  expect(Array.from(ws.slice(6 * 64))).toEqual(Array.from(w0.data.slice(6 * 64)));
});

test('stops as converged once every handle is on its target', async () => {
  const s = new DragSession(gen, w0, { ...hp, stopDistance: undefined });
  s.setPoints([{ handle: { x: 50, y: 40 }, target: { x: 50, y: 41 } }]);
  const r = await s.run();
  expect(r.reason).toBe('converged');
  expect(r.steps).toBe(0);
});

describe('bad input gets a clear error and changes nothing', () => {
  const cases: [string, () => void, RegExp][] = [
    ['no points', () => fresh().setPoints([]), /no points/],
    [
      'a handle outside the image',
      () => fresh().setPoints([{ handle: { x: 128, y: 3 }, target: { x: 3, y: 3 } }]),
      /handle 1 \(128, 3\) is outside the image.*0\.\.127/,
    ],
    [
      'a negative target',
      () => fresh().setPoints([{ handle: { x: 3, y: 3 }, target: { x: -1, y: 3 } }]),
      /target 1 .* outside the image/,
    ],
    [
      'a non-finite coordinate',
      () => fresh().setPoints([{ handle: { x: NaN, y: 3 }, target: { x: 3, y: 3 } }]),
      /non-finite/,
    ],
    [
      'a mask of the wrong size',
      () => fresh().setMask({ width: 64, height: 64, data: new Float32Array(64 * 64) }),
      /mask is 64x64 but the model's image is 128x128/,
    ],
    [
      'a feature block the model lacks',
      () => new DragSession(gen, w0, { ...hp, featureIdx: 6 }),
      /feature_idx must be 0\.\.5/,
    ],
    [
      'a non-finite learning rate',
      () => new DragSession(gen, w0, { ...hp, lr: NaN }),
      /learning rate must be a number above 0 and at most 1, got NaN/,
    ],
    [
      'a latent of the wrong shape',
      () => new DragSession(gen, { shape: [1, 64], data: new Float32Array(64) }, hp),
      /needs \[1, 12, 64\]/,
    ],
  ];
  test.each(cases)('%s', (_n, f, message) => {
    expect(f).toThrow(DragInputError);
    expect(f).toThrow(message);
  });

  test('a rejected update keeps the previous points and mask', async () => {
    const s = fresh();
    expect(() => s.setPoints([{ handle: { x: 500, y: 3 }, target: { x: 3, y: 3 } }])).toThrow(DragInputError);
    expect(s.points).toEqual(pairs.map((p) => p.handle));
    expect(s.targets).toEqual(pairs.map((p) => p.target));
  });
});

test('a snapshot restored into a new session continues identically (stateless server round trip)', async () => {
  const straight = fresh();
  straight.setMask({
    width: 128,
    height: 128,
    data: new Float32Array(128 * 128).map((_, i) => (i % 128 < 100 ? 1 : 0)),
  });
  const expected: string[] = [];
  await straight.run({ onStep: (r) => expected.push(JSON.stringify(r.points)) });

  let s = fresh();
  s.setMask({ width: 128, height: 128, data: new Float32Array(128 * 128).map((_, i) => (i % 128 < 100 ? 1 : 0)) });
  const seen: string[] = [];
  while (s.steps < hp.maxSteps) {
    await s.run({ steps: 3, onStep: (r) => seen.push(JSON.stringify(r.points)) });
    s = DragSession.restore(gen, s.snapshot());
  }
  expect(seen).toEqual(expected);
  expect(Array.from(s.latent().data)).toEqual(Array.from(straight.latent().data));
});

// at feature block 2 the robust tracker reads block 3 (robustTrackingBlock): a restored state takes that block's anchor map
test.each([5, 2])(
  'the robust method (feature block %i) continues exactly from its state after a trip over the wire, and moves differently from the official loop',
  async (featureIdx) => {
    const robust = { ...hp, featureIdx, method: 'robust' as const };
    const straight = new DragSession(gen, w0, robust);
    straight.setPoints(pairs);
    await straight.run({ steps: 4 });

    const s = new DragSession(gen, w0, robust);
    s.setPoints(pairs);
    await s.run({ steps: 2 });
    const wire = JSON.parse(JSON.stringify(encodeDragState(s.snapshot()))) as unknown;
    const decoded = decodeDragState(wire, 'state');
    expect(decoded.hp.method).toBe('robust');
    const resumed = DragSession.restore(gen, decoded);
    await resumed.run({ steps: 2 });
    expect(resumed.points).toEqual(straight.points);
    expect(Array.from(resumed.latent().data)).toEqual(Array.from(straight.latent().data));

    const official = new DragSession(gen, w0, { ...hp, featureIdx });
    official.setPoints(pairs);
    await official.run({ steps: 4 });
    expect(straight.points).not.toEqual(official.points);
  },
);

test('an unknown method is refused with the ones there are', () => {
  expect(() => new DragSession(gen, w0, { ...hp, method: 'magic' as never })).toThrow(/draggan or robust, got magic/);
});
