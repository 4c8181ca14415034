import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx } from '../../plugin/graph/onnx';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { onnxOpTypes } from '../helpers/onnxOps';

/** Graph outputs are named on the node that computes them: no Identity nodes (onnxruntime's WebGPU has no kernel). */
test('an output that other nodes also read is the computed value itself, and the graph gives the same numbers', async () => {
  const b = new GraphBuilder();
  const x = b.input('x', [3]);
  const h = b.mul(x, b.scalar(2));
  const y = b.add(h, b.scalar(1));
  // h: an output and an intermediate; x: an output that is a graph input, which still needs its Identity;
  // y under two names: one of them stays an Identity
  const model = toOnnx(b.build('outputs', { h, y, y2: y, x_out: x }));
  expect(onnxOpTypes(model).sort()).toEqual(['Add', 'Identity', 'Identity', 'Mul']);
  const s = await (await ortNodeCpu.create()).createSession(model);
  const out = await s.run({ x: { shape: [3], data: new Float32Array([1, 2, 3]) } });
  expect(Array.from(out.h.data)).toEqual([2, 4, 6]);
  expect(Array.from(out.y.data)).toEqual([3, 5, 7]);
  expect(Array.from(out.y2.data)).toEqual([3, 5, 7]);
  expect(Array.from(out.x_out.data)).toEqual([1, 2, 3]);
  await s.release();
});
