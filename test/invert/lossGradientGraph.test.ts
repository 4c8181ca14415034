import { toOnnx } from '../../plugin/graph/onnx';
import { hostTensor, type HostTensor } from '../../plugin/graph/tensor';
import { multiResolutionL2, multiResolutionL2Loss, TARGET_INPUT } from '../../plugin/invert/pixelLoss';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { IO, vjpGraph } from '../../plugin/stylegan2/graphs';
import { fixturePackage, reference, relError } from '../helpers/fixtures';
import { randn } from '../helpers/random';

/**
 * An inversion step runs the generator, the pixel pyramid loss and its gradient in one graph. It must give what the
 * host loss with an image cotangent through the network gives (the step's mathematics before it moved into the graph).
 */
const pkg = fixturePackage('tiny64');
const ws = reference('tiny64').tensors.get('ws')!;
const levels = 3;
let gen: Generator;
let target: HostTensor;
beforeAll(async () => {
  gen = new Generator(pkg, await ortNodeCpu.create());
  // another latent's image, with saturated pixels both ways (this random model's image overshoots many of them)
  const other = hostTensor(
    ws.shape,
    ws.data.map((v, i) => v + 0.3 * randn(ws.data.length, 5)[i]),
  );
  target = (await gen.synthesize(other)).img;
  for (let i = 0; i < target.data.length; i += 7) target.data[i] = i % 2 ? 1 : -1;
});
afterAll(() => gen.release());

test('loss and latent gradient equal the host loss with its image gradient through the network', async () => {
  const step = await gen.imageLossGradient(ws, multiResolutionL2Loss(levels), { [TARGET_INPUT]: target });
  const host = multiResolutionL2(step.img, target, levels);
  const n = gen.numWs;
  const joint = await gen.runtime.createSession(toOnnx(vjpGraph(pkg, { optimisedRows: n, image: true })));
  const present = (await joint.run({ [IO.wsOpt]: ws, [IO.dImg]: host.grad }))[IO.gradWsOpt];
  await joint.release();
  expect(step.loss).toBeCloseTo(host.loss, 6);
  expect(relError(step.grad.data, present.data)).toBeLessThan(1e-4);
});

test('the latent gradient matches a central finite difference of the loss along a random direction', async () => {
  const loss = multiResolutionL2Loss(levels);
  const { grad } = await gen.imageLossGradient(ws, loss, { [TARGET_INPUT]: target });
  const v = randn(ws.data.length, 9);
  const at = async (t: number) => {
    const moved = hostTensor(
      ws.shape,
      ws.data.map((x, i) => x + t * v[i]),
    );
    return multiResolutionL2((await gen.synthesize(moved)).img, target, levels).loss;
  };
  const eps = 1e-2;
  const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
  const analytic = grad.data.reduce((s, g, i) => s + g * v[i], 0);
  // float32 images and the curvature over eps bound the agreement
  expect(Math.abs(analytic - numeric)).toBeLessThan(1e-2 * Math.abs(numeric));
});

test("a coarse step's image is the running image after its block, and its gradient matches a finite difference", async () => {
  const block = 2;
  const loss = multiResolutionL2Loss(2);
  const at = async (w: HostTensor) => (await gen.synthesize(w, { imageBlock: block })).img;
  // the target is a full-size image; a coarse step compares against one of the block's size
  const coarseTarget = await at(
    hostTensor(
      ws.shape,
      ws.data.map((x, i) => x + 0.3 * randn(ws.data.length, 11)[i]),
    ),
  );
  const step = await gen.imageLossGradient(ws, loss, { [TARGET_INPUT]: coarseTarget }, block);
  expect(step.img.shape).toEqual([1, 3, 16, 16]);
  expect(relError(step.img.data, (await at(ws)).data)).toBeLessThan(1e-5);
  expect(step.loss).toBeCloseTo(multiResolutionL2(step.img, coarseTarget, 2).loss, 6);
  // the rows after the block's ToRGB do not reach its image
  const perRow = gen.config.w_dim;
  const lastUsed = 2 * block + 1;
  expect(step.grad.data.subarray((lastUsed + 1) * perRow).every((g) => g === 0)).toBe(true);
  expect(step.grad.data.subarray(lastUsed * perRow, (lastUsed + 1) * perRow).some((g) => g !== 0)).toBe(true);
  const v = randn(ws.data.length, 13);
  const lossAt = async (t: number) =>
    multiResolutionL2(
      await at(
        hostTensor(
          ws.shape,
          ws.data.map((x, i) => x + t * v[i]),
        ),
      ),
      coarseTarget,
      2,
    ).loss;
  const eps = 1e-2;
  const numeric = ((await lossAt(eps)) - (await lossAt(-eps))) / (2 * eps);
  const analytic = step.grad.data.reduce((s, g, i) => s + g * v[i], 0);
  expect(Math.abs(analytic - numeric)).toBeLessThan(1e-2 * Math.abs(numeric));
});
