import type { GraphBuilder } from '../builder';
import type { Node, OpAttrs, OpType, Pads4, Value } from '../ir';
import { sameShape } from '../shapes';

/**
 * What a VJP rule sees. Forward tensors are reachable only if the rule names them in `saves` (as tfjs-core's
 * GradConfig does), so the forward/backward split knows exactly what must cross from one graph to the other.
 */
export interface VjpContext<K extends OpType> {
  readonly b: GraphBuilder;
  readonly attrs: OpAttrs[K];
  /** Cotangent of the (single) output. */
  readonly dy: Value;
  readonly numInputs: number;
  /** Shapes are static and always available. */
  inShape(i: number): readonly number[];
  outShape(): readonly number[];
  /** A saved forward input. */
  x(i: number): Value;
  /** The saved forward output. */
  y(): Value;
  /** Whether input i needs a gradient (rules skip work for the others). */
  wants(i: number): boolean;
}

export interface VjpRule<K extends OpType> {
  saves: { inputs?: readonly number[]; output?: boolean };
  vjp(ctx: VjpContext<K>): (Value | undefined)[];
}

/** Comparison and sign ops: no gradient flows through them. */
export const NON_DIFFERENTIABLE = 'non-differentiable';

/** The ops whose rule is `inferenceOnly` (tests check that each one throws). */
export const INFERENCE_ONLY = new Set<OpType>();

/**
 * Ops that only inference graphs use (the photo face finder's pooling): differentiating through one is a mistake in
 * the caller, so the walk stops with this message rather than silently passing no gradient.
 */
function inferenceOnly<K extends OpType>(op: K): VjpRule<K> {
  INFERENCE_ONLY.add(op);
  return {
    saves: {},
    vjp: () => {
      throw new Error(
        `${op} is not differentiable here (inference only): no VJP rule; keep it out of graphs you differentiate`,
      );
    },
  };
}

type RuleTable = { [K in OpType]: VjpRule<K> | typeof NON_DIFFERENTIABLE };

/** Sums a broadcast cotangent back down to the operand's shape. */
export function unbroadcast(b: GraphBuilder, g: Value, shape: readonly number[]): Value {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? b.reduceSum(g, axes, true) : g;
  return sameShape(summed.shape, shape) ? summed : b.reshape(summed, shape);
}

function swapLast2(b: GraphBuilder, v: Value): Value {
  const r = v.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return b.transpose(v, perm);
}

const NCHW_SWAP = [1, 0, 2, 3];

