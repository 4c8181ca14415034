import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx, toOnnxSharing } from '../../plugin/graph/onnx';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';

/**
 * The generator lets a graph's initializers go once its sessions are built (stylegan2/generator.ts), and the node
 * runtime's sessions do not hold them: that is right only while onnxruntime-node copies external data at creation.
 */
test('onnxruntime-node copies external data at creation: the outputs do not change when the arrays are overwritten', async () => {
  const n = 64;
  const ramp = (k: number, f: (i: number) => number) => Float32Array.from({ length: k }, (_, i) => f(i));
  const b = new GraphBuilder();
  const x = b.input('x', [1, n]);
  // an initializer a kernel pre-packs (MatMul's B) and one it reads as it is (Add's)
  const w = b.constant(
    [n, n],
    ramp(n * n, (i) => ((i % 7) - 3) / 8),
  );
  const c = b.constant(
    [1, n],
    ramp(n, (i) => i / 4),
  );
  const graph = b.build('shared', { y: b.add(b.matmul(x, w), c) });
  const { model, externalData } = toOnnxSharing(graph, 256);
  expect(externalData.map((e) => e.data.length)).toEqual([n * n * 4, n * 4]);

  const rt = await ortNodeCpu.create();
  const shared = await rt.createSession(model, { externalData });
  const inline = await rt.createSession(toOnnx(graph));
  const feeds = { x: { shape: [1, n], data: ramp(n, (i) => Math.sin(i)) } };
  const expected = Array.from((await inline.run(feeds)).y.data);
  expect(Array.from((await shared.run(feeds)).y.data)).toEqual(expected);
  for (const e of externalData) e.data.fill(0xff); // NaNs, were they read
  expect(Array.from((await shared.run(feeds)).y.data)).toEqual(expected);
  await Promise.all([shared.release(), inline.release()]);
});
