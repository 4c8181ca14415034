import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx } from '../../plugin/graph/onnx';
import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { blockResolutions } from '../../plugin/stylegan2/config';
import { IO, synthesisGraph, type GeneratorSource } from '../../plugin/stylegan2/graphs';
import { upsample2d } from '../../plugin/stylegan2/layers';
import { fixturePackage, reference, relError } from '../helpers/fixtures';

/** The skip architecture's running RGB image after a block (what the fast inversion scores start candidates on). */
const pkg = fixturePackage('tiny64');
const ws = reference('tiny64').tensors.get('ws')!;
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
