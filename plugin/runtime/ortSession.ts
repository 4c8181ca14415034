import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-common';
import type { HostTensor } from '../graph/tensor';
import type { DeviceTensor, Session, SessionFeed } from './runtime';

type TensorCtor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => TypedTensor<'float32'>;

/** An onnxruntime tensor left where it was computed: GPU memory on WebGPU, or the host's on CPU providers. */
class OrtDeviceTensor implements DeviceTensor {
  readonly kind = 'device';
  private disposed = false;

  constructor(private readonly t: Tensor) {}

  get shape(): readonly number[] {
    return this.t.dims;
  }

  get location(): string {
    return this.t.location;
  }

  get tensor(): Tensor {
    if (this.disposed) throw new Error('a device tensor was fed after it was disposed');
    return this.t;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.t.dispose();
  }
}

async function toHost(name: string, t: Tensor): Promise<HostTensor> {
  if (t.type !== 'float32') throw new Error(`output '${name}' has type ${t.type}; expected float32`);
  // a GPU output is downloaded and its buffer freed at once
  const data = t.location === 'cpu' ? t.data : await t.getData(true);
  return { shape: [...t.dims], data: data as Float32Array };
}

/** Adapts an onnxruntime InferenceSession (node or web: they share onnxruntime-common's API) to our Session. */
export class OrtSession implements Session {
  constructor(
    private readonly session: InferenceSession,
    private readonly TensorClass: TensorCtor,
    private readonly deviceOutputs: ReadonlySet<string> = new Set(),
    /** Initializer data the session was created from: kept for its life, in case the runtime reads it in place. */
    readonly externalData?: readonly unknown[],
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  private feeds(feeds: Record<string, SessionFeed>): Record<string, Tensor> {
    const ortFeeds: Record<string, Tensor> = {};
    // Feeds a graph does not use are skipped, so callers can pass one set of tensors to related graphs.
    for (const name of this.session.inputNames) {
      const t = feeds[name];
      if (!t) throw new Error(`missing input '${name}'`);
      if ('kind' in t) {
        if (!(t instanceof OrtDeviceTensor)) throw new Error(`input '${name}' is a device tensor of another runtime`);
        ortFeeds[name] = t.tensor;
      } else {
        ortFeeds[name] = new this.TensorClass('float32', t.data, t.shape);
      }
    }
    return ortFeeds;
  }

  async run(feeds: Record<string, SessionFeed>, outputs?: readonly string[]): Promise<Record<string, HostTensor>> {
    const ortFeeds = this.feeds(feeds);
    const res = outputs ? await this.session.run(ortFeeds, [...outputs]) : await this.session.run(ortFeeds);
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(res)) out[name] = await toHost(name, t);
    return out;
  }

  async runKeeping(
    feeds: Record<string, SessionFeed>,
  ): Promise<{ host: Record<string, HostTensor>; device: Record<string, DeviceTensor> }> {
    const res = await this.session.run(this.feeds(feeds));
    const host: Record<string, HostTensor> = {};
    const device: Record<string, DeviceTensor> = {};
    try {
      for (const [name, t] of Object.entries(res)) {
        if (this.deviceOutputs.has(name)) device[name] = new OrtDeviceTensor(t);
        else host[name] = await toHost(name, t);
      }
    } catch (e) {
      for (const t of Object.values(res)) t.dispose();
      throw e;
    }
    return { host, device };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
