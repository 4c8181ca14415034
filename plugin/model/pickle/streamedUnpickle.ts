/**
 * The pickle machine fed from a ByteSource a window of a few megabytes at a time. Tensor data (bytes values of at
 * least `deferBytesFrom`) is skipped, left in the file as FileBytes: a training snapshot's three networks are parsed
 * holding only their small values, and the importer then reads the storages of the one it keeps.
 */
import type { ByteSource } from '../byteSource';
import { overLimit } from './errors';
import { pickleMachine, type PickleWindow, type Semantics, type UnpickleResult } from './machine';

export interface StreamLimits {
  /** Bytes read at a time. */
  chunkBytes: number;
  /** Bytes values this large are tensor data, left in the file (official ones: a storage's legacy torch stream). */
  deferBytesFrom: number;
  /** The largest value that is not tensor data (a string, a line of text): a window never grows past it. */
  windowBytes: number;
}

/**
 * Small windows: a window that runs into a skipped storage reads part of it for nothing, and a 512 px snapshot skips
 * about a thousand; the pickle's structure between two storages is a few hundred bytes.
 */
export const STREAM_LIMITS: StreamLimits = { chunkBytes: 256 << 10, deferBytesFrom: 64 << 10, windowBytes: 64 << 20 };

async function nextWindow(source: ByteSource, old: PickleWindow, from: number, until: number): Promise<PickleWindow> {
  const oldEnd = old.base + old.bytes.length;
  const kept = from >= old.base && from < oldEnd ? old.bytes.subarray(from - old.base) : new Uint8Array(0);
  const bytes = new Uint8Array(until - from);
  bytes.set(kept);
  if (until > from + kept.length)
    bytes.set(await source.read(from + kept.length, until - from - kept.length), kept.length);
  return { bytes, base: from, atEnd: until === source.length };
}

export async function streamedUnpickle(
  source: ByteSource,
  sem: Semantics,
  limits: StreamLimits = STREAM_LIMITS,
): Promise<UnpickleResult> {
  const machine = pickleMachine(sem, 0, { fileLength: source.length, deferBytesFrom: limits.deferBytesFrom });
  let window: PickleWindow = { bytes: new Uint8Array(0), base: 0, atEnd: source.length === 0 };
  for (;;) {
    const r = machine.run(window);
    if (!('needUntil' in r)) return r;
    const from = machine.pos;
    // a value longer than a chunk: grow the window geometrically rather than a chunk's worth of re-reads per byte
    const stuck = window.base === from ? 2 * window.bytes.length : 0;
    const size = Math.max(r.needUntil - from, limits.chunkBytes, stuck);
    if (Math.min(size, source.length - from) > limits.windowBytes) {
      throw overLimit(`a value of more than ${limits.windowBytes >> 20} MB that is not tensor data`);
    }
    window = await nextWindow(source, window, from, Math.min(source.length, from + size));
  }
}
