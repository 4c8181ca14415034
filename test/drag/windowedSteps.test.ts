import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import { DragSession } from '../../plugin/drag/dragSession';
import type { HandleTarget, StepReport } from '../../plugin/core/types';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { Generator, type WindowPolicy } from '../../plugin/stylegan2/generator';
import { fixturePackage, reference, relError, row, type ReferenceMeta } from '../helpers/fixtures';
import { officialPairs, officialSettings } from '../helpers/officialDragSetup';

/**
 * Windowed drag steps against whole ones on the official-format fixture (tiny128, the checkpoint the official
 * renderer's reference steps were taken on): same tracked points at every step, same latents.
 */
const ref = reference('tiny128');
const meta: ReferenceMeta = ref.meta;
const pkg = fixturePackage('tiny128');
const [numWs, wDim] = [12, 64];
let runtime: Runtime;
const gens = new Map<WindowPolicy, Generator>();

beforeAll(async () => {
  runtime = await ortNodeCpu.create();
  for (const p of ['on', 'off'] as const) {
    const g = new Generator(pkg, runtime);
    g.windowPolicy = p;
    gens.set(p, g);
  }
});
afterAll(async () => {
  for (const g of gens.values()) await g.release();
});

const recipePairs = officialPairs(meta);
const w0 = (name: string): Float32Array => row(ref.tensors.get(name)!, 0, [1, numWs, wDim]).data;

interface Run {
  points: string[];
  latents: Float32Array[];
  paths: (StepReport['path'] | undefined)[];
}

async function drag(
  policy: WindowPolicy,
  pairs: HandleTarget[],
  hp: Partial<DragHyperParameters> = {},
  steps = 10,
): Promise<Run> {
  const s = new DragSession(
    gens.get(policy)!,
    { shape: [1, numWs, wDim], data: w0('drag_fast_ws') },
    officialSettings({ lr: meta.drag_fast.lr!, r1: 3, r2: 12, featureIdx: meta.feature_idx, maxSteps: steps, ...hp }),
  );
  s.setPoints(pairs);
  const out: Run = { points: [], latents: [], paths: [] };
  await s.run({
    onStep: (r) => {
      out.points.push(JSON.stringify(r.points));
      out.latents.push(s.latent().data);
      out.paths.push(r.path);
    },
  });
  return out;
}

function expectSameSteps(windowed: Run, whole: Run, steps = 10): void {
  expect(windowed.paths).toEqual(new Array(steps).fill('window'));
  expect(whole.paths).toEqual(new Array(steps).fill('whole'));
  expect(windowed.points).toEqual(whole.points);
  // The criterion is 1e-4; exact windows land within float32 rounding, far below (a halo one pixel short: ~1e-4).
  windowed.latents.forEach((l, k) => expect(relError(l, whole.latents[k])).toBeLessThan(1e-6));
}

test('on the official parity fixture, windowed and whole steps track the same points and reach the same latents at every step', async () => {
  const [windowed, whole] = [await drag('on', recipePairs), await drag('off', recipePairs)];
  expectSameSteps(windowed, whole);
  // The handles really moved, so tracking was exercised.
  expect(whole.points[9]).not.toEqual(whole.points[0]);
});

test('handles at the image border and handles whose windows overlap give the whole computation too', async () => {
  const pairs: HandleTarget[] = [
    { handle: { x: 1, y: 2 }, target: { x: 20, y: 14 } },
    { handle: { x: 126, y: 120 }, target: { x: 110, y: 127 } },
    { handle: { x: 60, y: 64 }, target: { x: 70, y: 50 } },
    { handle: { x: 63, y: 67 }, target: { x: 50, y: 80 } },
  ];
  // Wider radii (r1 3 px, r2 9 px at 128 px) so the windows are large against the image and overlap.
  const hp = { r1: 12, r2: 36 };
  expectSameSteps(await drag('on', pairs, hp, 6), await drag('off', pairs, hp, 6), 6);
});

test('a feature map coarser than the image (feature_idx 4: 64 px features, 128 px image) windows exactly', async () => {
  const hp = { featureIdx: 4, r1: 12, r2: 36 };
  expectSameSteps(await drag('on', recipePairs, hp, 6), await drag('off', recipePairs, hp, 6), 6);
});

test('with a mask the whole map is computed, and the mask term matches the official renderer after windowed steps', async () => {
  const s = new DragSession(
    gens.get('on')!,
    { shape: [1, numWs, wDim], data: w0('drag_mask_ws') },
    officialSettings({ lr: meta.lr, r1: 3, r2: 12, featureIdx: meta.feature_idx }),
  );
  s.setPoints(recipePairs);
  const { row0, row1, col0, col1 } = meta.mask.flexible_rect;
  const m = new Float32Array(128 * 128);
  for (let y = row0; y < row1; y++) for (let x = col0; x < col1; x++) m[y * 128 + x] = 1;
  s.setMask({ width: 128, height: 128, data: m });
  const first = await s.step();
  expect(first?.report.path).toBe('whole');
  const e = await s.evaluate();
  expect(e!.path).toBe('whole');
  expect(e!.loss).toBeCloseTo(meta.drag_mask.loss[1], 4);

  // Tracking started on windows (no mask), then a mask: the fixed-region term still sees the whole anchor map.
  const late = new DragSession(
    gens.get('on')!,
    { shape: [1, numWs, wDim], data: w0('drag_mask_ws') },
    officialSettings({ lr: meta.lr, r1: 3, r2: 12, featureIdx: meta.feature_idx }),
  );
  late.setPoints(recipePairs);
  expect((await late.step())?.report.path).toBe('window');
  late.setMask({ width: 128, height: 128, data: m });
  const e2 = await late.evaluate();
  expect(e2!.path).toBe('whole');
  expect(e2!.loss).toBeCloseTo(meta.drag_mask.loss[1], 4);
  expect(relError(e2!.grad!, ref.tensors.get('grad_ws_mask')!.data.slice(0, 6 * wDim))).toBeLessThan(1e-3);
});

test("the robust method's patch tracker reads within the windows too, even with radii smaller than its reach", async () => {
  // r1 and r2 of 1 px at 128 px: the official windows (r1 + r2 + 1) would be narrower than the patch the robust
  // tracker samples (its search, the patch's spread, the sub-pixel neighbours)
  const hp = { method: 'robust' as const, r1: 4, r2: 4 };
  const [windowed, whole] = [await drag('on', recipePairs, hp, 6), await drag('off', recipePairs, hp, 6)];
  expect(windowed.paths).toEqual(new Array(6).fill('window'));
  // its points are sub-pixel, so float32 rounding shows in them: equal to a thousandth of a pixel (a feature read
  // outside the windows would be zero there and move them by whole pixels)
  windowed.points.forEach((step, k) => {
    const [a, b] = [
      JSON.parse(step) as { x: number; y: number }[],
      JSON.parse(whole.points[k]) as { x: number; y: number }[],
    ];
    a.forEach((p, i) => expect(Math.hypot(p.x - b[i].x, p.y - b[i].y)).toBeLessThan(1e-3));
  });
  windowed.latents.forEach((l, k) => expect(relError(l, whole.latents[k])).toBeLessThan(1e-5));
});
