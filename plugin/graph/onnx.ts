import type { DType, Graph, Node, OpAttrs, OpType } from './ir';
import { ProtoWriter } from './protobuf';

/** ONNX opset the emitted graphs target: supported by onnxruntime-node and onnxruntime-web alike. */
export const OPSET = 17;
const IR_VERSION = 8;

const ELEM_TYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9 };
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

type Attr = { name: string; f?: number; i?: number; ints?: readonly number[] };
/** Tensor-valued operands that ONNX takes as inputs rather than attributes (axes, shapes, pads, bounds). */
type ExtraInput = { ints: readonly number[] } | { float: number };

interface Lowered {
  attrs: Attr[];
  extra: ExtraInput[];
}

const none: Lowered = { attrs: [], extra: [] };

/** How each op's attributes appear in ONNX. A missing entry is a compile error. */
const lowerings: { [K in OpType]: (a: OpAttrs[K]) => Lowered } = {
  Add: () => none,
  Sub: () => none,
  Mul: () => none,
  Div: () => none,
  Neg: () => none,
  Sqrt: () => none,
  Reciprocal: () => none,
  Abs: () => none,
  Sin: () => none,
  Cos: () => none,
  Sign: () => none,
  MatMul: () => none,
  Where: () => none,
  Greater: () => none,
  GreaterOrEqual: () => none,
  LessOrEqual: () => none,
  And: () => none,
  Identity: () => none,
  Cast: (a) => ({ attrs: [{ name: 'to', i: ELEM_TYPE[a.to] }], extra: [] }),
  Conv: (a) => ({
    attrs: [
      { name: 'pads', ints: [a.pads[0], a.pads[1], a.pads[2], a.pads[3]] },
      { name: 'strides', ints: a.strides },
      { name: 'dilations', ints: a.dilations },
      { name: 'group', i: a.group },
    ],
    extra: [],
  }),
  ConvTranspose: (a) => ({
    attrs: [
      { name: 'pads', ints: [a.pads[0], a.pads[1], a.pads[2], a.pads[3]] },
      { name: 'strides', ints: a.strides },
      { name: 'group', i: a.group },
      { name: 'output_padding', ints: a.outputPadding },
    ],
    extra: [],
  }),
  LeakyRelu: (a) => ({ attrs: [{ name: 'alpha', f: a.alpha }], extra: [] }),
  Relu: () => none,
  MaxPool: (a) => ({
    attrs: [
      { name: 'kernel_shape', ints: a.kernel },
      { name: 'strides', ints: a.strides },
      { name: 'pads', ints: [a.pads[0], a.pads[1], a.pads[2], a.pads[3]] },
    ],
    extra: [],
  }),
  Clip: (a) => ({ attrs: [], extra: [{ float: a.min }, { float: a.max }] }),
  Reshape: (a) => ({ attrs: [], extra: [{ ints: a.shape }] }),
  Transpose: (a) => ({ attrs: [{ name: 'perm', ints: a.perm }], extra: [] }),
  Concat: (a) => ({ attrs: [{ name: 'axis', i: a.axis }], extra: [] }),
  DepthToSpace: (a) => ({ attrs: [{ name: 'blocksize', i: a.blocksize }], extra: [] }),
  SpaceToDepth: (a) => ({ attrs: [{ name: 'blocksize', i: a.blocksize }], extra: [] }),
  Slice: (a) => ({ attrs: [], extra: [{ ints: a.starts }, { ints: a.ends }, { ints: a.axes }] }),
  Pad: (a) => ({ attrs: [], extra: [{ ints: a.pads }] }),
  ReduceSum: (a) => ({ attrs: [{ name: 'keepdims', i: a.keepdims ? 1 : 0 }], extra: [{ ints: a.axes }] }),
  ReduceMean: (a) => ({
    attrs: [
      { name: 'axes', ints: a.axes },
      { name: 'keepdims', i: a.keepdims ? 1 : 0 },
    ],
    extra: [],
  }),
  Expand: (a) => ({ attrs: [], extra: [{ ints: a.shape }] }),
};

/** An initializer's data kept outside the model bytes (ONNX external data): the runtime reads it from `data`. */
export interface ExternalData {
  /** The name the model refers to it by (TensorProto.external_data `location`). */
  path: string;
  data: Uint8Array;
}

/** A tensor with its data inline, or (`external`) named as an external file of its own. */
function writeTensor(
  w: ProtoWriter,
  name: string,
  dims: readonly number[],
  dtype: DType,
  raw: Uint8Array,
  external?: string,
): void {
  for (const d of dims) w.int(1, d);
  w.int(2, ELEM_TYPE[dtype]);
  w.string(8, name);
  if (external === undefined) {
    w.bytes(9, raw);
    return;
  }
  for (const [key, value] of [
    ['location', external],
    ['offset', '0'],
    ['length', String(raw.length)],
  ])
    w.message(13, (e) => e.string(1, key).string(2, value));
  w.int(14, 1); // data_location = EXTERNAL
}

function writeValueInfo(w: ProtoWriter, name: string, shape: readonly number[], dtype: DType): void {
  w.string(1, name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, ELEM_TYPE[dtype]);
      tt.message(2, (s) => {
        for (const d of shape) s.message(1, (dim) => dim.int(1, d));
      });
    }),
  );
}

