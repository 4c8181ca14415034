/**
 * A pickle (protocols 0-5) stack machine that only builds inert values. Every global, call, object
 * construction and persistent id goes through `Semantics`, which decides what is allowed.
 */
import { CheckpointError } from '../../core/errors';
import { overLimit, truncated, unsupported } from './errors';
import { printable } from '../../codecs/printable';
import { decodeLatin1 as latin1 } from '../../codecs/latin1';
import { decodeUtf8 as utf8 } from '../../codecs/utf8';
import { PyGlobal, PyValue, dictSet, isDict, isKind, newDict, seqItems } from './values';

export interface Semantics {
  resolveGlobal(module: string, name: string): PyGlobal;
  call(fn: PyValue, args: PyValue[]): PyValue;
  newObject(cls: PyValue, args: PyValue[]): PyValue;
  build(obj: PyValue, state: PyValue): void;
  persistentLoad(pid: PyValue): PyValue;
}

/**
 * Bounds on what one pickle may make the machine hold. Official checkpoints use a few thousand stack items and
 * memo entries, marks nested a dozen deep and integers of at most 10 bytes.
 */
export const PICKLE_LIMITS = {
  /** Items on the stack and on every stack saved under a MARK, together. */
  stackItems: 1 << 21,
  markDepth: 4096,
  memoEntries: 1 << 21,
  /** Bytes of a LONG1/LONG4 integer and digits of a text INT/LONG (decoding them costs quadratic time). */
  integerBytes: 64,
};

export interface UnpickleResult {
  value: PyValue;
  /** Offset just past the STOP opcode (legacy torch streams hold several pickles back to back). */
  end: number;
}

/**
 * The file bytes the machine may read now: bytes [base, base + bytes.length) of the file; `atEnd` when they reach
 * its end (a whole file in memory is one window at base 0).
 */
export interface PickleWindow {
  bytes: Uint8Array;
  base: number;
  atEnd: boolean;
}

/** A streamed run: large bytes values stay in the file, and small ones are copied out of the window it reuses. */
export interface StreamedOptions {
  fileLength: number;
  /** BINBYTES of at least this many bytes (tensor data) become FileBytes, skipped without being read. */
  deferBytesFrom: number;
}

/** An opcode reached past the window: the machine stops before it, to go on once the window reaches `until`. */
class NeedBytes {
  constructor(readonly until: number) {}
}

class Reader {
  /** Absolute offset in the file. */
  pos: number;
  window: PickleWindow = { bytes: new Uint8Array(0), base: 0, atEnd: false };
  constructor(start: number) {
    this.pos = start;
  }
  private get end(): number {
    return this.window.base + this.window.bytes.length;
  }
  need(n: number, what: string): void {
    if (n < 0) throw truncated(`pickle ends inside ${what} at byte ${this.pos}`);
    if (this.pos + n > this.end) {
      if (this.window.atEnd) throw truncated(`pickle ends inside ${what} at byte ${this.pos}`);
      throw new NeedBytes(this.pos + n);
    }
  }
  u8(): number {
    this.need(1, 'an opcode');
    return this.window.bytes[this.pos++ - this.window.base];
  }
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const at = this.pos - this.window.base;
    this.pos += n;
    return this.window.bytes.subarray(at, at + n);
  }
  view(n: number, what: string): DataView {
    const b = this.take(n, what);
    return new DataView(b.buffer, b.byteOffset, n);
  }
  uint(n: 1 | 2 | 4 | 8, what: string): number {
    const v = this.view(n, what);
    if (n === 1) return v.getUint8(0);
    if (n === 2) return v.getUint16(0, true);
    if (n === 4) return v.getUint32(0, true);
    const big = v.getBigUint64(0, true);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw truncated(`implausible length in ${what}`);
    return Number(big);
  }
  line(what: string): string {
    const { bytes, base, atEnd } = this.window;
    const nl = bytes.indexOf(0x0a, this.pos - base);
    if (nl < 0) {
      if (atEnd) throw truncated(`pickle ends inside ${what}`);
      throw new NeedBytes(this.end + 1);
    }
    const s = latin1(bytes.subarray(this.pos - base, nl));
    this.pos = base + nl + 1;
    return s;
  }
}

function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8(b, { fatal: true });
  } catch {
    throw truncated('invalid UTF-8 in a string');
  }
}

