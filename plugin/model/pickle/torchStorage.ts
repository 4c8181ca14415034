/**
 * torch storages inside official checkpoints: `torch.storage._load_from_bytes(b)` where b is a LEGACY
 * torch.save stream: pickle(magic) pickle(protocol 1001) pickle(sys_info) pickle(obj, storages as
 * persistent ids ('storage', StorageType, key, location, numel, view_metadata)) pickle([keys]) and, per key
 * in that order, an int64 element count followed by the raw little-endian elements.
 */
import { halfToFloat, widenHalf } from '../halfFloat';
import { readBF16AsF32, readF32, readF64AsF32 } from '../littleEndian';
import { CheckpointError } from '../../core/errors';
import { overLimit, truncated, unsupported } from './errors';
import { Semantics, unpickle } from './machine';
import { PyValue, TorchStorage, TorchTensor, describeValue, dictGet, isDict, isGlobal, seqItems } from './values';

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

export const STORAGE_ELEMENT_SIZE: Record<string, number> = {
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  DoubleStorage: 8,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  UntypedStorage: 1,
};

/** Reads one legacy torch.save stream; `sem` supplies the whitelist for the object pickle. */
export function loadLegacyTorchBytes(bytes: Uint8Array, sem: Semantics): PyValue {
  const storages = new Map<string, TorchStorage>();
  const header: Semantics = {
    ...sem,
    persistentLoad: () => {
      throw truncated('unexpected persistent id in a torch stream header');
    },
  };
  let r = unpickle(bytes, header, 0);
  if (r.value !== LEGACY_MAGIC && r.value !== Number(LEGACY_MAGIC))
    throw truncated('tensor data does not start with the torch.save magic number');
  r = unpickle(bytes, header, r.end);
  if (r.value !== LEGACY_PROTOCOL)
    throw unsupported(`torch.save protocol ${describeValue(r.value)} is not supported (expected ${LEGACY_PROTOCOL})`);
  r = unpickle(bytes, header, r.end);
  if (isDict(r.value) && dictGet(r.value, 'little_endian') === false)
    throw unsupported('big-endian tensor data is not supported');
  const objectSem: Semantics = {
    ...sem,
    persistentLoad(pid) {
      const t = seqItems(pid);
      if (!t || t[0] !== 'storage' || t.length < 5) throw truncated('bad storage reference in tensor data');
      const [, type, key, , numel, view] = t;
      if (!isGlobal(type) || !(type.name in STORAGE_ELEMENT_SIZE)) throw truncated('bad storage type in tensor data');
      if (typeof key !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
        throw truncated('bad storage key or size');
      if (view !== undefined && view !== null) throw unsupported('storage views in tensor data are not supported');
      let s = storages.get(key);
      if (!s) {
        s = { kind: 'storage', storageType: type.name, numel, data: null };
        storages.set(key, s);
      }
      return s;
    },
  };
  r = unpickle(bytes, objectSem, r.end);
  const obj = r.value;
  const keysResult = unpickle(bytes, header, r.end);
  const keys = seqItems(keysResult.value);
  if (!keys) throw truncated('tensor data has no storage key list');
  let pos = keysResult.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys) {
    const s = typeof key === 'string' ? storages.get(key) : undefined;
    if (!s) throw truncated(`tensor data lists an unknown storage ${describeValue(key)}`);
    if (pos + 8 > bytes.length) throw truncated('tensor data ends before a storage size');
    const count = Number(view.getBigInt64(pos, true));
    pos += 8;
    const nbytes = count * STORAGE_ELEMENT_SIZE[s.storageType];
    if (count !== s.numel || pos + nbytes > bytes.length)
      throw truncated(
        `storage ${describeValue(key)} holds ${count} elements, expected ${s.numel}, or its data is cut short`,
      );
    s.data = bytes.subarray(pos, pos + nbytes);
    pos += nbytes;
  }
  return obj;
}

