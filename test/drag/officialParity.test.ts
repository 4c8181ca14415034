import { DragSession } from '../../plugin/drag/dragSession';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { fixturePackage, reference, relError, row, type ReferenceMeta } from '../helpers/fixtures';
import { officialPairs, officialSettings } from '../helpers/officialDragSetup';
import { fixture } from '../model/fixtures';

/** The drag loop against the official renderer run on the same checkpoint (test/fixtures/reference/tiny128.*). */
const ref = reference('tiny128');
const meta: ReferenceMeta = ref.meta;
const pkg = fixturePackage('tiny128');
const [numWs, wDim] = [12, 64];
let gen: Generator;

beforeAll(async () => {
  gen = new Generator(pkg, await ortNodeCpu.create());
});
afterAll(() => gen.release());

const pairs = officialPairs(meta);

function session(ws: Float32Array, lr: number, steps = 10, on: Generator = gen): DragSession {
  const hp = officialSettings({ lr, r1: 3, r2: 12, featureIdx: meta.feature_idx, maxSteps: steps });
  const s = new DragSession(on, { shape: [1, numWs, wDim], data: ws }, hp);
  s.setPoints(pairs);
  return s;
}

function flexibleMask(): Float32Array {
  const { row0, row1, col0, col1 } = meta.mask.flexible_rect;
  const m = new Float32Array(128 * 128);
  for (let y = row0; y < row1; y++) for (let x = col0; x < col1; x++) m[y * 128 + x] = 1;
  return m;
}

const wsAt = (name: string, k: number): Float32Array => row(ref.tensor(name), k, [1, numWs, wDim]).data;

test('motion-supervision loss and its gradient match PyTorch autograd through the official network', async () => {
  const s = session(wsAt('drag_ws', 0), meta.lr);
  const e = await s.evaluate();
  expect(e?.grad).toBeDefined();
  expect(e!.loss).toBeCloseTo(meta.drag.loss[0], 5);
  const official = ref.tensor('grad_ws').data.slice(0, 6 * wDim);
  expect(relError(e!.grad!, official)).toBeLessThan(1e-3);
});

test('with the fixed-region term, the loss and gradient match too', async () => {
  const s = session(wsAt('drag_mask_ws', 0), meta.lr);
  s.setMask({ width: 128, height: 128, data: flexibleMask() });
  await s.step();
  expect(relError(s.latent().data, wsAt('drag_mask_ws', 1))).toBeLessThan(1e-5);
  const e = await s.evaluate();
  expect(e!.loss).toBeCloseTo(meta.drag_mask.loss[1], 4);
  expect(relError(e!.grad!, ref.tensor('grad_ws_mask').data.slice(0, 6 * wDim))).toBeLessThan(1e-3);
});

// tiny128_tf.pkl: the same generator saved as NVIDIA's TensorFlow-era networks are (models/recipes/make_tf_checkpoint.py)
test.each([
  ['the tiny128 package', () => gen],
  [
    'tiny128_tf.pkl imported',
    () => new Generator(importCheckpoint(fixture('checkpoints', 'tiny128_tf.pkl')), gen.runtime),
  ],
])('tracked handles follow the official implementation step for step, within 1 px (%s)', async (_name, make) => {
  const fast = meta.drag_fast;
  const on = make();
  const s = session(wsAt('drag_fast_ws', 0), fast.lr!, 10, on);
  const tracked: [number, number][][] = [];
  const latents: Float32Array[] = [];
  const paths = new Set<string | undefined>();
  await s.run({
    onStep: (r) => {
      paths.add(r.path);
      tracked.push(r.points.map((p) => [p.y, p.x]));
      latents.push(s.latent().data);
    },
  });
  expect(tracked).toHaveLength(10);
  // Windowing is on by default (no mask): these are exact windowed steps.
  expect([...paths]).toEqual(['window']);
  tracked.forEach((pts, k) =>
    pts.forEach(([y, x], j) => {
      expect(Math.abs(y - fast.tracked_points[k][j][0])).toBeLessThanOrEqual(1);
      expect(Math.abs(x - fast.tracked_points[k][j][1])).toBeLessThanOrEqual(1);
    }),
  );
  // Adam matches torch.optim.Adam: after k updates the latent is the one the official step k + 1 used.
  for (let k = 1; k < 10; k++) expect(relError(latents[k - 1], wsAt('drag_fast_ws', k))).toBeLessThan(1e-4);
  if (on !== gen) await on.release();
});
