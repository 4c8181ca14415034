/**
 * The streamed import (importCheckpointFrom over a ByteSource) against the whole-buffer one: the same package from
 * the same file however the file is cut into windows, the same refusals, and reads that stay bounded and never touch
 * the tensor data of the networks it does not keep (finding 14 of docs/photoshop.md).
 */
import { bytesSource, type ByteSource } from '../../plugin/model/byteSource';
import { importCheckpoint, importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { STREAM_LIMITS, type StreamLimits } from '../../plugin/model/pickle/streamedUnpickle';
import { CheckpointError } from '../../plugin/core/errors';
import { concat } from './bombs/pickleWriter';
import { shapesOf } from './bombs/recipes';
import { fixture } from './fixtures';
import { parameterCount, trainingSnapshotParts } from './trainingSnapshot';

/** Tiny windows: every opcode boundary and value meets a window's end somewhere. */
const TINY: StreamLimits = { chunkBytes: 97, deferBytesFrom: 300, windowBytes: 1 << 20 };

function expectSamePackage(a: ModelPackage, b: ModelPackage): void {
  expect(a.config).toEqual(b.config);
  expect([...a.weights.keys()]).toEqual([...b.weights.keys()]);
  for (const [k, t] of b.weights) {
    expect(a.weights.get(k)?.shape).toEqual(t.shape);
    expect(a.weights.get(k)?.data).toEqual(t.data);
  }
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof CheckpointError ? e.code : `not a CheckpointError: ${String(e)}`;
  }
  return 'no error';
}

/** A ByteSource that records every read. */
function recording(bytes: Uint8Array): ByteSource & { reads: { offset: number; length: number }[] } {
  const inner = bytesSource(bytes);
  const reads: { offset: number; length: number }[] = [];
  return {
    length: inner.length,
    reads,
    read(offset, length) {
      reads.push({ offset, length });
      // a copy, as a file read is: nothing the importer keeps can alias the test's buffer
      return inner.read(offset, length).then((b) => b.slice());
    },
  };
}

describe.each(['tiny128', 'tiny64'])('importCheckpointFrom(%s.pkl)', (name) => {
  const bytes = fixture('checkpoints', `${name}.pkl`);
  const whole = importCheckpoint(bytes, { name: 'x' });

  it.each([
    ['default windows', STREAM_LIMITS],
    ['97-byte windows', TINY],
  ])('gives the package the whole-buffer import gives (%s)', async (_what, limits) => {
    expectSamePackage(await importCheckpointFrom(bytesSource(bytes), { name: 'x' }, limits), whole);
  });

  it('refuses a cut file as truncated wherever it is cut', async () => {
    for (const cut of [1, 100, 5000, bytes.length - 1])
      expect(await code(importCheckpointFrom(bytesSource(bytes.subarray(0, cut)), {}, TINY))).toBe('truncated');
  });
});

describe('importCheckpointFrom refuses what importCheckpoint refuses', () => {
  it.each([
    ['bad_os_system.pkl', 'unsafe'],
    ['bad_eval.pkl', 'unsafe'],
    ['bad_tf.pkl', 'tensorflow'],
    ['bad_truncated.pkl', 'truncated'],
  ])('%s: %s', async (file, want) => {
    const bytes = fixture('checkpoints', file);
    expect(await code(importCheckpointFrom(bytesSource(bytes), {}, TINY))).toBe(want);
    expect(await code(Promise.resolve().then(() => importCheckpoint(bytes)))).toBe(want);
  });

  it('an empty file, a zip archive, a text file', async () => {
    expect(await code(importCheckpointFrom(bytesSource(new Uint8Array(0))))).toBe('truncated');
    await expect(importCheckpointFrom(bytesSource(Uint8Array.from([0x50, 0x4b, 3, 4, 0])))).rejects.toThrow(
      /torch\.save zip archive/,
    );
    await expect(importCheckpointFrom(bytesSource(new TextEncoder().encode('hello')))).rejects.toThrow(
      /not a Python pickle/,
    );
  });

  it('a string longer than the window allows is refused as over a limit', async () => {
    const bytes = fixture('checkpoints', 'tiny128.pkl');
    // the generator's module source is a few kilobytes: a 1 KiB window cannot hold it
    expect(await code(importCheckpointFrom(bytesSource(bytes), {}, { ...TINY, windowBytes: 1024 }))).toBe('limit');
  });
});

describe('a training snapshot {G, D, G_ema} read through an instrumented ByteSource', () => {
  const kwargs = {
    z_dim: 64,
    w_dim: 64,
    c_dim: 0,
    img_resolution: 64,
    img_channels: 3,
    mapping_kwargs: { num_layers: 2 },
    synthesis_kwargs: { channel_base: 4096, channel_max: 64, conv_clamp: 256, architecture: 'skip' },
  };
  const bytes = concat(trainingSnapshotParts(kwargs, 64));
  const limits: StreamLimits = { chunkBytes: 4 << 10, deferBytesFrom: 1 << 10, windowBytes: 1 << 20 };
  /** The largest G_ema storage: a 64 x 64 x 3 x 3 convolution's float32 values and its stream's few hundred bytes. */
  const largestStorage = 64 * 64 * 9 * 4 + 1024;

  it('gives the package the whole-buffer import gives, G_ema not G', async () => {
    const whole = importCheckpoint(bytes);
    const streamed = await importCheckpointFrom(recording(bytes), {}, limits);
    expectSamePackage(streamed, whole);
  });

  it("reads at most a window or one storage at a time, and of G's and D's tensor data only what windows overlap", async () => {
    const source = recording(bytes);
    await importCheckpointFrom(source, {}, limits);
    const largest = Math.max(...source.reads.map((r) => r.length));
    expect(largest).toBeLessThanOrEqual(Math.max(limits.chunkBytes, largestStorage));
    const total = source.reads.reduce((n, r) => n + r.length, 0);
    const networkBytes = 4 * parameterCount(kwargs);
    const structure = bytes.length - 3 * networkBytes;
    // a window may run into a skipped storage before the machine knows it is one: at most a window's worth each
    const skipped =
      2 *
      [...shapesOf(kwargs).values()].filter((s) => 4 * s.reduce((a, b) => a * b, 1) >= limits.deferBytesFrom).length;
    expect(structure).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(networkBytes + structure + skipped * limits.chunkBytes);
    expect(total).toBeLessThan(0.6 * bytes.length);
  });
});
