import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx } from '../../plugin/graph/onnx';
import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { blockResolutions } from '../../plugin/stylegan2/config';
import { IO, synthesisGraph, vjpGraph, type GeneratorSource } from '../../plugin/stylegan2/graphs';
import { upsample2d } from '../../plugin/stylegan2/layers';
import { wsIndex } from '../../plugin/stylegan2/synthesis';
import { fixturePackage, reference, relError } from '../helpers/fixtures';
import { randn } from '../helpers/random';

/** The skip architecture's running RGB image after a block (coarse inversion steps), its graph and its gradient. */
const pkg = fixturePackage('tiny64');
const ws = reference('tiny64').tensors.get('ws')!;
const [n, wd] = [10, 32];
const BLOCK = 2; // 16 px of tiny64's 4..64
let rt: Runtime;
beforeAll(async () => {
  rt = await ortNodeCpu.create();
});

async function coarseImage(src: GeneratorSource, w: HostTensor, block: number): Promise<HostTensor> {
  const s = await rt.createSession(toOnnx(synthesisGraph(src, { imageBlock: block })));
  return (await s.run({ [IO.ws]: w }))[IO.img];
}

test('the coarse image is the full network’s image when every later ToRGB adds nothing', async () => {
  // With the ToRGB layers after the block zeroed, the full image is the block's running image up-sampled by the
  // same FIR filter, so the two graphs must agree exactly there: an independent check of the truncation.
  const res = blockResolutions(pkg.config);
  const zeroed = new Map(pkg.weights);
  for (const r of res.slice(BLOCK + 1)) {
    for (const p of ['weight', 'bias']) {
      const t = pkg.weights.get(`synthesis.b${r}.torgb.${p}`)!;
      zeroed.set(`synthesis.b${r}.torgb.${p}`, { shape: t.shape, data: new Float32Array(t.data.length) });
    }
  }
  const coarse = await coarseImage(pkg, ws, BLOCK);
  expect(coarse.shape).toEqual([1, 3, res[BLOCK], res[BLOCK]]);
  const full = await rt.createSession(toOnnx(synthesisGraph({ config: pkg.config, weights: zeroed })));
  const img = (await full.run({ [IO.ws]: ws }))[IO.img];
  const b = new GraphBuilder();
  const x = b.input('x', coarse.shape);
  let y = x;
  for (let i = BLOCK + 1; i < res.length; i++) y = upsample2d(b, y, [1, 3, 3, 1]);
  const up = await rt.createSession(toOnnx(b.build('up', { y }, { inputs: [x] })));
  const expected = (await up.run({ x: coarse })).y;
  expect(expected.shape).toEqual(img.shape);
  expect(relError(img.data, expected.data)).toBeLessThan(1e-5);
  // and the truncation is not trivially the same image: the real later ToRGBs change it
  const real = (await (await rt.createSession(toOnnx(synthesisGraph(pkg)))).run({ [IO.ws]: ws }))[IO.img];
  expect(relError(real.data, expected.data)).toBeGreaterThan(1e-2);
});

test('the coarse VJP gives the image of the truncated synthesis and its gradient (finite differences)', async () => {
  const s = await rt.createSession(toOnnx(vjpGraph(pkg, { optimisedRows: n, image: true, imageBlock: BLOCK })));
  const coarse = await coarseImage(pkg, ws, BLOCK);
  const dImg: HostTensor = { shape: coarse.shape, data: randn(coarse.data.length, 5) };
  const out = await s.run({ [IO.wsOpt]: ws, [IO.dImg]: dImg });
  expect(relError(out[IO.img].data, coarse.data)).toBeLessThan(1e-6);
  const grad = out[IO.gradWsOpt].data;
  // rows read only by later blocks get no gradient; the block's own ToRGB row does
  const lastRow = wsIndex(BLOCK, 'torgb');
  for (let r = lastRow + 1; r < n; r++) expect(Math.max(...grad.slice(r * wd, (r + 1) * wd).map(Math.abs))).toBe(0);
  // directional derivative <dImg, d img / d ws . v> by central differences, in a direction over every used row
  const v = randn(ws.data.length, 9);
  const eps = 1e-2;
  const at = async (e: number) => {
    const w = { shape: ws.shape, data: ws.data.map((x, i) => x + e * v[i]) };
    return (await coarseImage(pkg, w, BLOCK)).data.reduce((a, x, i) => a + x * dImg.data[i], 0);
  };
  const fd = ((await at(eps)) - (await at(-eps))) / (2 * eps);
  const analytic = grad.reduce((a, g, i) => a + g * v[i], 0);
  expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic) + 1e-3);
});