function longLength(n: number, what: string): number {
  if (n > PICKLE_LIMITS.integerBytes)
    throw overLimit(`a ${n}-byte integer (${what}; the limit is ${PICKLE_LIMITS.integerBytes} bytes)`);
  return n;
}

/** Little-endian two's-complement integer of bounded width (LONG1/LONG4). */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return normInt(v);
}

function normInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseTextInt(s: string): number | bigint | boolean {
  if (s.length > PICKLE_LIMITS.integerBytes)
    throw overLimit(`a ${s.length}-digit integer literal (the limit is ${PICKLE_LIMITS.integerBytes})`);
  const t = s.replace(/L$/, '');
  if (t === '00') return false;
  if (t === '01') return true;
  if (!/^[-+]?\d+$/.test(t)) throw truncated(`bad integer literal ${printable(JSON.stringify(s))}`);
  return normInt(BigInt(t));
}

/** Python-2 text string literal (STRING opcode): quoted, with backslash escapes. */
function parseQuoted(s: string): Uint8Array {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s[s.length - 1] !== q) throw truncated('bad STRING literal');
  const body = s
    .slice(1, -1)
    .replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_m, hex: string | undefined, c: string | undefined) => {
      if (hex) return String.fromCharCode(parseInt(hex, 16));
      return (
        ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[c ?? ''] ?? `\\${c}`
      );
    });
  return Uint8Array.from(body, (ch) => ch.charCodeAt(0) & 0xff);
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt((a ?? b) as string, 16)),
  );
}

function bytesAsString(b: Uint8Array): string {
  return latin1(b);
}

/** One pickle from a whole file (or stream) in memory. */
export function unpickle(bytes: Uint8Array, sem: Semantics, start = 0): UnpickleResult {
  const result = pickleMachine(sem, start).run({ bytes, base: 0, atEnd: true });
  if ('needUntil' in result) throw truncated('pickle ends early'); // a window at the file's end never asks for more
  return result;
}

export interface PickleMachine {
  /** Where the next opcode starts (absolute): a window given to `run` must start at or before it. */
  readonly pos: number;
  /** Runs opcodes to STOP, or until the next one reaches past the window: then it says how far the window must reach. */
  run(window: PickleWindow): UnpickleResult | { needUntil: number };
}