/** One rule per op; `vjp` returns a cotangent per input (undefined = none or not wanted). */
export const vjpRules: RuleTable = {
  Add: { saves: {}, vjp: ({ b, dy, inShape }) => [unbroadcast(b, dy, inShape(0)), unbroadcast(b, dy, inShape(1))] },
  Sub: {
    saves: {},
    vjp: ({ b, dy, inShape, wants }) => [
      unbroadcast(b, dy, inShape(0)),
      wants(1) ? unbroadcast(b, b.neg(dy), inShape(1)) : undefined,
    ],
  },
  Mul: {
    saves: { inputs: [0, 1] },
    vjp: ({ b, dy, x, inShape, wants }) => [
      wants(0) ? unbroadcast(b, b.mul(dy, x(1)), inShape(0)) : undefined,
      wants(1) ? unbroadcast(b, b.mul(dy, x(0)), inShape(1)) : undefined,
    ],
  },
  Div: {
    saves: { inputs: [1], output: true },
    vjp: ({ b, dy, x, y, inShape, wants }) => [
      wants(0) ? unbroadcast(b, b.div(dy, x(1)), inShape(0)) : undefined,
      wants(1) ? unbroadcast(b, b.neg(b.div(b.mul(dy, y()), x(1))), inShape(1)) : undefined,
    ],
  },
  Neg: { saves: {}, vjp: ({ b, dy }) => [b.neg(dy)] },
  Sqrt: { saves: { output: true }, vjp: ({ b, dy, y }) => [b.div(b.scale(dy, 0.5), y())] },
  Reciprocal: { saves: { output: true }, vjp: ({ b, dy, y }) => [b.neg(b.mul(dy, b.mul(y(), y())))] },
  Abs: { saves: { inputs: [0] }, vjp: ({ b, dy, x }) => [b.mul(dy, b.sign(x(0)))] },
  Sin: { saves: { inputs: [0] }, vjp: ({ b, dy, x }) => [b.mul(dy, b.cos(x(0)))] },
  Cos: { saves: { inputs: [0] }, vjp: ({ b, dy, x }) => [b.neg(b.mul(dy, b.sin(x(0))))] },
  Sign: NON_DIFFERENTIABLE,
  MatMul: {
    saves: { inputs: [0, 1] },
    vjp: ({ b, dy, x, inShape, wants }) => [
      wants(0) ? unbroadcast(b, b.matmul(dy, swapLast2(b, x(1))), inShape(0)) : undefined,
      wants(1) ? unbroadcast(b, b.matmul(swapLast2(b, x(0)), dy), inShape(1)) : undefined,
    ],
  },
  Conv: {
    saves: { inputs: [0, 1] },
    vjp: ({ b, dy, x, attrs, inShape, wants }) => {
      const [, , h, w] = inShape(0);
      const [, , kh, kw] = inShape(1);
      const [sh, sw] = attrs.strides;
      const [pt, pl, pb, pr] = attrs.pads;
      if (attrs.dilations[0] !== 1 || attrs.dilations[1] !== 1)
        throw new Error('Conv VJP: dilated convolutions are not differentiated');
      let dx: Value | undefined;
      const flipped = wants(0) ? flippedKernel(b, x(1), attrs) : undefined;
      if (flipped) {
        // pads k - 1 - p; where the forward padded by more than k - 1 (its outer rows saw only zeros), those rows
        // of dy reach no input: crop them instead
        const [qt, ql, qb, qr] = [kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr];
        const crop = (v: number): number => Math.min(v, 0);
        const src = Math.min(qt, ql, qb, qr) < 0 ? b.pad(dy, [0, 0, crop(qt), crop(ql), 0, 0, crop(qb), crop(qr)]) : dy;
        const pads: Pads4 = [Math.max(qt, 0), Math.max(ql, 0), Math.max(qb, 0), Math.max(qr, 0)];
        dx = b.conv(src, flipped, { pads, group: attrs.group });
      } else if (wants(0)) {
        // The transposed convolution, with output padding restoring rows the forward stride dropped.
        const oh = (dy.shape[2] - 1) * sh - pt - pb + kh;
        const ow = (dy.shape[3] - 1) * sw - pl - pr + kw;
        dx = b.convTranspose(dy, x(1), {
          pads: attrs.pads,
          strides: [sh, sw],
          group: attrs.group,
          outputPadding: [h - oh, w - ow],
        });
      }
      let dw: Value | undefined;
      if (wants(1)) {
        if (attrs.group !== 1) throw new Error('Conv VJP: weight gradients of grouped convolutions are not supported');
        // dW[o,i] = correlation of x[i] with dy[o] (dilated by the stride), batch summed as the channel axis.
        const g = b.conv(b.transpose(x(0), NCHW_SWAP), b.transpose(dy, NCHW_SWAP), {
          pads: attrs.pads,
          dilations: [sh, sw],
        });
        const cropped = g.shape[2] === kh && g.shape[3] === kw ? g : b.slice(g, [2, 3], [0, 0], [kh, kw]);
        dw = b.transpose(cropped, NCHW_SWAP);
      }
      return [dx, dw];
    },
  },
  ConvTranspose: {
    saves: { inputs: [0, 1] },
    vjp: ({ b, dy, x, attrs, inShape, wants }) => {
      const [, , kh, kw] = inShape(1);
      const [sh, sw] = attrs.strides;
      const [pt, pl] = attrs.pads;
      const dx = wants(0) ? b.conv(dy, x(1), { pads: attrs.pads, strides: [sh, sw], group: attrs.group }) : undefined;
      let dw: Value | undefined;
      if (wants(1)) {
        if (attrs.group !== 1)
          throw new Error('ConvTranspose VJP: weight gradients of grouped convolutions are not supported');
        // dW[i,o,k] = sum_h x[i,h] dy[o, s*h + k - p]: dy correlated with x dilated by the stride.
        const [, , oh, ow] = dy.shape;
        const [, , h, w] = inShape(0);
        const padB = Math.max(0, kh - 1 + sh * (h - 1) - pt - (oh - 1));
        const padR = Math.max(0, kw - 1 + sw * (w - 1) - pl - (ow - 1));
        const g = b.conv(b.transpose(dy, NCHW_SWAP), b.transpose(x(0), NCHW_SWAP), {
          pads: [pt, pl, padB, padR],
          dilations: [sh, sw],
        });
        const cropped = g.shape[2] === kh && g.shape[3] === kw ? g : b.slice(g, [2, 3], [0, 0], [kh, kw]);
        dw = b.transpose(cropped, NCHW_SWAP);
      }
      return [dx, dw];
    },
  },
  LeakyRelu: {
    saves: { inputs: [0] },
    // dy times 1 where x > 0, else alpha: alpha + (1 - alpha) rounds to exactly 1 in float32 for the slopes used
    vjp: ({ b, dy, x, attrs }) => [
      b.mul(dy, b.add(b.scale(mask(b, b.greater(x(0), b.scalar(0))), 1 - attrs.alpha), b.scalar(attrs.alpha))),
    ],
  },
  Relu: {
    saves: { inputs: [0] },
    vjp: ({ b, dy, x }) => [b.mul(dy, mask(b, b.greater(x(0), b.scalar(0))))],
  },
  // The gradient goes to each window's arg-max, which ONNX's MaxPool gives only as a second output; nothing needs it yet
  MaxPool: inferenceOnly('MaxPool'),
  Clip: {
    saves: { inputs: [0] },
    vjp: ({ b, dy, x, attrs }) => {
      // Like torch.clamp: the gradient passes where min <= x <= max. Two masks rather than And: onnxruntime's
      // WebGPU provider has no And kernel and would run it on the CPU.
      const inside = b.mul(
        mask(b, b.lessOrEqual(x(0), b.scalar(attrs.max))),
        mask(b, b.greaterOrEqual(x(0), b.scalar(attrs.min))),
      );
      return [b.mul(dy, inside)];
    },
  },
  Reshape: { saves: {}, vjp: ({ b, dy, inShape }) => [b.reshape(dy, inShape(0))] },
  Transpose: {
    saves: {},
    vjp: ({ b, dy, attrs }) => {
      const inv: number[] = [];
      attrs.perm.forEach((p, i) => (inv[p] = i));
      return [b.transpose(dy, inv)];
    },
  },
  Concat: {
    saves: {},
    vjp: ({ b, dy, attrs, inShape, wants, numInputs }) => {
      const axis = attrs.axis < 0 ? attrs.axis + dy.shape.length : attrs.axis;
      const out: (Value | undefined)[] = [];
      let offset = 0;
      for (let i = 0; i < numInputs; i++) {
        const n = inShape(i)[axis];
        out.push(wants(i) ? b.slice(dy, [axis], [offset], [offset + n]) : undefined);
        offset += n;
      }
      return out;
    },
  },
  DepthToSpace: { saves: {}, vjp: ({ b, dy, attrs }) => [b.spaceToDepth(dy, attrs.blocksize)] },
  SpaceToDepth: { saves: {}, vjp: ({ b, dy, attrs }) => [b.depthToSpace(dy, attrs.blocksize)] },
  Slice: {
    saves: {},
    vjp: ({ b, dy, attrs, inShape }) => {
      const shape = inShape(0);
      const r = shape.length;
      const pads = new Array<number>(2 * r).fill(0);
      attrs.axes.forEach((a, i) => {
        const ax = a < 0 ? a + r : a;
        pads[ax] = attrs.starts[i];
        pads[ax + r] = shape[ax] - Math.min(attrs.ends[i], shape[ax]);
      });
      return [b.pad(dy, pads)];
    },
  },
  Pad: {
    saves: {},
    vjp: ({ b, dy, attrs }) => [
      b.pad(
        dy,
        attrs.pads.map((p) => -p),
      ),
    ],
  },
  ReduceSum: {
    saves: {},
    vjp: ({ b, dy, attrs, inShape }) => [b.expand(b.reshape(dy, keptShape(inShape(0), attrs.axes)), inShape(0))],
  },
  ReduceMean: {
    saves: {},
    vjp: ({ b, dy, attrs, inShape }) => {
      const shape = inShape(0);
      const n = attrs.axes.reduce((acc, a) => acc * shape[a < 0 ? a + shape.length : a], 1);
      return [b.expand(b.reshape(b.scale(dy, 1 / n), keptShape(shape, attrs.axes)), shape)];
    },
  },
  Expand: { saves: {}, vjp: ({ b, dy, inShape }) => [unbroadcast(b, dy, inShape(0))] },
  Where: {
    saves: { inputs: [0] },
    vjp: ({ b, dy, x, inShape, wants }) => {
      const zero = b.scalar(0);
      return [
        undefined,
        wants(1) ? unbroadcast(b, b.where(x(0), dy, zero), inShape(1)) : undefined,
        wants(2) ? unbroadcast(b, b.where(x(0), zero, dy), inShape(2)) : undefined,
      ];
    },
  },
  Greater: NON_DIFFERENTIABLE,
  GreaterOrEqual: NON_DIFFERENTIABLE,
  LessOrEqual: NON_DIFFERENTIABLE,
  And: NON_DIFFERENTIABLE,
  Cast: NON_DIFFERENTIABLE,
  Identity: { saves: {}, vjp: ({ dy }) => [dy] },
};

