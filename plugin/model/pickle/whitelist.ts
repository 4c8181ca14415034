/**
 * The only Python globals an official StyleGAN2 checkpoint needs, and what each one builds here.
 * Anything else is refused by name: nothing in a checkpoint is ever executed.
 */
import { printable } from '../../codecs/printable';
import { CheckpointError } from '../../core/errors';
import { overLimit, truncated, unsupported } from './errors';
import { Semantics } from './machine';
import { loadLegacyTorchBytes } from './torchStorage';
import {
  PyDict,
  PyDtype,
  PyGlobal,
  PyValue,
  TorchTensor,
  describe,
  describeValue,
  dictGet,
  dictSet,
  isDict,
  isGlobal,
  isKind,
  newDict,
  seqItems,
} from './values';

/** What a handler may use: the semantics in force, and the budget that bounds the copies it makes. */
interface HandlerContext {
  sem: Semantics;
  /** Counts `units` (items or bytes) a handler copies; throws once the import's budget is spent. */
  copy(units: number, what: string): void;
  /** Reads a nested legacy torch stream (refused inside another one). */
  torchStream(bytes: Uint8Array): PyValue;
}

type Handler = (args: PyValue[], ctx: HandlerContext) => PyValue;

/**
 * Copies a handler may make per byte of the file, plus a fixed allowance: a checkpoint copies almost nothing
 * (empty OrderedDicts, small torch.Size tuples), while a crafted one can call list() on one memoised list a
 * million times.
 */
const COPIES_PER_FILE_BYTE = 4;
const COPIES_BASE = 1 << 20;

const DICT_CLASSES = new Set(['builtins.dict', 'collections.OrderedDict', 'dnnlib.util.EasyDict', 'dnnlib.EasyDict']);

function makeDict(className: string, args: PyValue[], ctx: HandlerContext): PyDict {
  const d = newDict(className);
  const init = args[0];
  if (isDict(init)) {
    ctx.copy(init.keys.length, className);
    init.keys.forEach((k, i) => dictSet(d, k, init.values[i]));
  } else {
    const pairs = seqItems(init) ?? [];
    ctx.copy(pairs.length, className);
    for (const pair of pairs) {
      const kv = seqItems(pair);
      if (!kv || kv.length !== 2) throw truncated(`bad ${className} initialiser`);
      dictSet(d, kv[0], kv[1]);
    }
  }
  return d;
}

function int(v: PyValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw truncated(`${what} is not an integer`);
  return v;
}

function ints(v: PyValue | undefined, what: string): number[] {
  const items = seqItems(v);
  if (!items) throw truncated(`${what} is not a tuple`);
  return items.map((x) => int(x, what));
}

/** Far above any StyleGAN2 layer (the largest holds 512 * 512 * 3 * 3 = 2.4M elements), far below 2^53. */
const MAX_TENSOR_ELEMENTS = 2 ** 31;
const MAX_TENSOR_RANK = 8;

function rebuildTensor(args: PyValue[]): TorchTensor {
  const [storage, offset, size, stride] = args;
  if (!isKind(storage, 'storage') && !isKind(storage, 'deferredStorage'))
    throw truncated(`tensor storage is ${describe(storage)}, not a torch storage`);
  const shape = ints(size, 'tensor size');
  const strides = ints(stride, 'tensor stride');
  if (strides.length !== shape.length) throw truncated('tensor size and stride differ in length');
  if (shape.length > MAX_TENSOR_RANK) throw truncated(`a tensor has ${shape.length} dimensions`);
  if (shape.some((d) => d < 0) || strides.some((d) => d < 0)) throw truncated('a tensor has a negative size or stride');
  if (shape.reduce((a, b) => a * b, 1) > MAX_TENSOR_ELEMENTS)
    throw overLimit(`a tensor of shape [${shape.join(', ')}] (more than ${MAX_TENSOR_ELEMENTS} elements)`);
  const at = int(offset, 'tensor offset');
  if (at < 0) throw truncated('a tensor has a negative storage offset');
  return { kind: 'tensor', storage, offset: at, size: shape, stride: strides };
}

function asTensor(v: PyValue | undefined): TorchTensor {
  if (!isKind(v, 'tensor')) throw truncated(`expected a tensor, found ${describe(v)}`);
  return v;
}

const NUMPY_SCALAR_SIZES: Record<string, number> = {
  f2: 2,
  f4: 4,
  f8: 8,
  i1: 1,
  i2: 2,
  i4: 4,
  i8: 8,
  u1: 1,
  u2: 2,
  u4: 4,
  u8: 8,
  b1: 1,
};

