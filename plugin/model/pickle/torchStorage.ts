/**
 * torch storages inside official checkpoints: `torch.storage._load_from_bytes(b)` where b is a LEGACY
 * torch.save stream: pickle(magic) pickle(protocol 1001) pickle(sys_info) pickle(obj, storages as
 * persistent ids ('storage', StorageType, key, location, numel, view_metadata)) pickle([keys]) and, per key
 * in that order, an int64 element count followed by the raw little-endian elements.
 */
import { widenHalf } from '../halfFloat';
import { readBF16AsF32, readF32, readF64AsF32 } from '../littleEndian';
import { CheckpointError } from '../../engine/core/errors';
import { truncated, unsupported } from './errors';
import { Semantics, unpickle } from './machine';
import { PyValue, TorchStorage, TorchTensor, dictGet, isDict, isGlobal, seqItems } from './values';

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
  const header: Semantics = { ...sem, persistentLoad: () => { throw truncated('unexpected persistent id in a torch stream header'); } };
  let r = unpickle(bytes, header, 0);
  if (r.value !== LEGACY_MAGIC && r.value !== Number(LEGACY_MAGIC)) throw truncated('tensor data does not start with the torch.save magic number');
  r = unpickle(bytes, header, r.end);
  if (r.value !== LEGACY_PROTOCOL) throw unsupported(`torch.save protocol ${String(r.value)} is not supported (expected ${LEGACY_PROTOCOL})`);
  r = unpickle(bytes, header, r.end);
  if (isDict(r.value) && dictGet(r.value, 'little_endian') === false) throw unsupported('big-endian tensor data is not supported');
  const objectSem: Semantics = {
    ...sem,
    persistentLoad(pid) {
      const t = seqItems(pid);
      if (!t || t[0] !== 'storage' || t.length < 5) throw truncated('bad storage reference in tensor data');
      const [, type, key, , numel, view] = t;
      if (!isGlobal(type) || !(type.name in STORAGE_ELEMENT_SIZE)) throw truncated('bad storage type in tensor data');
      if (typeof key !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw truncated('bad storage key or size');
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
    if (!s) throw truncated(`tensor data lists an unknown storage ${String(key)}`);
    if (pos + 8 > bytes.length) throw truncated('tensor data ends before a storage size');
    const count = Number(view.getBigInt64(pos, true));
    pos += 8;
    const nbytes = count * STORAGE_ELEMENT_SIZE[s.storageType];
    if (count !== s.numel || pos + nbytes > bytes.length) throw truncated(`storage ${key} holds ${count} elements, expected ${s.numel}, or its data is cut short`);
    s.data = bytes.subarray(pos, pos + nbytes);
    pos += nbytes;
  }
  return obj;
}

function decodeStorage(s: TorchStorage): Float32Array {
  const d = s.data;
  if (!d) throw truncated('a tensor refers to storage data that the checkpoint never provides');
  const n = s.numel;
  switch (s.storageType) {
    case 'FloatStorage': return readF32(d, n);
    case 'HalfStorage': return widenHalf(d, n);
    case 'BFloat16Storage': return readBF16AsF32(d, n);
    case 'DoubleStorage': return readF64AsF32(d, n);
    default: {
      // Integer/bool buffers (never in G_ema's weights, but be exact if asked).
      const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      const out = new Float32Array(n);
      const size = STORAGE_ELEMENT_SIZE[s.storageType];
      for (let i = 0; i < n; i++) {
        const o = i * size;
        out[i] = s.storageType === 'LongStorage' ? Number(v.getBigInt64(o, true)) : s.storageType === 'IntStorage' ? v.getInt32(o, true)
          : s.storageType === 'ShortStorage' ? v.getInt16(o, true) : s.storageType === 'CharStorage' ? v.getInt8(o) : v.getUint8(o);
      }
      return out;
    }
  }
}

/** The tensor's elements in C order as float32, honouring storage offset and strides. */
export function tensorValues(t: TorchTensor): Float32Array {
  const all = decodeStorage(t.storage);
  const n = t.size.reduce((a, b) => a * b, 1);
  if (n === 0) return new Float32Array(0);
  let maxIndex = t.offset;
  for (let i = 0; i < t.size.length; i++) maxIndex += (t.size[i] - 1) * t.stride[i];
  if (t.offset < 0 || maxIndex >= all.length || t.stride.some((s) => s < 0)) {
    throw new CheckpointError('truncated', 'checkpoint is truncated/corrupt: a tensor reaches outside its storage');
  }
  let contiguous = true;
  for (let i = t.size.length - 1, expect = 1; i >= 0; i--) {
    if (t.size[i] !== 1 && t.stride[i] !== expect) contiguous = false;
    expect *= t.size[i];
  }
  if (contiguous) return all.slice(t.offset, t.offset + n);
  const out = new Float32Array(n);
  const idx = new Array<number>(t.size.length).fill(0);
  for (let k = 0; k < n; k++) {
    let src = t.offset;
    for (let i = 0; i < idx.length; i++) src += idx[i] * t.stride[i];
    out[k] = all[src];
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i] < t.size[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}