/** The storage's element `i` as a number (its bytes were checked to hold `numel` elements). */
function elementReader(s: TorchStorage): (i: number) => number {
  const d = s.data;
  if (!d) throw truncated('a tensor refers to storage data that the checkpoint never provides');
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  switch (s.storageType) {
    case 'FloatStorage':
      return (i) => v.getFloat32(i * 4, true);
    case 'HalfStorage':
      return (i) => halfToFloat(v.getUint16(i * 2, true));
    case 'BFloat16Storage':
      return (i) => readBF16AsF32(d.subarray(i * 2, i * 2 + 2), 1)[0];
    case 'DoubleStorage':
      return (i) => v.getFloat64(i * 8, true);
    // Integer/bool buffers (never in G_ema's weights, but be exact if asked).
    case 'LongStorage':
      return (i) => Number(v.getBigInt64(i * 8, true));
    case 'IntStorage':
      return (i) => v.getInt32(i * 4, true);
    case 'ShortStorage':
      return (i) => v.getInt16(i * 2, true);
    case 'CharStorage':
      return (i) => v.getInt8(i);
    default:
      return (i) => v.getUint8(i);
  }
}

/** A contiguous run of `n` elements from `offset`, decoded in bulk (the common case: one tensor, one storage). */
function contiguousRun(s: TorchStorage, offset: number, n: number): Float32Array {
  const d = s.data;
  if (!d) throw truncated('a tensor refers to storage data that the checkpoint never provides');
  const size = STORAGE_ELEMENT_SIZE[s.storageType];
  const bytes = d.subarray(offset * size, (offset + n) * size);
  switch (s.storageType) {
    case 'FloatStorage':
      return readF32(bytes, n);
    case 'HalfStorage':
      return widenHalf(bytes, n);
    case 'BFloat16Storage':
      return readBF16AsF32(bytes, n);
    case 'DoubleStorage':
      return readF64AsF32(bytes, n);
    default: {
      const read = elementReader(s);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = read(offset + i);
      return out;
    }
  }
}

/** Views may repeat storage elements (stride 0, overlapping strides); this much expansion is allowed beyond the file. */
const VIEW_ALLOWANCE_BYTES = 64 * 2 ** 20;

/**
 * Checks, before any value is read, that `tensors` expand to no more float32 data than a file of `fileBytes` can
 * hold: real tensors own their storage, so their values take at most twice the file's bytes (float16 widened);
 * stride-0 or overlapping views could ask for far more from a few kilobytes.
 */
export function checkExpansion(tensors: Iterable<TorchTensor>, fileBytes: number): void {
  let bytes = 0;
  for (const t of tensors) bytes += 4 * t.size.reduce((a, b) => a * b, 1);
  const allowed = 2 * fileBytes + VIEW_ALLOWANCE_BYTES;
  if (bytes > allowed) {
    const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;
    throw overLimit(
      `its tensors would expand to ${mb(bytes)} of float32 values, more than the ${mb(allowed)} a ${fileBytes}-byte file can hold (they repeat storage elements through stride-0 or overlapping views)`,
    );
  }
}

/** The tensor's storage as a whole-file import holds it (a streamed one reads deferred storages first). */
function heldStorage(t: TorchTensor): TorchStorage {
  if (t.storage.kind !== 'storage') throw new Error("this tensor's data was left in the file; read its storage first");
  return t.storage;
}

/** The tensor's elements in C order as float32, honouring storage offset and strides, from `storage` (its own). */
export function tensorValues(t: TorchTensor, storage: TorchStorage = heldStorage(t)): Float32Array {
  const n = t.size.reduce((a, b) => a * b, 1);
  if (n === 0) return new Float32Array(0);
  let maxIndex = t.offset;
  for (let i = 0; i < t.size.length; i++) maxIndex += (t.size[i] - 1) * t.stride[i];
  if (t.offset < 0 || maxIndex >= storage.numel || t.stride.some((s) => s < 0)) {
    throw new CheckpointError('truncated', 'checkpoint is truncated/corrupt: a tensor reaches outside its storage');
  }
  let contiguous = true;
  for (let i = t.size.length - 1, expect = 1; i >= 0; i--) {
    if (t.size[i] !== 1 && t.stride[i] !== expect) contiguous = false;
    expect *= t.size[i];
  }
  if (contiguous) return contiguousRun(storage, t.offset, n);
  const read = elementReader(storage);
  const out = new Float32Array(n);
  const idx = new Array<number>(t.size.length).fill(0);
  for (let k = 0; k < n; k++) {
    let src = t.offset;
    for (let i = 0; i < idx.length; i++) src += idx[i] * t.stride[i];
    out[k] = read(src);
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i] < t.size[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}