/** numpy scalar (e.g. a layer's np.float64 gain) as a JS number. */
function numpyScalar(args: PyValue[]): PyValue {
  const [dtype, raw] = args;
  if (!isKind(dtype, 'dtype')) throw truncated('numpy scalar without a dtype');
  const code = dtype.descr.replace(/^[<>|=]/, '');
  const size = NUMPY_SCALAR_SIZES[code];
  if (
    size === undefined ||
    (typeof raw === 'string' ? raw.length : raw instanceof Uint8Array ? raw.length : -1) !== size
  ) {
    throw unsupported(`numpy scalar of dtype ${printable(dtype.descr)} is not supported`);
  }
  const data = typeof raw === 'string' ? latin1Bytes(raw) : (raw as Uint8Array);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = dtype.byteOrder !== '>';
  switch (code) {
    case 'f4':
      return v.getFloat32(0, le);
    case 'f8':
      return v.getFloat64(0, le);
    case 'f2':
      return v.getUint16(0, le); // never in practice; kept as raw bits
    case 'i1':
      return v.getInt8(0);
    case 'i2':
      return v.getInt16(0, le);
    case 'i4':
      return v.getInt32(0, le);
    case 'i8':
      return Number(v.getBigInt64(0, le));
    case 'u1':
      return v.getUint8(0);
    case 'u2':
      return v.getUint16(0, le);
    case 'u4':
      return v.getUint32(0, le);
    case 'u8':
      return Number(v.getBigUint64(0, le));
    default:
      return v.getUint8(0) !== 0;
  }
}

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** A copy of a sequence's items, charged to the budget. */
function copyItems(v: PyValue | undefined, what: string, ctx: HandlerContext): PyValue[] {
  const items = seqItems(v) ?? [];
  ctx.copy(items.length, what);
  return items.slice();
}

/**
 * _rebuild_from_type_v2(func, new_type, args, state) calls func(*args): a tensor rebuild. A func that is itself
 * _rebuild_from_type_v2 would recurse once per level of a crafted nesting, until the call stack overflows.
 */
function rebuildFromType(a: PyValue[], ctx: HandlerContext): PyValue {
  if (isGlobal(a[0]) && a[0].name === '_rebuild_from_type_v2')
    throw unsupported('_rebuild_from_type_v2 rebuilds through itself, which checkpoints never do');
  return ctx.sem.call(a[0], seqItems(a[2]) ?? []);
}

/** The one TensorFlow-era class a StyleGAN2 TF pickle names (legacy.py's unpickler swaps in its stub for it). */
export const TF_NETWORK = 'dnnlib.tflib.network.Network';

const STORAGE_TYPES = [
  'Float',
  'Half',
  'BFloat16',
  'Double',
  'Long',
  'Int',
  'Short',
  'Char',
  'Byte',
  'Bool',
  'Untyped',
];
const TORCH_DTYPES = [
  'float32',
  'float16',
  'float64',
  'bfloat16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
  'float',
  'half',
  'double',
  'long',
];

