import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-common';
import type { HostTensor } from '../graph/tensor';
import type { Session } from './runtime';

type TensorCtor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => TypedTensor<'float32'>;

/** Adapts an onnxruntime InferenceSession (node or web: they share onnxruntime-common's API) to our Session. */
export class OrtSession implements Session {
  constructor(
    private readonly session: InferenceSession,
    private readonly TensorClass: TensorCtor,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Record<string, HostTensor>, outputs?: readonly string[]): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, Tensor> = {};
    // Feeds a graph does not use are skipped, so callers can pass one set of tensors to related graphs.
    for (const name of this.session.inputNames) {
      const t = feeds[name];
      if (!t) throw new Error(`missing input '${name}'`);
      ortFeeds[name] = new this.TensorClass('float32', t.data, t.shape);
    }
    const res = outputs ? await this.session.run(ortFeeds, [...outputs]) : await this.session.run(ortFeeds);
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(res)) {
      if (t.type !== 'float32') throw new Error(`output '${name}' has type ${t.type}; expected float32`);
      out[name] = { shape: [...t.dims], data: t.data as Float32Array };
    }
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