/** The stack machine, resumable between opcodes: it can be fed a file a window at a time (streamedUnpickle.ts). */
export function pickleMachine(sem: Semantics, start = 0, streamed?: StreamedOptions): PickleMachine {
  const r = new Reader(start);
  let stack: PyValue[] = [];
  const metastack: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  // items on `stack` and on every stack saved in `metastack`
  let held = 0;

  const pop = (): PyValue => {
    if (stack.length === 0) throw truncated('pickle stack underflow');
    held--;
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0) throw truncated('pickle stack underflow');
    return stack[stack.length - 1];
  };
  const mark = (): void => {
    if (metastack.length >= PICKLE_LIMITS.markDepth)
      throw overLimit(`MARKs nested more than ${PICKLE_LIMITS.markDepth} deep`);
    metastack.push(stack);
    stack = [];
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) throw truncated('pickle has no MARK to pop to');
    stack = prev;
    held -= items.length;
    return items;
  };
  const push = (v: PyValue): void => {
    if (++held > PICKLE_LIMITS.stackItems)
      throw overLimit(`more than ${PICKLE_LIMITS.stackItems} items on the pickle stack`);
    stack.push(v);
  };
  const memoPut = (i: number, v: PyValue): void => {
    if (memo.size >= PICKLE_LIMITS.memoEntries && !memo.has(i))
      throw overLimit(`more than ${PICKLE_LIMITS.memoEntries} memo entries`);
    memo.set(i, v);
  };
  const memoGet = (i: number): PyValue => {
    const v = memo.get(i);
    if (v === undefined) throw truncated(`memo entry ${i} missing`);
    return v;
  };
  const setItems = (d: PyValue, kv: PyValue[]): void => {
    if (!isDict(d)) throw new CheckpointError('unsupported', 'pickle assigns items to something that is not a dict');
    for (let i = 0; i + 1 < kv.length; i += 2) dictSet(d, kv[i], kv[i + 1]);
  };
  // loops, not push(...items): a spread of a million arguments overflows the call stack
  const addItems = (s: PyValue, items: PyValue[]): void => {
    if (!isKind(s, 'set')) throw truncated('ADDITEMS on a non-set');
    for (const v of items) s.items.push(v);
  };
  const appendItems = (l: PyValue, items: PyValue[]): void => {
    if (!Array.isArray(l)) {
      // Lists are the only appendable values we build; anything else would need to run its extend().
      throw unsupported('pickle appends to something that is not a list');
    }
    for (const v of items) l.push(v);
  };
  const bytesValue = (n: number, what: string): PyValue => {
    if (streamed && n >= streamed.deferBytesFrom) {
      if (r.pos + n > streamed.fileLength) throw truncated(`pickle ends inside ${what} at byte ${r.pos}`);
      const skipped: PyValue = { kind: 'fileBytes', offset: r.pos, length: n };
      r.pos += n;
      return skipped;
    }
    const b = r.take(n, what);
    // a streamed window is dropped once passed: a value must not keep it alive
    return streamed ? b.slice() : b;
  };

  /** One opcode; the result at STOP. */
  const step = (): UnpickleResult | undefined => {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 5) throw unsupported('pickle protocol newer than 5');
        break;
      case 0x95: // FRAME: length only, the data is inline
        r.uint(8, 'FRAME');
        break;
      case 0x2e: // STOP
        return { value: pop(), end: r.pos };
      case 0x28: // MARK
        mark();
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      // --- constants and numbers
      case 0x4e:
        push(null);
        break; // NONE
      case 0x88:
        push(true);
        break; // NEWTRUE
      case 0x89:
        push(false);
        break; // NEWFALSE
      case 0x4b:
        push(r.uint(1, 'BININT1'));
        break;
      case 0x4d:
        push(r.uint(2, 'BININT2'));
        break;
      case 0x4a:
        push(r.view(4, 'BININT').getInt32(0, true));
        break;
      case 0x8a:
        push(decodeLong(r.take(longLength(r.uint(1, 'LONG1'), 'LONG1'), 'LONG1')));
        break;
      case 0x8b:
        push(decodeLong(r.take(longLength(r.uint(4, 'LONG4'), 'LONG4'), 'LONG4')));
        break;
      case 0x49:
        push(parseTextInt(r.line('INT')));
        break; // INT
      case 0x4c: {
        // LONG
        const v = parseTextInt(r.line('LONG'));
        push(typeof v === 'boolean' ? Number(v) : v);
        break;
      }
      case 0x47:
        push(r.view(8, 'BINFLOAT').getFloat64(0, false));
        break; // big-endian
      case 0x46: {
        // FLOAT
        const v = Number(r.line('FLOAT'));
        if (Number.isNaN(v)) throw truncated('bad FLOAT literal');
        push(v);
        break;
      }
      // --- strings and bytes
      case 0x8c:
        push(decodeUtf8(r.take(r.uint(1, 'SHORT_BINUNICODE'), 'SHORT_BINUNICODE')));
        break;
      case 0x58:
        push(decodeUtf8(r.take(r.uint(4, 'BINUNICODE'), 'BINUNICODE')));
        break;
      case 0x8d:
        push(decodeUtf8(r.take(r.uint(8, 'BINUNICODE8'), 'BINUNICODE8')));
        break;
      case 0x56:
        push(rawUnicodeEscape(r.line('UNICODE')));
        break;
      case 0x43:
        push(bytesValue(r.uint(1, 'SHORT_BINBYTES'), 'SHORT_BINBYTES'));
        break;
      case 0x42:
        push(bytesValue(r.uint(4, 'BINBYTES'), 'BINBYTES'));
        break;
      case 0x8e:
        push(bytesValue(r.uint(8, 'BINBYTES8'), 'BINBYTES8'));
        break;
      case 0x96:
        push(r.take(r.uint(8, 'BYTEARRAY8'), 'BYTEARRAY8').slice());
        break;
      // Python 2 str: decoded as latin-1 text (what pickle.load(encoding='latin1') does).
      case 0x55:
        push(bytesAsString(r.take(r.uint(1, 'SHORT_BINSTRING'), 'SHORT_BINSTRING')));
        break;
      case 0x54:
        push(bytesAsString(r.take(r.view(4, 'BINSTRING').getInt32(0, true), 'BINSTRING')));
        break;
      case 0x53:
        push(bytesAsString(parseQuoted(r.line('STRING'))));
        break;
      // --- containers
      case 0x5d:
        push([]);
        break; // EMPTY_LIST
      case 0x29:
        push({ kind: 'tuple', items: [] });
        break; // EMPTY_TUPLE
      case 0x7d:
        push(newDict());
        break; // EMPTY_DICT
      case 0x8f:
        push({ kind: 'set', items: [] });
        break; // EMPTY_SET
      case 0x6c:
        push(popMark());
        break; // LIST
      case 0x74:
        push({ kind: 'tuple', items: popMark() });
        break; // TUPLE
      case 0x85:
        push({ kind: 'tuple', items: [pop()] });
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        const a = pop();
        push({ kind: 'tuple', items: [a, b] });
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        push({ kind: 'tuple', items: [a, b, c] });
        break;
      } // TUPLE3
      case 0x64: {
        const d = newDict();
        setItems(d, popMark());
        push(d);
        break;
      } // DICT
      case 0x91:
        push({ kind: 'set', items: popMark() });
        break; // FROZENSET
      case 0x61: {
        const v = pop();
        appendItems(top(), [v]);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        appendItems(top(), items);
        break;
      } // APPENDS
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x90: {
        const items = popMark();
        addItems(top(), items);
        break;
      } // ADDITEMS
      // --- memo
      case 0x70:
        memoPut(Number(parseTextInt(r.line('PUT'))), top());
        break;
      case 0x71:
        memoPut(r.uint(1, 'BINPUT'), top());
        break;
      case 0x72:
        memoPut(r.uint(4, 'LONG_BINPUT'), top());
        break;
      case 0x94:
        memoPut(memo.size, top());
        break; // MEMOIZE
      case 0x67:
        push(memoGet(Number(parseTextInt(r.line('GET')))));
        break;
      case 0x68:
        push(memoGet(r.uint(1, 'BINGET')));
        break;
      case 0x6a:
        push(memoGet(r.uint(4, 'LONG_BINGET')));
        break;
      // --- objects: all decisions are the semantics' (whitelist)
      case 0x63: {
        // GLOBAL
        const module = r.line('GLOBAL');
        push(sem.resolveGlobal(module, r.line('GLOBAL')));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw truncated('STACK_GLOBAL needs two strings');
        push(sem.resolveGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = seqItems(pop());
        const fn = pop();
        if (!args) throw truncated('REDUCE arguments are not a tuple');
        push(sem.call(fn, args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = seqItems(pop());
        const cls = pop();
        if (!args) throw truncated('NEWOBJ arguments are not a tuple');
        push(sem.newObject(cls, args));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = seqItems(pop());
        const cls = pop();
        if (!args) throw truncated('NEWOBJ_EX arguments are not a tuple');
        if (!isDict(kwargs) || kwargs.keys.length > 0)
          throw unsupported('keyword arguments to a constructor are not supported in checkpoints');
        push(sem.newObject(cls, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        sem.build(top(), state);
        break;
      }
      case 0x69: {
        // INST
        const module = r.line('INST');
        const cls = sem.resolveGlobal(module, r.line('INST'));
        push(sem.newObject(cls, popMark()));
        break;
      }
      case 0x6f: {
        // OBJ
        const items = popMark();
        const cls = items.shift();
        push(sem.newObject(cls ?? null, items));
        break;
      }
      case 0x51:
        push(sem.persistentLoad(pop()));
        break; // BINPERSID
      case 0x50:
        push(sem.persistentLoad(r.line('PERSID')));
        break; // PERSID
      case 0x82:
      case 0x83:
      case 0x84:
        throw unsupported('pickle uses the copyreg extension registry, which StyleGAN2 checkpoints never do');
      case 0x97:
      case 0x98:
        throw unsupported('pickle uses out-of-band buffers, which StyleGAN2 checkpoints never do');
      default:
        throw truncated(`unknown pickle opcode 0x${op.toString(16)} at byte ${r.pos - 1}`);
    }
    return undefined;
  };

  return {
    get pos() {
      return r.pos;
    },
    run(window) {
      if (window.base > r.pos) throw new Error('pickle window starts after the next opcode');
      r.window = window;
      let opStart = r.pos;
      try {
        for (;;) {
          opStart = r.pos;
          const done = step();
          if (done) return done;
        }
      } catch (e) {
        // every opcode reads all its bytes before it changes any state, so it can run again from its start
        if (e instanceof NeedBytes) {
          r.pos = opStart;
          return { needUntil: e.until };
        }
        throw e;
      }
    },
  };
}