function bytesOf(a: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Serialises a graph as an ONNX ModelProto, every initializer inside it. */
export function toOnnx(graph: Graph): Uint8Array {
  return serialise(graph, Infinity).model;
}

/**
 * Serialises a graph as an ONNX ModelProto whose initializers of `minBytes` or more stay outside it, handed to the
 * runtime as they are (SessionOptions.externalData). Copying a 512 px generator's weights into each model's bytes,
 * for the runtime to parse them out again, was a third of building a session.
 */
export function toOnnxSharing(graph: Graph, minBytes: number): { model: Uint8Array; externalData: ExternalData[] } {
  return serialise(graph, minBytes);
}

function serialise(graph: Graph, minBytes: number): { model: Uint8Array; externalData: ExternalData[] } {
  const externalData: ExternalData[] = [];
  const consts: { name: string; dims: number[]; dtype: DType; raw: Uint8Array }[] = [];
  const constNames = new Map<string, string>();
  const constInput = (e: ExtraInput): string => {
    const key = JSON.stringify(e);
    const hit = constNames.get(key);
    if (hit) return hit;
    const name = `c${consts.length}`;
    if ('ints' in e) {
      consts.push({
        name,
        dims: [e.ints.length],
        dtype: 'int64',
        raw: bytesOf(BigInt64Array.from(e.ints.map((x) => BigInt(x)))),
      });
    } else {
      consts.push({ name, dims: [], dtype: 'float32', raw: bytesOf(new Float32Array([e.float])) });
    }
    constNames.set(key, name);
    return name;
  };
  const { nodes, rename } = withoutOutputIdentities(graph);
  const lowered = nodes.map((n) => {
    const l = (lowerings[n.op] as (a: OpAttrs[OpType]) => Lowered)(n.attrs);
    return { node: n, attrs: l.attrs, extraNames: l.extra.map(constInput) };
  });

  const w = new ProtoWriter();
  w.int(1, IR_VERSION);
  w.string(2, 'draggan-photoshop');
  w.message(7, (g) => {
    lowered.forEach(({ node, attrs, extraNames }, i) => writeNode(g, node, attrs, extraNames, i, rename));
    g.string(2, graph.name);
    for (const init of graph.initializers) {
      const raw = bytesOf(init.data);
      let path: string | undefined;
      if (raw.length >= minBytes) {
        path = `initializer_${externalData.length}`;
        externalData.push({ path, data: raw });
      }
      g.message(5, (t) => writeTensor(t, init.value.name, init.value.shape, init.value.dtype, raw, path));
    }
    for (const c of consts) g.message(5, (t) => writeTensor(t, c.name, c.dims, c.dtype, c.raw));
    for (const v of graph.inputs) g.message(11, (vi) => writeValueInfo(vi, v.name, v.shape, v.dtype));
    for (const v of graph.outputs) g.message(12, (vi) => writeValueInfo(vi, v.name, v.shape, v.dtype));
  });
  w.message(8, (o) => o.string(1, '').int(2, OPSET));
  return { model: w.finish(), externalData };
}

/**
 * The builder names every output through an Identity node. onnxruntime keeps those whose input other nodes also
 * read, and its WebGPU provider has no Identity kernel, so they ran on the CPU with a copy to the host each. Instead
 * the computed value itself takes the output's name; an Identity stays only where that cannot be (an output that is
 * a graph input or an initializer, or one value under two output names).
 */
function withoutOutputIdentities(graph: Graph): { nodes: Node[]; rename: ReadonlyMap<string, string> } {
  const inGraph = new Set<Node>(graph.nodes);
  const rename = new Map<string, string>();
  const dropped = new Set<Node>();
  for (const out of graph.outputs) {
    const identity = out.producer;
    const v = identity?.op === 'Identity' ? identity.inputs[0] : undefined;
    if (!identity || !v?.producer || !inGraph.has(v.producer) || rename.has(v.name)) continue;
    rename.set(v.name, out.name);
    dropped.add(identity);
  }
  return { nodes: graph.nodes.filter((n) => !dropped.has(n)), rename };
}

function writeNode(
  g: ProtoWriter,
  node: Node,
  attrs: Attr[],
  extraNames: string[],
  index: number,
  rename: ReadonlyMap<string, string>,
): void {
  const nameOf = (v: { name: string }): string => rename.get(v.name) ?? v.name;
  g.message(1, (n) => {
    for (const v of node.inputs) n.string(1, nameOf(v));
    for (const name of extraNames) n.string(1, name);
    for (const v of node.outputs) n.string(2, nameOf(v));
    n.string(3, `n${index}_${node.op}`);
    n.string(4, node.op);
    for (const a of attrs) {
      n.message(5, (am) => {
        am.string(1, a.name);
        if (a.f !== undefined) am.float(2, a.f).int(20, ATTR.FLOAT);
        else if (a.i !== undefined) am.int(3, a.i).int(20, ATTR.INT);
        else {
          for (const x of a.ints ?? []) am.int(8, x);
          am.int(20, ATTR.INTS);
        }
      });
    }
  });
}
