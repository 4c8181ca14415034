import { toOnnx } from '../../plugin/graph/onnx';
import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { IO, splitVjpGraphs, synthesisGraph, vjpGraph } from '../../plugin/stylegan2/graphs';
import { fixturePackage, reference, relError } from '../helpers/fixtures';
import { onnxOpTypes } from '../helpers/onnxOps';
import { randn } from '../helpers/random';

/** The joint and split VJP graphs, for feature and image cotangents, and weight gradients for pivotal tuning. */
const pkg = fixturePackage('tiny64');
const ref = reference('tiny64').tensors;
const ws = ref.get('ws')!;
const [n, wd, k] = [10, 32, 6];
const wsOpt: HostTensor = { shape: [1, k, wd], data: ws.data.slice(0, k * wd) };
const wsRest: HostTensor = { shape: [1, n - k, wd], data: ws.data.slice(k * wd) };
let rt: Runtime;
beforeAll(async () => {
  rt = await ortNodeCpu.create();
});

test('split forward/backward graphs give the joint graph gradient', async () => {
  const opts = { optimisedRows: k, featureIdx: 4 };
  const joint = await rt.createSession(toOnnx(vjpGraph(pkg, opts)));
  const f4 = ref.get('feat_4')!;
  const dFeat: HostTensor = { shape: f4.shape, data: randn(f4.data.length, 3) };
  const g1 = (await joint.run({ [IO.wsOpt]: wsOpt, [IO.wsRest]: wsRest, [IO.dFeat]: dFeat }))[IO.gradWsOpt];
  const sp = splitVjpGraphs(pkg, opts);
  const fwd = await rt.createSession(toOnnx(sp.forward));
  const bwd = await rt.createSession(toOnnx(sp.backward));
  const fo = await fwd.run({ [IO.wsOpt]: wsOpt, [IO.wsRest]: wsRest });
  const feeds: Record<string, HostTensor> = { [IO.dFeat]: dFeat };
  for (const s of sp.saved) feeds[s.input] = fo[s.output];
  const g2 = (await bwd.run(feeds))[IO.gradWsOpt];
  expect(relError(g2.data, g1.data)).toBeLessThan(1e-6);
  expect(sp.forward.nodes.some((nd) => nd.op === 'ConvTranspose')).toBe(true);
});

test('a preview (polyphase up-sampling) and a gradient graph (transposed) draw the same image to float rounding', async () => {
  // The forms differ by graph (layers.ts, UpsamplingForm): a drag or an inversion shows previews from one and steps
  // from the other, so their images must not differ beyond float32 rounding.
  const preview = synthesisGraph(pkg);
  const step = vjpGraph(pkg, { optimisedRows: n, image: true });
  expect(preview.nodes.some((nd) => nd.op === 'DepthToSpace')).toBe(true);
  expect(step.nodes.some((nd) => nd.op === 'DepthToSpace')).toBe(false);
  const a = (await (await rt.createSession(toOnnx(preview))).run({ [IO.ws]: ws }))[IO.img].data;
  const out = await (
    await rt.createSession(toOnnx(step))
  ).run({ [IO.wsOpt]: ws, [IO.dImg]: ref.get('img_cotangent')! });
  const b = out[IO.img].data;
  expect(relError(a, b)).toBeLessThan(1e-6);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(1e-5);
  // and both are the official image
  expect(relError(a, ref.get('img')!.data)).toBeLessThan(1e-4);
});

test('the image VJP matches PyTorch autograd through the official network', async () => {
  const g = await rt.createSession(toOnnx(vjpGraph(pkg, { optimisedRows: n, image: true })));
  const out = await g.run({ [IO.wsOpt]: ws, [IO.dImg]: ref.get('img_cotangent')! });
  expect(relError(out[IO.gradWsOpt].data, ref.get('grad_ws_img')!.data)).toBeLessThan(1e-3);
});

test('weights exposed as inputs get the official gradients (pivotal tuning)', async () => {
  const name = 'synthesis.b32.conv1.weight';
  const bias = 'synthesis.b64.torgb.bias';
  const graph = vjpGraph(pkg, { optimisedRows: k, image: true, weightInputs: (w) => w === name || w === bias });
  const s = await rt.createSession(toOnnx(graph));
  const r = ref.get('img_cotangent')!;
  const out = await s.run({
    [IO.wsOpt]: wsOpt,
    [IO.wsRest]: wsRest,
    [IO.dImg]: r,
    [name]: pkg.weights.get(name)!,
    [bias]: pkg.weights.get(bias)!,
  });
  expect(relError(out[`grad_${name}`].data, ref.get('grad_weight_img')!.data)).toBeLessThan(1e-3);
  // Unclamped, each colour plane's sum moves one-for-one with that channel's ToRGB bias.
  const gb = out[`grad_${bias}`].data;
  for (let c = 0; c < 3; c++)
    expect(gb[c]).toBeCloseTo(
      r.data.slice(c * 4096, (c + 1) * 4096).reduce((a, b) => a + b, 0),
      2,
    );
});

test("the drag's forward and backward have no op onnxruntime-web's WebGPU provider lacks (And, Identity)", () => {
  // tiny128 has conv_clamp, so its graphs clip, and the backward has Clip's VJP
  const src = fixturePackage('tiny128');
  const sp = splitVjpGraphs(src, { optimisedRows: k, featureIdx: src.config.draggan.feature_idx });
  const [forward, backward] = [sp.forward, sp.backward].map((g) => new Set(onnxOpTypes(toOnnx(g))));
  expect(forward.has('Clip') && backward.has('LessOrEqual')).toBe(true);
  expect([...forward, ...backward].filter((op) => op === 'And' || op === 'Identity')).toEqual([]);
});
