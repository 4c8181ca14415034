/**
 * A small pickle writer (protocol 3) for test recipes: crafted checkpoints are built from a value tree here rather
 * than stored as opaque binary files, so each bomb says what it is.
 */
import { concatBytes as concat } from '../../../plugin/codecs/concatBytes';
export type PV =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PV[]
  | { tuple: PV[] }
  | { dict: [PV, PV][] }
  | { call: [string, string]; args: PV[] }
  | { put: number; value: PV }
  | { get: number }
  | { raw: Uint8Array };

/** The pickle's bytes as parts: small opcodes gathered, large bytes values kept as they are (a 360 MB snapshot). */
class Sink {
  readonly parts: Uint8Array[] = [];
  private small: number[] = [];
  push(...bytes: number[]): void {
    for (const b of bytes) this.small.push(b);
  }
  bytes(b: Uint8Array): void {
    if (b.length < 4096) return this.push(...b);
    this.flush();
    this.parts.push(b);
  }
  flush(): void {
    if (this.small.length > 0) this.parts.push(Uint8Array.from(this.small));
    this.small = [];
  }
}

const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

function emit(v: PV, out: Sink): void {
  if (v === null) out.push(0x4e);
  else if (v === true) out.push(0x88);
  else if (v === false) out.push(0x89);
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) out.push(0x4a, ...u32(v));
    else if (Number.isInteger(v)) {
      // LONG1, little-endian two's complement
      let b = BigInt(v);
      const bytes: number[] = [];
      for (let i = 0; i < 8; i++) {
        bytes.push(Number(b & 0xffn));
        b >>= 8n;
      }
      out.push(0x8a, 8, ...bytes);
    } else {
      const f = new DataView(new ArrayBuffer(8));
      f.setFloat64(0, v, false);
      out.push(0x47, ...new Uint8Array(f.buffer));
    }
  } else if (typeof v === 'string') {
    const b = text(v);
    out.push(0x58, ...u32(b.length));
    for (const x of b) out.push(x);
  } else if (v instanceof Uint8Array) {
    out.push(0x42, ...u32(v.length));
    out.bytes(v);
  } else if (Array.isArray(v)) {
    out.push(0x5d, 0x28);
    for (const x of v) emit(x, out);
    out.push(0x65);
  } else if ('tuple' in v) {
    out.push(0x28);
    for (const x of v.tuple) emit(x, out);
    out.push(0x74);
  } else if ('dict' in v) {
    out.push(0x7d, 0x28);
    for (const [k, x] of v.dict) {
      emit(k, out);
      emit(x, out);
    }
    out.push(0x75);
  } else if ('call' in v) {
    out.push(0x63, ...text(`${v.call[0]}\n${v.call[1]}\n`));
    emit({ tuple: v.args }, out);
    out.push(0x52);
  } else if ('put' in v) {
    emit(v.value, out);
    out.push(0x72, ...u32(v.put));
  } else if ('get' in v) {
    out.push(0x6a, ...u32(v.get));
  } else {
    out.bytes(v.raw);
  }
}

export { concat };

/** One pickle as parts, to be written one after another: PROTO 3, the value, STOP. */
export function pickleParts(v: PV): Uint8Array[] {
  const out = new Sink();
  out.push(0x80, 0x03);
  emit(v, out);
  out.push(0x2e);
  out.flush();
  return out.parts;
}

/** One pickle: PROTO 3, the value, STOP. */
export function pickle(v: PV): Uint8Array {
  return concat(pickleParts(v));
}

export const dict = (o: Record<string, PV>): PV => ({ dict: Object.entries(o) });

/**
 * A float32 storage as the official persistence pickles hold it: torch.storage._load_from_bytes(legacy stream);
 * `sysInfo` is the stream's third pickle.
 */
export function floatStorage(
  values: Float32Array,
  sysInfo: PV = dict({ protocol_version: 1001, little_endian: true }),
): PV {
  const magic = pickle({
    raw: Uint8Array.from([0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]),
  });
  const header = [magic, pickle(1001), pickle(sysInfo)];
  // the object: a persistent id ('storage', FloatStorage, key, location, numel, None)
  const pid: PV = {
    tuple: [
      'storage',
      { raw: Uint8Array.from([0x63, ...text('torch\nFloatStorage\n')]) },
      '0',
      'cpu',
      values.length,
      null,
    ],
  };
  const obj = pickle({ raw: Uint8Array.from([...pickleBody(pid), 0x51]) });
  const keys = pickle(['0']);
  const count = new Uint8Array(8);
  new DataView(count.buffer).setBigInt64(0, BigInt(values.length), true);
  const data = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { call: ['torch.storage', '_load_from_bytes'], args: [concat([...header, obj, keys, count, data])] };
}

function pickleBody(v: PV): number[] {
  const out = new Sink();
  emit(v, out);
  out.flush();
  return [...concat(out.parts)];
}

/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks). */
export function tensor(storage: PV, size: number[], stride?: number[], offset = 0): PV {
  const st = stride ?? size.map((_, i) => size.slice(i + 1).reduce((a, b) => a * b, 1));
  return {
    call: ['torch._utils', '_rebuild_tensor_v2'],
    args: [storage, offset, { tuple: size }, { tuple: st }, false, dict({})],
  };
}

/** The source text the importer looks for in an official StyleGAN2 generator's module. */
export const STYLEGAN2_SOURCE =
  'class MappingNetwork: pass\nclass SynthesisNetwork: pass\ndef modulated_conv2d(): pass\n';

/** A torch_utils.persistence module: class name, init kwargs, parameters and submodules. */
export function persistentModule(
  className: string,
  state: { kwargs?: PV; params?: [string, PV][]; modules?: [string, PV][] },
): PV {
  const st = dict({
    _init_args: { tuple: [] },
    _init_kwargs: state.kwargs ?? dict({}),
    _parameters: { dict: state.params ?? [] },
    _buffers: dict({}),
    _modules: { dict: state.modules ?? [] },
  });
  const meta = dict({ type: 'class', version: 4, module_src: STYLEGAN2_SOURCE, class_name: className, state: st });
  return { call: ['torch_utils.persistence', '_reconstruct_persistent_obj'], args: [meta] };
}

/** A training snapshot {...before, G_ema: generator}; `before` is pickled first (memoised values the generator reuses). */
export function snapshot(generator: PV, before: Record<string, PV> = {}): Uint8Array {
  return pickle(dict({ ...before, G_ema: generator }));
}
