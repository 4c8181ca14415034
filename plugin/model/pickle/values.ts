/** The Python values a checkpoint pickle can produce, as inert data (nothing here can run code). */
import { describeValue as describeAny } from '../../codecs/describeValue';
import { printable } from '../../codecs/printable';

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | PyDtype
  | PyNdarray
  | FileBytes
  | TorchStorage
  | DeferredStorage
  | TorchTensor
  | PersistentObject;

export interface PyTuple {
  kind: 'tuple';
  items: PyValue[];
}

/** dict, collections.OrderedDict and dnnlib.util.EasyDict: insertion-ordered. */
export interface PyDict {
  kind: 'dict';
  className: string;
  keys: PyValue[];
  values: PyValue[];
  /** Position of each hashable primitive key, so re-assignment overwrites as in Python. */
  index: Map<string, number>;
}

export interface PySet {
  kind: 'set';
  items: PyValue[];
}

/** A whitelisted global (class or function) used as a callable or a type tag. */
export interface PyGlobal {
  kind: 'global';
  module: string;
  name: string;
}

/** An instance of a whitelisted class we keep opaque (torch.device, ...). */
export interface PyObject {
  kind: 'object';
  className: string;
  args: PyValue[];
  state: PyValue;
}

export interface PyDtype {
  kind: 'dtype';
  descr: string;
  byteOrder: string;
}

export interface PyNdarray {
  kind: 'ndarray';
  shape: number[];
  dtype: PyDtype | null;
  /** The raw bytes, or where a streamed import left them in the file (TensorFlow-era variables). */
  data: Uint8Array | FileBytes | null;
}

export interface TorchStorage {
  kind: 'storage';
  /** torch storage class name, e.g. FloatStorage. */
  storageType: string;
  numel: number;
  /** Raw little-endian bytes, filled once the legacy stream's data section is read. */
  data: Uint8Array | null;
}

/**
 * A bytes value a streamed import left in the file (tensor data of a network it may never need): where it lies,
 * not its bytes.
 */
export interface FileBytes {
  kind: 'fileBytes';
  offset: number;
  length: number;
}

/** A storage whose legacy torch stream was left in the file: read and parsed only if an imported tensor uses it. */
export interface DeferredStorage {
  kind: 'deferredStorage';
  stream: FileBytes;
}

export interface TorchTensor {
  kind: 'tensor';
  storage: TorchStorage | DeferredStorage;
  offset: number;
  size: number[];
  stride: number[];
}

/** torch_utils.persistence object: meta = {type, version, module_src, class_name, state}. */
export interface PersistentObject {
  kind: 'persistent';
  className: string;
  moduleSrc: string;
  version: number | null;
  state: PyDict;
}

export function newDict(className = 'builtins.dict'): PyDict {
  return { kind: 'dict', className, keys: [], values: [], index: new Map() };
}

function keyId(k: PyValue): string | undefined {
  if (typeof k === 'string') return `s${k}`;
  if (typeof k === 'number' || typeof k === 'bigint') return `n${String(k)}`;
  if (typeof k === 'boolean') return `n${k ? 1 : 0}`;
  if (k === null) return 'None';
  return undefined;
}

export function dictSet(d: PyDict, k: PyValue, v: PyValue): void {
  const id = keyId(k);
  const at = id === undefined ? undefined : d.index.get(id);
  if (at !== undefined) {
    d.values[at] = v;
    return;
  }
  if (id !== undefined) d.index.set(id, d.keys.length);
  d.keys.push(k);
  d.values.push(v);
}

export function dictGet(d: PyDict, k: string): PyValue | undefined {
  const at = d.index.get(`s${k}`);
  return at === undefined ? undefined : d.values[at];
}

export function isDict(v: PyValue | undefined): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'dict';
}

export function isTuple(v: PyValue | undefined): v is PyTuple {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'tuple';
}

export function isGlobal(v: PyValue | undefined): v is PyGlobal {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'global';
}

export function isKind<K extends string>(v: PyValue | undefined, kind: K): v is Extract<PyValue, { kind: K }> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === kind;
}

/** Items of a list or tuple (Python sequences in arguments are either). */
export function seqItems(v: PyValue | undefined): PyValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (isTuple(v)) return v.items;
  return undefined;
}

export function describe(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v !== 'object') return typeof v;
  if (v.kind === 'global') return printable(`${v.module}.${v.name}`);
  if (v.kind === 'dict' || v.kind === 'object') return printable(v.className);
  return v.kind;
}

/**
 * A pickled value for an error message: short, escaped, walked without recursion and cut, whatever its nesting
 * or memo sharing (String() of a crafted list can take gigabytes or overflow the stack).
 */
export function describeValue(v: PyValue | undefined, max?: number): string {
  return describeAny(v, max, (o) => {
    const x = o as Exclude<PyValue, null | boolean | number | bigint | string>;
    if (Array.isArray(x) || x instanceof Uint8Array) return undefined;
    if (x.kind === 'tuple') return { open: '(', close: ')', items: x.items };
    if (x.kind === 'set') return { open: '{', close: '}', items: x.items };
    if (x.kind === 'dict') return { open: '{', close: '}', keys: x.keys, items: x.values };
    return describe(x);
  });
}