/** Callables; `null` marks a class used only as a type tag (e.g. the new_type of _rebuild_from_type_v2). */
const CALLABLES = new Map<string, Handler | null>([
  ['collections.OrderedDict', (a, ctx) => makeDict('collections.OrderedDict', a, ctx)],
  ['builtins.dict', (a, ctx) => makeDict('builtins.dict', a, ctx)],
  ['dnnlib.util.EasyDict', (a, ctx) => makeDict('dnnlib.util.EasyDict', a, ctx)],
  ['dnnlib.EasyDict', (a, ctx) => makeDict('dnnlib.util.EasyDict', a, ctx)],
  ['builtins.list', (a, ctx) => copyItems(a[0], 'list()', ctx)],
  ['builtins.tuple', (a, ctx) => ({ kind: 'tuple', items: copyItems(a[0], 'tuple()', ctx) })],
  ['builtins.set', (a, ctx) => ({ kind: 'set', items: copyItems(a[0], 'set()', ctx) })],
  ['builtins.frozenset', (a, ctx) => ({ kind: 'set', items: copyItems(a[0], 'frozenset()', ctx) })],
  [
    'builtins.bytearray',
    (a, ctx) => {
      if (!(a[0] instanceof Uint8Array)) return new Uint8Array(0);
      ctx.copy(a[0].length, 'bytearray()');
      return a[0].slice();
    },
  ],
  ['builtins.object', null],
  // Protocol-2 pickles spell bytes as _codecs.encode(latin-1 text, 'latin1').
  [
    '_codecs.encode',
    (a, ctx) => {
      const [text, enc] = a;
      if (typeof text !== 'string' || (enc !== 'latin1' && enc !== 'latin-1'))
        throw unsupported('_codecs.encode is only allowed for latin-1 bytes');
      ctx.copy(text.length, '_codecs.encode()');
      return latin1Bytes(text);
    },
  ],
  ['copyreg._reconstructor', (a, ctx) => ctx.sem.newObject(a[0], [])],
  ['torch._utils._rebuild_tensor', (a) => rebuildTensor(a)],
  ['torch._utils._rebuild_tensor_v2', (a) => rebuildTensor(a)],
  ['torch._utils._rebuild_parameter', (a) => asTensor(a[0])],
  ['torch._utils._rebuild_parameter_with_state', (a) => asTensor(a[0])],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch._utils._rebuild_from_type_v2', rebuildFromType],
  [
    'torch.storage._load_from_bytes',
    (a, ctx) => {
      // a streamed import left these bytes in the file: parsed only if an imported tensor uses them
      if (isKind(a[0], 'fileBytes')) return { kind: 'deferredStorage', stream: a[0] };
      if (!(a[0] instanceof Uint8Array)) throw truncated('torch storage without bytes');
      return ctx.torchStream(a[0]);
    },
  ],
  ['torch.Tensor', null],
  ['torch.nn.parameter.Parameter', null],
  ['torch.Size', (a, ctx) => ({ kind: 'tuple', items: copyItems(a[0], 'torch.Size()', ctx) })],
  ['torch.device', (a) => ({ kind: 'object', className: 'torch.device', args: a, state: null })],
  ['torch_utils.persistence._reconstruct_persistent_obj', (a) => persistentObject(a[0])],
  ['numpy.core.multiarray.scalar', (a) => numpyScalar(a)],
  ['numpy._core.multiarray.scalar', (a) => numpyScalar(a)],
  [
    'numpy.dtype',
    (a) => {
      if (typeof a[0] !== 'string')
        throw unsupported(`numpy.dtype of ${describeValue(a[0])}, not a type code such as 'f4'`);
      return { kind: 'dtype', descr: a[0], byteOrder: '=' };
    },
  ],
  ['numpy.core.multiarray._reconstruct', () => ({ kind: 'ndarray', shape: [], dtype: null, data: null })],
  ['numpy._core.multiarray._reconstruct', () => ({ kind: 'ndarray', shape: [], dtype: null, data: null })],
  ['numpy.ndarray', null],
  // TensorFlow-era pickles: the Network's __setstate__ state is kept as inert data (tfNetwork.ts reads it)
  [TF_NETWORK, (a) => ({ kind: 'object', className: TF_NETWORK, args: a, state: null })],
  ...STORAGE_TYPES.map((t): [string, null] => [`torch.${t}Storage`, null]),
  ...TORCH_DTYPES.map((t): [string, null] => [`torch.${t}`, null]),
]);

function persistentObject(meta: PyValue | undefined): PyValue {
  if (!isDict(meta)) throw truncated('persistent object without a meta dict');
  const className = dictGet(meta, 'class_name');
  const moduleSrc = dictGet(meta, 'module_src');
  const state = dictGet(meta, 'state');
  const version = dictGet(meta, 'version');
  if (
    dictGet(meta, 'type') !== 'class' ||
    typeof className !== 'string' ||
    typeof moduleSrc !== 'string' ||
    !isDict(state)
  ) {
    throw truncated('persistent object meta lacks type/class_name/module_src/state');
  }
  return { kind: 'persistent', className, moduleSrc, version: typeof version === 'number' ? version : null, state };
}

/** Python 2 module names that pickle maps to Python 3 ones (fix_imports). */
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

function refuse(qualified: string): CheckpointError {
  return new CheckpointError(
    'unsafe',
    `checkpoint refers to the Python global '${printable(qualified)}', which no StyleGAN2 checkpoint needs: ` +
      'this file is not a StyleGAN2 checkpoint we can read safely (nothing in it was executed)',
  );
}

function tfRefusal(qualified: string): CheckpointError {
  return new CheckpointError(
    'tensorflow',
    `this TensorFlow-era checkpoint refers to '${printable(qualified)}', which StyleGAN2 TensorFlow pickles (tuples of ` +
      `${TF_NETWORK} states) never need: it is not a StyleGAN2 TF pickle we can read (nothing in it was executed)`,
  );
}

export interface CheckpointSemantics extends Semantics {
  /** Reads a legacy torch stream a streamed import left in the file, under the same rules as one met inline. */
  torchStream(bytes: Uint8Array): PyValue;
}

