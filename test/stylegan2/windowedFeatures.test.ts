import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { blockResolutions } from '../../plugin/stylegan2/config';
import type { FeatureBox } from '../../plugin/stylegan2/featureWindows';
import { Generator, KEPT_WINDOW_PLANS } from '../../plugin/stylegan2/generator';
import { fixturePackage, reference, relError } from '../helpers/fixtures';
import { randn } from '../helpers/random';

/**
 * Generator.featureStep on windows against the whole feature map: the values inside every box and the gradient of
 * any cotangent supported on the boxes, for boxes at the borders, overlapping, and in the middle.
 */
const pkg = fixturePackage('tiny128');
const ws = reference('tiny128').tensors.get('ws')!;
const [n, wd, k] = [12, 64, 6];
const wsOpt: HostTensor = { shape: [1, k, wd], data: ws.data.slice(0, k * wd) };
const wsRest: HostTensor = { shape: [1, n - k, wd], data: ws.data.slice(k * wd) };
let windowed: Generator;
let whole: Generator;

beforeAll(async () => {
  const rt = await ortNodeCpu.create();
  windowed = new Generator(pkg, rt);
  windowed.windowPolicy = 'on';
  whole = new Generator(pkg, rt);
  whole.windowPolicy = 'off';
});
afterAll(async () => {
  await windowed.release();
  await whole.release();
});

function inBoxes(boxes: readonly FeatureBox[], y: number, x: number): boolean {
  return boxes.some((b) => y >= b.y0 && y < b.y1 && x >= b.x0 && x < b.x1);
}

test.each([
  [
    5,
    11,
    [
      { y0: 0, y1: 11, x0: 0, x1: 11 },
      { y0: 117, y1: 128, x0: 60, x1: 71 },
      { y0: 40, y1: 51, x0: 44, x1: 55 },
      { y0: 45, y1: 56, x0: 50, x1: 61 },
    ],
  ],
  [
    4,
    9,
    [
      { y0: 0, y1: 5, x0: 55, x1: 64 },
      { y0: 20, y1: 29, x0: 30, x1: 39 },
    ],
  ],
  [3, 6, [{ y0: 13, y1: 19, x0: 26, x1: 32 }]],
])(
  'feature block %i, boxes up to %i px: the same features inside the boxes and the same gradient',
  async (featureIdx, size, boxes) => {
    const request = { size: size as number, boxes: boxes as FeatureBox[] };
    const a = await windowed.featureStep(wsOpt, wsRest, featureIdx as number, request);
    const b = await whole.featureStep(wsOpt, wsRest, featureIdx as number, request);
    expect([a.path, b.path]).toEqual(['window', 'whole']);
    const res = blockResolutions(pkg.config)[featureIdx as number];
    const c = b.feat.shape[1];
    const inside: number[] = [];
    const d = randn(b.feat.data.length, 5);
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < res; y++) {
        for (let x = 0; x < res; x++) {
          const i = (ch * res + y) * res + x;
          if (inBoxes(request.boxes, y, x)) inside.push(i);
          else d[i] = 0;
        }
      }
    }
    expect(
      relError(
        inside.map((i) => a.feat.data[i]),
        inside.map((i) => b.feat.data[i]),
      ),
    ).toBeLessThan(1e-6);
    const cot: HostTensor = { shape: b.feat.shape, data: d };
    const [ga, gb] = [await a.gradient(cot), await b.gradient(cot)];
    expect(relError(ga.data, gb.data)).toBeLessThan(1e-5);
  },
);

test('window plans past the last few release their sessions, except one with a step in flight, and compile again when used', async () => {
  const rt = await ortNodeCpu.create();
  const live = new Set<string>();
  const counting: typeof rt = {
    ...rt,
    backend: rt.backend,
    description: rt.description,
    createSession: async (model, options) => {
      const s = await rt.createSession(model, options);
      const label = `${options?.label}#${Math.random()}`;
      live.add(label);
      return {
        ...s,
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run: s.run.bind(s),
        runKeeping: s.runKeeping.bind(s),
        release: async () => {
          live.delete(label);
          await s.release();
        },
      };
    },
  };
  const gen = new Generator(pkg, counting);
  gen.windowPolicy = 'on';
  const box = (i: number): FeatureBox => ({ y0: 5 * i, y1: 5 * i + 6, x0: 8, x1: 14 });
  const request = (count: number) => ({ size: 6, boxes: Array.from({ length: count }, (_, i) => box(i)) });
  const windowSessions = () => [...live].filter((l) => l.includes(':w')).length;
  try {
    // a step with 1 handle stays in flight (not disposed) while 2..6 handles come and go
    const held = await gen.featureStep(wsOpt, wsRest, 3, request(1));
    for (let count = 2; count <= 6; count++) {
      const step = await gen.featureStep(wsOpt, wsRest, 3, request(count));
      await step.gradient(step.feat);
      step.dispose();
    }
    await new Promise((r) => setTimeout(r, 50));
    // KEPT_WINDOW_PLANS plans: the held one (its forward; no backward yet) and the most recent others (both halves)
    expect(windowSessions()).toBe(1 + 2 * (KEPT_WINDOW_PLANS - 1));
    const grad = await held.gradient(held.feat);
    held.dispose();
    expect(grad.data.every(Number.isFinite)).toBe(true);
    // an evicted plan compiles again and gives the same features as before
    const again = await gen.featureStep(wsOpt, wsRest, 3, request(2));
    again.dispose();
    expect(again.path).toBe('window');
  } finally {
    await gen.release();
  }
});

test("a tracking block runs on in the same pass: its map is the features graph's, the feature block and its gradient are unchanged", async () => {
  const request = { size: 6, boxes: [{ y0: 5, y1: 11, x0: 5, x1: 11 }] };
  const plain = await windowed.featureStep(wsOpt, wsRest, 2, request);
  const tracked = await windowed.featureStep(wsOpt, wsRest, 2, request, 3);
  try {
    // a later block's map is whole, so the step is too, whatever the window policy
    expect([plain.path, tracked.path]).toEqual(['window', 'whole']);
    expect(plain.tracking).toBeUndefined();
    const expected = await whole.features({ shape: [1, n, wd], data: ws.data }, 3);
    expect(tracked.tracking!.shape).toEqual(expected.shape);
    expect(relError(tracked.tracking!.data, expected.data)).toBeLessThan(1e-6);
    const reference = await whole.featureStep(wsOpt, wsRest, 2);
    expect(relError(tracked.feat.data, reference.feat.data)).toBeLessThan(1e-6);
    const cot: HostTensor = { shape: reference.feat.shape, data: randn(reference.feat.data.length, 9) };
    expect(relError((await tracked.gradient(cot)).data, (await reference.gradient(cot)).data)).toBeLessThan(1e-6);
    reference.dispose();
  } finally {
    plain.dispose();
    tracked.dispose();
  }
});
