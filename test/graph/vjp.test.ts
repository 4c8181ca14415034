import { GraphBuilder } from '../../plugin/graph/builder';
import type { OpType, Value } from '../../plugin/graph/ir';
import { toOnnx } from '../../plugin/graph/onnx';
import { vjp } from '../../plugin/graph/autodiff/reverse';
import { INFERENCE_ONLY, NON_DIFFERENTIABLE, vjpRules } from '../../plugin/graph/autodiff/rules';
import { numel, type HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { randn } from '../helpers/random';

/**
 * Every VJP rule against central finite differences on onnxruntime-node. Each case is a tiny graph; the loss is
 * <y, r> for a random r, evaluated in float64 on the host so only the graph's own float32 rounding enters.
 */
interface OpCase {
  name: string;
  inputs: number[][];
  build(b: GraphBuilder, xs: Value[]): Value;
  /** Input transform keeping finite differences away from kinks or invalid domains. */
  domain?: 'positive' | 'awayFromZero';
  eps?: number;
}

const cases: OpCase[] = [
  {
    name: 'Add broadcast',
    inputs: [
      [2, 3, 4],
      [3, 1],
    ],
    build: (b, [x, y]) => b.add(x, y),
  },
  {
    name: 'Sub broadcast',
    inputs: [
      [2, 1, 4],
      [3, 4],
    ],
    build: (b, [x, y]) => b.sub(x, y),
  },
  {
    name: 'Mul broadcast',
    inputs: [
      [2, 3, 4],
      [1, 3, 1],
    ],
    build: (b, [x, y]) => b.mul(x, y),
  },
  { name: 'Div', inputs: [[3, 4], [4]], build: (b, [x, y]) => b.div(x, y), domain: 'positive' },
  { name: 'Neg', inputs: [[5]], build: (b, [x]) => b.neg(x) },
  { name: 'Sqrt', inputs: [[6]], build: (b, [x]) => b.sqrt(x), domain: 'positive' },
  { name: 'Reciprocal', inputs: [[6]], build: (b, [x]) => b.reciprocal(x), domain: 'positive' },
  { name: 'Abs', inputs: [[6]], build: (b, [x]) => b.abs(x), domain: 'awayFromZero' },
  { name: 'Sin', inputs: [[7]], build: (b, [x]) => b.sin(b.scale(x, 3)) },
  { name: 'Cos', inputs: [[7]], build: (b, [x]) => b.cos(b.scale(x, 3)) },
  {
    name: 'MatMul 2d',
    inputs: [
      [3, 4],
      [4, 5],
    ],
    build: (b, [x, y]) => b.matmul(x, y),
  },
  {
    name: 'MatMul batched broadcast',
    inputs: [
      [2, 3, 4],
      [4, 2],
    ],
    build: (b, [x, y]) => b.matmul(x, y),
  },
  {
    name: 'Conv padded',
    inputs: [
      [1, 3, 5, 6],
      [4, 3, 3, 3],
    ],
    build: (b, [x, w]) => b.conv(x, w, { pads: [1, 1, 1, 1] }),
  },
  {
    name: 'Conv strided asymmetric pads',
    inputs: [
      [2, 2, 7, 6],
      [3, 2, 3, 2],
    ],
    build: (b, [x, w]) => b.conv(x, w, { pads: [2, 1, 0, 1], strides: [2, 2] }),
  },
  {
    name: 'Conv grouped (input only)',
    inputs: [[1, 4, 5, 5]],
    build: (b, [x]) => b.conv(x, b.constant([4, 1, 2, 2], randn(16, 9)), { pads: [1, 1, 1, 1], group: 4 }),
  },
  {
    // a baked-in weight: the input gradient is a plain convolution with the flipped kernel, not ConvTranspose
    name: 'Conv baked-in kernel, asymmetric pads (input only)',
    inputs: [[2, 3, 6, 5]],
    build: (b, [x]) => b.conv(x, b.constant([4, 3, 3, 2], randn(72, 11)), { pads: [2, 1, 0, 1] }),
  },
  {
    // the up-sampling's polyphase convolutions pad past the kernel (a 1-tap phase padded by 1): dy is cropped there
    name: 'Conv baked-in kernel, pads wider than the kernel (input only)',
    inputs: [[1, 3, 4, 5]],
    build: (b, [x]) => b.conv(x, b.constant([2, 3, 1, 2], randn(12, 12)), { pads: [0, 2, 1, 1] }),
  },
  {
    name: 'Conv weight input, pads wider than the kernel',
    inputs: [
      [1, 3, 4, 5],
      [2, 3, 1, 2],
    ],
    build: (b, [x, w]) => b.conv(x, w, { pads: [0, 2, 1, 1] }),
  },
  { name: 'DepthToSpace', inputs: [[1, 8, 2, 3]], build: (b, [x]) => b.depthToSpace(x, 2) },
  { name: 'SpaceToDepth', inputs: [[1, 2, 4, 6]], build: (b, [x]) => b.spaceToDepth(x, 2) },
  {
    name: 'ConvTranspose stride 2',
    inputs: [
      [1, 3, 4, 4],
      [3, 2, 3, 3],
    ],
    build: (b, [x, w]) => b.convTranspose(x, w, { strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'ConvTranspose output padding',
    inputs: [
      [2, 2, 3, 4],
      [2, 3, 4, 4],
    ],
    build: (b, [x, w]) => b.convTranspose(x, w, { strides: [2, 2], pads: [0, 1, 2, 0], outputPadding: [1, 1] }),
  },
  {
    name: 'ConvTranspose grouped (input only)',
    inputs: [[1, 3, 4, 4]],
    build: (b, [x]) =>
      b.convTranspose(x, b.constant([3, 1, 4, 4], randn(48, 5)), { strides: [2, 2], pads: [1, 1, 1, 1], group: 3 }),
  },
  { name: 'LeakyRelu', inputs: [[10]], build: (b, [x]) => b.leakyRelu(x, 0.2), domain: 'awayFromZero' },
  { name: 'Relu', inputs: [[10]], build: (b, [x]) => b.relu(x), domain: 'awayFromZero' },
  { name: 'Clip', inputs: [[12]], build: (b, [x]) => b.clip(b.scale(x, 3), -2.5, 2.5), domain: 'awayFromZero' },
  {
    name: 'Reshape',
    inputs: [[2, 6]],
    build: (b, [x]) => b.mul(b.reshape(x, [3, 4]), b.constant([3, 4], randn(12, 3))),
  },
  {
    name: 'Transpose',
    inputs: [[2, 3, 4]],
    build: (b, [x]) => b.mul(b.transpose(x, [2, 0, 1]), b.constant([4, 2, 3], randn(24, 4))),
  },
  {
    name: 'Concat',
    inputs: [
      [2, 3],
      [2, 2],
      [2, 1],
    ],
    build: (b, xs) => b.mul(b.concat(xs, 1), b.constant([2, 6], randn(12, 5))),
  },
  { name: 'Slice', inputs: [[4, 5]], build: (b, [x]) => b.slice(x, [0, 1], [1, 2], [3, 5]) },
  { name: 'Pad with crop', inputs: [[3, 4]], build: (b, [x]) => b.pad(x, [1, -1, 2, 1]) },
  { name: 'ReduceSum', inputs: [[2, 3, 4]], build: (b, [x]) => b.reduceSum(x, [0, 2], true) },
  { name: 'ReduceMean', inputs: [[2, 3, 4]], build: (b, [x]) => b.reduceMean(x, [1], false) },
  { name: 'Expand', inputs: [[3, 1]], build: (b, [x]) => b.expand(x, [2, 3, 4]) },
  {
    name: 'Where',
    inputs: [[6], [6]],
    build: (b, [x, y]) => b.where(b.greater(b.constant([6], randn(6, 7)), b.scalar(0)), x, y),
  },
  { name: 'Identity', inputs: [[3]], build: (b, [x]) => b.identity(x) },
  {
    name: 'Sign, comparisons, And and Cast carry no gradient',
    inputs: [[5]],
    build: (b, [x]) => {
      const c = b.and(b.greaterOrEqual(x, b.scalar(-5)), b.lessOrEqual(x, b.scalar(5)));
      return b.add(b.add(b.where(c, x, b.scalar(0)), b.sign(x)), b.cast(b.greater(x, b.scalar(0)), 'float32'));
    },
    domain: 'awayFromZero',
  },
];

let runtime: Runtime;
beforeAll(async () => {
  runtime = await ortNodeCpu.create();
});

function prepare(data: Float32Array, domain: OpCase['domain']): Float32Array {
  if (domain === 'positive') return data.map((v) => 0.5 + Math.abs(v));
  if (domain === 'awayFromZero') return data.map((v) => (v >= 0 ? 0.3 + v : -0.3 + v));
  return data;
}

describe('VJP rules match central finite differences', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const b = new GraphBuilder();
    const xs = c.inputs.map((shape, i) => b.input(`x${i}`, shape));
    const y = c.build(b, xs);
    const dy = b.input('dy', y.shape);
    const grads = vjp(b, [y], [dy], xs);
    const fwd = await runtime.createSession(toOnnx(b.build('fwd', { y }, { inputs: xs })));
    const outputs: Record<string, Value> = {};
    grads.forEach((g, i) => {
      if (g) outputs[`g${i}`] = g;
    });
    const bwd = await runtime.createSession(toOnnx(b.build('bwd', outputs, { inputs: [...xs, dy] })));

    const feeds: Record<string, HostTensor> = {};
    c.inputs.forEach((shape, i) => (feeds[`x${i}`] = { shape, data: prepare(randn(numel(shape), 100 + i), c.domain) }));
    const r = randn(numel(y.shape), 7);
    const loss = async (): Promise<number> => {
      const out = (await fwd.run(feeds)).y.data;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i] * r[i];
      return s;
    };
    const g = await bwd.run({ ...feeds, dy: { shape: y.shape, data: r } });

    const eps = c.eps ?? 1e-2;
    for (let i = 0; i < xs.length; i++) {
      const x = feeds[`x${i}`].data;
      const analytic = g[`g${i}`]?.data ?? new Float32Array(x.length);
      const numeric = new Float64Array(x.length);
      for (let j = 0; j < x.length; j++) {
        const keep = x[j];
        x[j] = keep + eps;
        const up = await loss();
        x[j] = keep - eps;
        const down = await loss();
        x[j] = keep;
        numeric[j] = (up - down) / (2 * eps);
      }
      let err = 0;
      let ref = 0;
      for (let j = 0; j < x.length; j++) {
        err += (analytic[j] - numeric[j]) ** 2;
        ref += numeric[j] ** 2;
      }
      expect(Math.sqrt(err)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.sqrt(ref)));
    }
  });

  test('every differentiable op has a case', () => {
    const covered = new Set<OpType>();
    for (const c of cases) {
      const b = new GraphBuilder();
      c.build(
        b,
        c.inputs.map((s, i) => b.input(`x${i}`, s)),
      );
      b.nodes.forEach((n) => covered.add(n.op));
    }
    const missing = (Object.keys(vjpRules) as OpType[]).filter((op) => !covered.has(op) && !INFERENCE_ONLY.has(op));
    expect(missing).toEqual([]);
    expect(Object.values(vjpRules).filter((r) => r === NON_DIFFERENTIABLE).length).toBeGreaterThan(0);
  });
});

test('inference-only ops stop the reverse walk with a clear message instead of passing no gradient', () => {
  expect([...INFERENCE_ONLY]).toEqual(['MaxPool']);
  const b = new GraphBuilder();
  const x = b.input('x', [1, 2, 4, 4]);
  const y = b.maxPool(x, [2, 2], [2, 2]);
  expect(() => vjp(b, [y], [b.input('dy', y.shape)], [x])).toThrow(
    /MaxPool is not differentiable here \(inference only\)/,
  );
});