/**
 * The semantics for one checkpoint of `fileBytes` bytes: the whitelist, plus a copy budget proportional to the file
 * (legacy torch streams parsed are charged to it too) and at most one level of legacy torch stream (official
 * checkpoints never nest one inside another).
 */
export function checkpointSemantics(fileBytes: number): CheckpointSemantics {
  let copiesLeft = COPIES_PER_FILE_BYTE * fileBytes + COPIES_BASE;
  let inTorchStream = false;
  const torchStreams = new WeakMap<Uint8Array, PyValue>();
  const sem: Semantics = {
    resolveGlobal(module, name): PyGlobal {
      const mod = PY2_MODULES[module] ?? module;
      const qualified = `${mod}.${name}`;
      if (!CALLABLES.has(qualified))
        throw mod === 'dnnlib.tflib' || mod.startsWith('dnnlib.tflib.') ? tfRefusal(qualified) : refuse(qualified);
      return { kind: 'global', module: mod, name };
    },
    call(fn, args) {
      if (!isGlobal(fn)) throw truncated(`pickle calls ${describe(fn)}, which is not a function`);
      const h = CALLABLES.get(`${fn.module}.${fn.name}`);
      if (!h) throw refuse(`${fn.module}.${fn.name}`);
      return h(args, ctx);
    },
    newObject(cls, args) {
      if (!isGlobal(cls)) throw truncated(`pickle instantiates ${describe(cls)}, which is not a class`);
      const q = `${cls.module}.${cls.name}`;
      if (DICT_CLASSES.has(q)) return newDict(q === 'dnnlib.EasyDict' ? 'dnnlib.util.EasyDict' : q);
      if (q === 'builtins.set' || q === 'builtins.frozenset') return { kind: 'set', items: [] };
      if (q === 'builtins.list') return [];
      if (q === 'builtins.object') return { kind: 'object', className: q, args, state: null };
      const h = CALLABLES.get(q);
      if (h) return h(args, ctx);
      throw refuse(q);
    },
    build(obj, state) {
      if (isDict(obj)) {
        // A dict subclass's __dict__ (empty for EasyDict); the items came via SETITEMS.
        if (state === null || isDict(state)) return;
        const pair = seqItems(state);
        if (pair && pair.length === 2 && (pair[0] === null || isDict(pair[0]))) return;
        throw truncated(`unexpected state for ${printable(obj.className)}`);
      }
      if (isKind(obj, 'dtype')) {
        const s = seqItems(state);
        if (s && typeof s[1] === 'string') (obj as PyDtype).byteOrder = s[1];
        return;
      }
      if (isKind(obj, 'ndarray')) {
        const s = seqItems(state);
        if (!s || s.length < 5 || !isKind(s[2], 'dtype')) throw truncated('bad numpy array state');
        if (s[3] === true) throw unsupported('Fortran-order numpy arrays in checkpoints are not supported');
        obj.shape = ints(s[1], 'numpy array shape');
        obj.dtype = s[2];
        const raw = s[4];
        if (typeof raw === 'string') ctx.copy(raw.length, 'numpy array data');
        obj.data =
          raw instanceof Uint8Array || isKind(raw, 'fileBytes')
            ? raw
            : typeof raw === 'string'
              ? latin1Bytes(raw)
              : null;
        return;
      }
      if (isKind(obj, 'object')) {
        obj.state = state;
        return;
      }
      throw unsupported(`checkpoint sets state on ${describe(obj)}, which StyleGAN2 checkpoints never do`);
    },
    persistentLoad() {
      throw unsupported(
        'checkpoint uses persistent ids outside tensor data; it was not written by pickle.dump of a training snapshot',
      );
    },
  };
  const ctx: HandlerContext = {
    sem,
    copy(units, what) {
      copiesLeft -= units;
      if (copiesLeft < 0) throw overLimit(`${what} copies more items than a ${fileBytes}-byte file can justify`);
    },
    torchStream(bytes) {
      if (inTorchStream)
        throw unsupported('tensor data nested inside tensor data, which StyleGAN2 checkpoints never hold');
      // one memoised stream passed to _load_from_bytes a thousand times is parsed once; each parse of a new one
      // is charged by its length, so parsing never costs more than the file's bytes justify
      const parsed = torchStreams.get(bytes);
      if (parsed !== undefined) return parsed;
      ctx.copy(bytes.length, 'tensor data (torch.storage._load_from_bytes)');
      inTorchStream = true;
      try {
        const v = loadLegacyTorchBytes(bytes, sem);
        torchStreams.set(bytes, v);
        return v;
      } finally {
        inTorchStream = false;
      }
    },
  };
  return { ...sem, torchStream: (bytes) => ctx.torchStream(bytes) };
}
