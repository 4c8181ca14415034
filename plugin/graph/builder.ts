import type { DType, Graph, Initializer, Node, OpAttrs, OpType, Pads4, Value } from './ir';
import { inferType } from './shapes';
import type { HostTensor } from './tensor';

/** Nodes created while differentiating are tagged so a joint graph can be split into forward and backward parts. */
export type Phase = 'forward' | 'backward';

const NO_ATTRS = {} as Record<string, never>;

/**
 * Builds a graph op by op with static shapes. Creation order is a topological order, which the autodiff and the
 * serialiser rely on.
 */
export class GraphBuilder {
  private nextId = 0;
  private readonly inputList: Value[] = [];
  private readonly inits = new Map<number, Initializer>();
  private readonly nodeList: Node[] = [];
  private readonly names = new Set<string>();
  readonly phaseOf = new Map<number, Phase>();
  phase: Phase = 'forward';

  private value(shape: readonly number[], dtype: DType, name?: string, producer?: Node): Value {
    const id = this.nextId++;
    const n = name ?? `v${id}`;
    if (this.names.has(n)) throw new Error(`duplicate value name '${n}'`);
    this.names.add(n);
    return { id, name: n, shape: [...shape], dtype, producer };
  }

  input(name: string, shape: readonly number[], dtype: DType = 'float32'): Value {
    const v = this.value(shape, dtype, name);
    this.inputList.push(v);
    return v;
  }

  /** A float32 initializer (a weight baked into the graph). */
  initializer(tensor: HostTensor, name?: string): Value {
    const v = this.value(tensor.shape, 'float32', name);
    this.inits.set(v.id, { value: v, data: tensor.data });
    return v;
  }

  /** A weight either baked in as an initializer or exposed as a graph input, so its gradient can be asked for. */
  weight(name: string, tensor: HostTensor, asInput: boolean): Value {
    return asInput ? this.input(name, tensor.shape) : this.initializer(tensor, name);
  }

  scalar(x: number): Value {
    return this.initializer({ shape: [], data: new Float32Array([x]) });
  }

  constant(shape: readonly number[], data: Float32Array): Value {
    return this.initializer({ shape, data });
  }

  isInitializer(v: Value): boolean {
    return this.inits.has(v.id);
  }

  initializerData(v: Value): Float32Array | BigInt64Array | undefined {
    return this.inits.get(v.id)?.data;
  }

  node<K extends OpType>(op: K, attrs: OpAttrs[K], inputs: readonly Value[]): Value {
    const t = inferType(op, attrs, inputs);
    const node: { id: number; op: K; attrs: OpAttrs[K]; inputs: readonly Value[]; outputs: Value[] } = {
      id: this.nodeList.length,
      op,
      attrs,
      inputs,
      outputs: [],
    };
    const out = this.value(t.shape, t.dtype, undefined, node);
    node.outputs.push(out);
    this.nodeList.push(node);
    this.phaseOf.set(node.id, this.phase);
    return out;
  }

  add(a: Value, b: Value): Value {
    return this.node('Add', NO_ATTRS, [a, b]);
  }
  sub(a: Value, b: Value): Value {
    return this.node('Sub', NO_ATTRS, [a, b]);
  }
  mul(a: Value, b: Value): Value {
    return this.node('Mul', NO_ATTRS, [a, b]);
  }
  div(a: Value, b: Value): Value {
    return this.node('Div', NO_ATTRS, [a, b]);
  }
  neg(a: Value): Value {
    return this.node('Neg', NO_ATTRS, [a]);
  }
  sqrt(a: Value): Value {
    return this.node('Sqrt', NO_ATTRS, [a]);
  }
  reciprocal(a: Value): Value {
    return this.node('Reciprocal', NO_ATTRS, [a]);
  }
  abs(a: Value): Value {
    return this.node('Abs', NO_ATTRS, [a]);
  }
  sin(a: Value): Value {
    return this.node('Sin', NO_ATTRS, [a]);
  }
  cos(a: Value): Value {
    return this.node('Cos', NO_ATTRS, [a]);
  }
  sign(a: Value): Value {
    return this.node('Sign', NO_ATTRS, [a]);
  }
  matmul(a: Value, b: Value): Value {
    return this.node('MatMul', NO_ATTRS, [a, b]);
  }
  scale(a: Value, s: number): Value {
    return s === 1 ? a : this.mul(a, this.scalar(s));
  }

  conv(
    x: Value,
    w: Value,
    o: { pads?: Pads4; strides?: [number, number]; dilations?: [number, number]; group?: number } = {},
  ): Value {
    return this.node(
      'Conv',
      {
        pads: o.pads ?? [0, 0, 0, 0],
        strides: o.strides ?? [1, 1],
        dilations: o.dilations ?? [1, 1],
        group: o.group ?? 1,
      },
      [x, w],
    );
  }

  convTranspose(
    x: Value,
    w: Value,
    o: { pads?: Pads4; strides?: [number, number]; group?: number; outputPadding?: [number, number] } = {},
  ): Value {
    return this.node(
      'ConvTranspose',
      {
        pads: o.pads ?? [0, 0, 0, 0],
        strides: o.strides ?? [1, 1],
        group: o.group ?? 1,
        outputPadding: o.outputPadding ?? [0, 0],
      },
      [x, w],
    );
  }