/**
 * A comparison as a 0/1 float mask. Gradients gate by multiplying with it rather than by Where: onnxruntime's CPU
 * Where costs about a second per 16M elements (a 512 px layer), twenty times a Mul, and every activation's VJP has one.
 */
function mask(b: GraphBuilder, condition: Value): Value {
  return b.cast(condition, 'float32');
}

/**
 * The kernel that turns a stride-1 convolution's input gradient into a plain convolution: the weight with its in
 * and out channels swapped and its taps reversed (pads become k - 1 - p, crops where negative). onnxruntime's CPU ConvTranspose runs
 * through col2im without its blocked-layout kernels: at 512 px the transposed form costs ~30x the convolution.
 * Only for a baked-in weight (computed here, once) with no groups or one channel per group; otherwise undefined and
 * the rule keeps ConvTranspose (a weight that is a graph input, as pivotal tuning's are).
 */
function flippedKernel(b: GraphBuilder, w: Value, attrs: OpAttrs['Conv']): Value | undefined {
  const data = b.initializerData(w);
  const [o, i, kh, kw] = w.shape;
  const depthwise = i === 1 && attrs.group === o;
  if (!(data instanceof Float32Array) || attrs.strides[0] !== 1 || attrs.strides[1] !== 1) return undefined;
  if (attrs.group !== 1 && !depthwise) return undefined;
  const out = new Float32Array(data.length);
  const k = kh * kw;
  for (let a = 0; a < o; a++)
    for (let c = 0; c < i; c++)
      for (let t = 0; t < k; t++) {
        // [o, i, y, x] -> [i, o, kh-1-y, kw-1-x]; depthwise kernels keep their channel axis
        const to = depthwise ? a * k : (c * o + a) * k;
        out[to + (k - 1 - t)] = data[(a * i + c) * k + t];
      }
  return b.constant(depthwise ? [o, 1, kh, kw] : [i, o, kh, kw], out);
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  const ax = new Set(axes.map((a) => (a < 0 ? a + shape.length : a)));
  return shape.map((d, i) => (ax.has(i) ? 1 : d));
}

export function ruleFor<K extends OpType>(node: Node<K>): VjpRule<K> | typeof NON_DIFFERENTIABLE {
  return vjpRules[node.op] as VjpRule<K> | typeof NON_DIFFERENTIABLE;
}
