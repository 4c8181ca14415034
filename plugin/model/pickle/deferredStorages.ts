/**
 * The storages a streamed import left in the file, read when a kept tensor needs them: each legacy torch stream is
 * read and parsed once, held only until the last tensor that uses it has its values (official snapshots: one tensor
 * per storage, so one storage at a time).
 */
import type { ByteSource } from '../byteSource';
import { unsupported } from './errors';
import { tensorValues } from './torchStorage';
import type { CheckpointSemantics } from './whitelist';
import { DeferredStorage, TorchStorage, TorchTensor, describe, isKind } from './values';

export class DeferredStorages {
  private readonly usesLeft = new Map<DeferredStorage, number>();
  private readonly held = new Map<DeferredStorage, TorchStorage>();

  /** `tensors`: every tensor whose values will be asked for, each once. */
  constructor(
    private readonly source: ByteSource,
    private readonly sem: CheckpointSemantics,
    tensors: Iterable<TorchTensor>,
  ) {
    for (const t of tensors)
      if (isKind(t.storage, 'deferredStorage')) this.usesLeft.set(t.storage, (this.usesLeft.get(t.storage) ?? 0) + 1);
  }

  async values(t: TorchTensor): Promise<Float32Array> {
    const deferred = t.storage;
    if (!isKind(deferred, 'deferredStorage')) return tensorValues(t);
    const storage = this.held.get(deferred) ?? (await this.load(deferred));
    const left = (this.usesLeft.get(deferred) ?? 1) - 1;
    this.usesLeft.set(deferred, left);
    if (left > 0) this.held.set(deferred, storage);
    else this.held.delete(deferred);
    return tensorValues(t, storage);
  }

  private async load(d: DeferredStorage): Promise<TorchStorage> {
    const v = this.sem.torchStream(await this.source.read(d.stream.offset, d.stream.length));
    if (!isKind(v, 'storage')) throw unsupported(`tensor data holds a ${describe(v)}, not a storage`);
    return v;
  }
}
