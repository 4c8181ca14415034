/**
 * A small typed graph IR that maps one-to-one onto standard ONNX operators. Shapes are static: every value's
 * shape is known when it is created, so the autodiff and the serialiser never need shape inference at run time.
 */
export type DType = 'float32' | 'int64' | 'bool';

export type Pads4 = readonly [top: number, left: number, bottom: number, right: number];

/** The attributes of every operator the project emits, by ONNX op type. */
export interface OpAttrs {
  Add: Record<string, never>;
  Sub: Record<string, never>;
  Mul: Record<string, never>;
  Div: Record<string, never>;
  Neg: Record<string, never>;
  Sqrt: Record<string, never>;
  Reciprocal: Record<string, never>;
  Abs: Record<string, never>;
  Sin: Record<string, never>;
  Cos: Record<string, never>;
  Sign: Record<string, never>;
  MatMul: Record<string, never>;
  Conv: { pads: Pads4; strides: readonly [number, number]; dilations: readonly [number, number]; group: number };
  ConvTranspose: {
    pads: Pads4;
    strides: readonly [number, number];
    group: number;
    outputPadding: readonly [number, number];
  };
  LeakyRelu: { alpha: number };
  Relu: Record<string, never>;
  /** Max over windows; ONNX ignores padded cells (they never win), as TensorFlow's 'same' pooling does. */
  MaxPool: { kernel: readonly [number, number]; strides: readonly [number, number]; pads: Pads4 };
  /** Clamp to [min, max]; the bounds are constants. */
  Clip: { min: number; max: number };
  Reshape: { shape: readonly number[] };
  Transpose: { perm: readonly number[] };
  Concat: { axis: number };
  /** Moves blocks of channels into space (ONNX's default DCR order: channel (by * b + bx) * C + c). */
  DepthToSpace: { blocksize: number };
  /** DepthToSpace's inverse: each b x b block of pixels becomes b * b channel groups, in the same order. */
  SpaceToDepth: { blocksize: number };
  /** Unit-step slice. */
  Slice: { starts: readonly number[]; ends: readonly number[]; axes: readonly number[] };
  /** Constant zero padding, ONNX order: all begins then all ends; negative values crop. */
  Pad: { pads: readonly number[] };
  ReduceSum: { axes: readonly number[]; keepdims: boolean };
  ReduceMean: { axes: readonly number[]; keepdims: boolean };
  Expand: { shape: readonly number[] };
  Where: Record<string, never>;
  Greater: Record<string, never>;
  GreaterOrEqual: Record<string, never>;
  LessOrEqual: Record<string, never>;
  And: Record<string, never>;
  /** Element type conversion; the autodiff uses it to turn a comparison into a 0/1 float mask. */
  Cast: { to: DType };
  Identity: Record<string, never>;
}

export type OpType = keyof OpAttrs;

export interface Value {
  readonly id: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The node that computes it; absent for graph inputs and initialisers. */
  readonly producer?: Node;
}

export interface Node<K extends OpType = OpType> {
  readonly id: number;
  readonly op: K;
  readonly attrs: OpAttrs[K];
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
}

export interface Initializer {
  readonly value: Value;
  readonly data: Float32Array | BigInt64Array;
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly initializers: readonly Initializer[];
  /** In topological order. */
  readonly nodes: readonly Node[];
}
