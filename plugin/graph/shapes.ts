import type { DType, OpAttrs, OpType } from './ir';

export interface ValueType {
  shape: readonly number[];
  dtype: DType;
}

type InferRule<K extends OpType> = (attrs: OpAttrs[K], inputs: readonly ValueType[]) => ValueType;

function fail(op: string, msg: string): never {
  throw new Error(`${op}: ${msg}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Numpy-style broadcast of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(op, `cannot broadcast [${a.join(',')}] with [${b.join(',')}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(op, `axis ${axis} out of range for rank ${rank}`);
  return a;
}

const binary =
  (op: string, dtype?: DType) =>
  (_: unknown, [a, b]: readonly ValueType[]): ValueType => {
    if (a.dtype !== b.dtype) fail(op, `dtype mismatch ${a.dtype} vs ${b.dtype}`);
    return { shape: broadcastShapes(a.shape, b.shape, op), dtype: dtype ?? a.dtype };
  };

const unary = (_: unknown, [a]: readonly ValueType[]): ValueType => ({ shape: a.shape, dtype: a.dtype });

function convOut(inp: number, k: number, pb: number, pe: number, s: number, d: number): number {
  return Math.floor((inp + pb + pe - d * (k - 1) - 1) / s) + 1;
}

function reduceShape(shape: readonly number[], axes: readonly number[], keep: boolean, op: string): number[] {
  const ax = new Set(axes.map((a) => normAxis(a, shape.length, op)));
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!ax.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

/** Output type of every op, checked against its inputs. A missing entry is a compile error. */
export const inferRules: { [K in OpType]: InferRule<K> } = {
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Neg: unary,
  Sqrt: unary,
  Reciprocal: unary,
  Abs: unary,
  Sin: unary,
  Cos: unary,
  Sign: unary,
  MatMul: (_, [a, b]) => {
    if (a.shape.length < 2 || b.shape.length < 2) fail('MatMul', 'operands must have rank >= 2');
    const [m, k] = a.shape.slice(-2);
    const [k2, n] = b.shape.slice(-2);
    if (k !== k2) fail('MatMul', `inner dimensions differ: [${a.shape.join(',')}] x [${b.shape.join(',')}]`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'MatMul');
    return { shape: [...batch, m, n], dtype: a.dtype };
  },
  Conv: (at, [x, w]) => {
    if (x.shape.length !== 4 || w.shape.length !== 4) fail('Conv', 'expects NCHW input and OIHW weight');
    const [n, c, h, wd] = x.shape;
    const [o, ig, kh, kw] = w.shape;
    if (ig * at.group !== c) fail('Conv', `input has ${c} channels but weight expects ${ig} x group ${at.group}`);
    const [pt, pl, pb, pr] = at.pads;
    return {
      shape: [
        n,
        o,
        convOut(h, kh, pt, pb, at.strides[0], at.dilations[0]),
        convOut(wd, kw, pl, pr, at.strides[1], at.dilations[1]),
      ],
      dtype: x.dtype,
    };
  },
  ConvTranspose: (at, [x, w]) => {
    if (x.shape.length !== 4 || w.shape.length !== 4) fail('ConvTranspose', 'expects NCHW input and IOHW weight');
    const [n, c, h, wd] = x.shape;
    const [i, og, kh, kw] = w.shape;
    if (i !== c) fail('ConvTranspose', `input has ${c} channels but weight has ${i}`);
    const [pt, pl, pb, pr] = at.pads;
    const oh = (h - 1) * at.strides[0] - pt - pb + kh + at.outputPadding[0];
    const ow = (wd - 1) * at.strides[1] - pl - pr + kw + at.outputPadding[1];
    return { shape: [n, og * at.group, oh, ow], dtype: x.dtype };
  },
  LeakyRelu: unary,
  Relu: unary,
  MaxPool: (at, [x]) => {
    if (x.shape.length !== 4) fail('MaxPool', 'expects NCHW input');
    const [n, c, h, w] = x.shape;
    const [pt, pl, pb, pr] = at.pads;
    const [kh, kw] = at.kernel;
    // ONNX only defines padding smaller than the window: a window made of padding alone would have no maximum
    if (pt >= kh || pb >= kh || pl >= kw || pr >= kw) fail('MaxPool', 'pads must be smaller than the kernel');
    const oh = convOut(h, kh, pt, pb, at.strides[0], 1);
    const ow = convOut(w, kw, pl, pr, at.strides[1], 1);
    if (oh < 1 || ow < 1) fail('MaxPool', `window larger than the padded input [${h},${w}]`);
    return { shape: [n, c, oh, ow], dtype: x.dtype };
  },
  Clip: unary,
  Reshape: (at, [x]) => {
    const n = x.shape.reduce((a, b) => a * b, 1);
    const m = at.shape.reduce((a, b) => a * b, 1);
    if (n !== m || at.shape.some((d) => d < 0))
      fail('Reshape', `cannot reshape [${x.shape.join(',')}] to [${at.shape.join(',')}]`);
    return { shape: at.shape, dtype: x.dtype };
  },
  Transpose: (at, [x]) => {
    if (at.perm.length !== x.shape.length) fail('Transpose', 'perm rank mismatch');
    return { shape: at.perm.map((p) => x.shape[p]), dtype: x.dtype };
  },
  Concat: (at, xs) => {
    const first = xs[0];
    const axis = normAxis(at.axis, first.shape.length, 'Concat');
    const shape = [...first.shape];
    shape[axis] = 0;
    for (const x of xs) {
      if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        fail('Concat', `incompatible shapes [${first.shape.join(',')}] and [${x.shape.join(',')}]`);
      }
      shape[axis] += x.shape[axis];
    }
    return { shape, dtype: first.dtype };
  },
  DepthToSpace: (at, [x]) => {
    const [n, c, h, w] = x.shape;
    const bb = at.blocksize * at.blocksize;
    if (x.shape.length !== 4 || c % bb !== 0) fail('DepthToSpace', `needs NCHW with channels a multiple of ${bb}`);
    return { shape: [n, c / bb, h * at.blocksize, w * at.blocksize], dtype: x.dtype };
  },
  SpaceToDepth: (at, [x]) => {
    const [n, c, h, w] = x.shape;
    const s = at.blocksize;
    if (x.shape.length !== 4 || h % s !== 0 || w % s !== 0)
      fail('SpaceToDepth', `needs NCHW with height and width multiples of ${s}`);
    return { shape: [n, c * s * s, h / s, w / s], dtype: x.dtype };
  },
  Slice: (at, [x]) => {
    const shape = [...x.shape];
    at.axes.forEach((a, i) => {
      const ax = normAxis(a, x.shape.length, 'Slice');
      const s = at.starts[i];
      const e = Math.min(at.ends[i], x.shape[ax]);
      if (s < 0 || s > e) fail('Slice', `bad range ${s}:${at.ends[i]} on axis ${ax} of size ${x.shape[ax]}`);
      shape[ax] = e - s;
    });
    return { shape, dtype: x.dtype };
  },
  Pad: (at, [x]) => {
    const r = x.shape.length;
    if (at.pads.length !== 2 * r) fail('Pad', `needs ${2 * r} pads`);
    const shape = x.shape.map((d, i) => d + at.pads[i] + at.pads[i + r]);
    if (shape.some((d) => d < 0)) fail('Pad', 'crops more than the tensor has');
    return { shape, dtype: x.dtype };
  },
  ReduceSum: (at, [x]) => ({ shape: reduceShape(x.shape, at.axes, at.keepdims, 'ReduceSum'), dtype: x.dtype }),
  ReduceMean: (at, [x]) => ({ shape: reduceShape(x.shape, at.axes, at.keepdims, 'ReduceMean'), dtype: x.dtype }),
  Expand: (at, [x]) => ({ shape: broadcastShapes(x.shape, at.shape, 'Expand'), dtype: x.dtype }),
  Where: (_, [c, a, b]) => {
    if (c.dtype !== 'bool') fail('Where', 'condition must be bool');
    if (a.dtype !== b.dtype) fail('Where', 'branch dtypes differ');
    return { shape: broadcastShapes(c.shape, broadcastShapes(a.shape, b.shape, 'Where'), 'Where'), dtype: a.dtype };
  },
  Greater: binary('Greater', 'bool'),
  GreaterOrEqual: binary('GreaterOrEqual', 'bool'),
  LessOrEqual: binary('LessOrEqual', 'bool'),
  And: binary('And', 'bool'),
  Cast: (at, [x]) => ({ shape: x.shape, dtype: at.to }),
  Identity: unary,
};

export function inferType<K extends OpType>(op: K, attrs: OpAttrs[K], inputs: readonly ValueType[]): ValueType {
  return (inferRules[op] as InferRule<K>)(attrs, inputs);
}
