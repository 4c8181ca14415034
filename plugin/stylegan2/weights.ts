import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import type { HostTensor } from '../graph/tensor';

/**
 * Host-derived parameters (transposed, squared, scaled) per parameter set, shared by every graph built from it: the
 * drag step's halves, the preview's synthesis and the window plans each need the same ones, and computing them again
 * per graph cost time and a copy of the up-sampling weights each.
 */
const derivedOfWeights = new WeakMap<ReadonlyMap<string, HostTensor>, Map<string, Float32Array>>();

/** d * g elementwise, in float32 as the runtime's Mul would give it (a loop: TypedArray.map's callback costs more). */
export function timesScalar(d: Float32Array, g: number): Float32Array {
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * g;
  return out;
}

/**
 * Hands the emitters the generator's parameters under their official names. A parameter is baked in as an
 * initializer (so onnxruntime can pre-pack it, with constant gains folded in) unless `asInput` selects it, in which
 * case it becomes a graph input and its gradient can be asked for (pivotal tuning).
 */
export class WeightEmitter {
  private readonly cache = new Map<string, Value>();
  readonly inputs: Value[] = [];

  constructor(
    private readonly b: GraphBuilder,
    private readonly tensors: ReadonlyMap<string, HostTensor>,
    private readonly asInput: (name: string) => boolean = () => false,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  tensor(name: string): HostTensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`the model has no weight '${name}'`);
    return t;
  }

  private raw(name: string): Value {
    let v = this.cache.get(name);
    if (!v) {
      v = this.b.input(name, this.tensor(name).shape);
      this.inputs.push(v);
      this.cache.set(name, v);
    }
    return v;
  }

  /**
   * `transform(data)` applied to the parameter: computed once on the host for initializers, or emitted as graph ops
   * (`emit`) on the input. Both must compute the same float32 values.
   */
  derived(
    name: string,
    key: string,
    shape: readonly number[],
    onHost: (d: Float32Array) => Float32Array,
    emit: (v: Value) => Value,
  ): Value {
    if (this.asInput(name)) return emit(this.raw(name));
    const k = `${name}#${key}`;
    let v = this.cache.get(k);
    if (!v) {
      let shared = derivedOfWeights.get(this.tensors);
      if (!shared) derivedOfWeights.set(this.tensors, (shared = new Map()));
      let data = shared.get(k);
      if (!data) shared.set(k, (data = onHost(this.tensor(name).data)));
      v = this.b.constant(shape, data);
      this.cache.set(k, v);
    }
    return v;
  }

  /** The parameter times a constant gain, reshaped. */
  scaled(name: string, gain: number, shape?: readonly number[]): Value {
    const t = this.tensor(name);
    const s = shape ?? t.shape;
    const g = Math.fround(gain);
    return this.derived(
      name,
      `x${g}@${s.join('x')}`,
      s,
      (d) => (g === 1 ? d : timesScalar(d, g)),
      (v) => {
        const m = g === 1 ? v : this.b.mul(v, this.b.scalar(g));
        return s.join() === t.shape.join() ? m : this.b.reshape(m, s);
      },
    );
  }

  /** A [out, in] fully-connected weight times its gain, transposed to [in, out] for x @ W. */
  fcTransposed(name: string, gain: number): Value {
    const [o, i] = this.tensor(name).shape;
    const g = Math.fround(gain);
    return this.derived(
      name,
      `T${g}`,
      [i, o],
      (d) => {
        const out = new Float32Array(o * i);
        for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) out[c * o + r] = d[r * i + c] * g;
        return out;
      },
      (v) => this.b.transpose(this.b.mul(v, this.b.scalar(g)), [1, 0]),
    );
  }
}