  leakyRelu(x: Value, alpha: number): Value {
    return this.node('LeakyRelu', { alpha }, [x]);
  }
  relu(x: Value): Value {
    return this.node('Relu', NO_ATTRS, [x]);
  }
  maxPool(x: Value, kernel: [number, number], strides: [number, number], pads: Pads4 = [0, 0, 0, 0]): Value {
    return this.node('MaxPool', { kernel, strides, pads }, [x]);
  }
  clip(x: Value, min: number, max: number): Value {
    return this.node('Clip', { min, max }, [x]);
  }
  reshape(x: Value, shape: readonly number[]): Value {
    return this.node('Reshape', { shape: [...shape] }, [x]);
  }
  transpose(x: Value, perm: readonly number[]): Value {
    return this.node('Transpose', { perm: [...perm] }, [x]);
  }
  concat(xs: readonly Value[], axis: number): Value {
    return xs.length === 1 ? xs[0] : this.node('Concat', { axis }, xs);
  }
  depthToSpace(x: Value, blocksize: number): Value {
    return this.node('DepthToSpace', { blocksize }, [x]);
  }
  spaceToDepth(x: Value, blocksize: number): Value {
    return this.node('SpaceToDepth', { blocksize }, [x]);
  }
  slice(x: Value, axes: readonly number[], starts: readonly number[], ends: readonly number[]): Value {
    return this.node('Slice', { axes: [...axes], starts: [...starts], ends: [...ends] }, [x]);
  }
  pad(x: Value, pads: readonly number[]): Value {
    return this.node('Pad', { pads: [...pads] }, [x]);
  }
  reduceSum(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.node('ReduceSum', { axes: [...axes], keepdims }, [x]);
  }
  reduceMean(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.node('ReduceMean', { axes: [...axes], keepdims }, [x]);
  }
  expand(x: Value, shape: readonly number[]): Value {
    return this.node('Expand', { shape: [...shape] }, [x]);
  }
  where(c: Value, a: Value, b: Value): Value {
    return this.node('Where', NO_ATTRS, [c, a, b]);
  }
  greater(a: Value, b: Value): Value {
    return this.node('Greater', NO_ATTRS, [a, b]);
  }
  greaterOrEqual(a: Value, b: Value): Value {
    return this.node('GreaterOrEqual', NO_ATTRS, [a, b]);
  }
  lessOrEqual(a: Value, b: Value): Value {
    return this.node('LessOrEqual', NO_ATTRS, [a, b]);
  }
  and(a: Value, b: Value): Value {
    return this.node('And', NO_ATTRS, [a, b]);
  }
  cast(a: Value, to: DType): Value {
    return this.node('Cast', { to }, [a]);
  }
  identity(a: Value): Value {
    return this.node('Identity', NO_ATTRS, [a]);
  }

  get nodes(): readonly Node[] {
    return this.nodeList;
  }

  get inputs(): readonly Value[] {
    return this.inputList;
  }

  /**
   * Freezes a graph computing the named outputs. Only nodes, inputs and initializers the outputs depend on are kept;
   * `inputs` may name intermediate values (they become graph inputs), and `nodeFilter` restricts the nodes kept
   * (a split backward graph keeps only backward nodes).
   */
  build(
    name: string,
    outputs: Record<string, Value>,
    opts: { inputs?: readonly Value[]; nodeFilter?: (n: Node) => boolean } = {},
  ): Graph {
    const outNodes: Node[] = [];
    const outValues: Value[] = [];
    for (const [outName, v] of Object.entries(outputs)) {
      // Every output is an Identity with the requested name, so a value can be both an output and an intermediate.
      const node: Node<'Identity'> = { id: -1, op: 'Identity', attrs: NO_ATTRS, inputs: [v], outputs: [] };
      const out: Value = { id: -1, name: outName, shape: v.shape, dtype: v.dtype, producer: node };
      (node.outputs as Value[]).push(out);
      outNodes.push(node);
      outValues.push(out);
    }
    const inputSet = new Set((opts.inputs ?? this.inputList).map((v) => v.id));
    const needed = new Set<number>();
    const usedValues = new Map<number, Value>();
    const visit = (v: Value): void => {
      usedValues.set(v.id, v);
      const p = v.producer;
      if (!p || inputSet.has(v.id) || needed.has(p.id) || (opts.nodeFilter && !opts.nodeFilter(p))) return;
      needed.add(p.id);
      p.inputs.forEach(visit);
    };
    for (const n of outNodes) n.inputs.forEach(visit);
    const nodes = [...this.nodeList.filter((n) => needed.has(n.id)), ...outNodes];
    // Unused inputs are dropped: onnxruntime rejects feeds for inputs a model does not have, and callers feed by name.
    const inputs = (opts.inputs ?? this.inputList).filter((v) => usedValues.has(v.id));
    const initializers = [...this.inits.values()].filter(
      (i) => usedValues.has(i.value.id) && !inputSet.has(i.value.id),
    );
    for (const v of usedValues.values()) {
      if (!v.producer && !inputSet.has(v.id) && !this.inits.has(v.id))
        throw new Error(`graph '${name}' uses '${v.name}', which is neither an input nor an initializer`);
      if (v.producer && !needed.has(v.producer.id) && !inputSet.has(v.id)) {
        throw new Error(`graph '${name}' needs '${v.name}' from a node outside it; pass it as an input`);
      }
    }
    return { name, inputs, outputs: outValues, initializers, nodes };
  }
}
