import { bytesSource } from '../../plugin/model/byteSource';
import { importCheckpoint, importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import { CheckpointError, ModelConfigError } from '../../plugin/core/errors';
import { fixture } from './fixtures';

/** Deterministic xorshift, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

describe('importCheckpoint on damaged files', () => {
  const full = fixture('checkpoints', 'tiny64.pkl');

  it('calls every cut-short file truncated/corrupt', () => {
    const r = rng(1);
    for (let i = 0; i < 60; i++) {
      const cut = Math.floor(r() * full.length);
      expect(() => importCheckpoint(full.subarray(0, cut))).toThrow(/^checkpoint is truncated\/corrupt/);
    }
  });

  it('fails with a checkpoint or config error (never a crash) when bytes are flipped', () => {
    const r = rng(2);
    for (let i = 0; i < 60; i++) {
      const bad = full.slice();
      for (let j = 0; j < 3; j++) bad[Math.floor(r() * bad.length)] ^= 1 + Math.floor(r() * 255);
      try {
        importCheckpoint(bad);
      } catch (e) {
        if (!(e instanceof CheckpointError || e instanceof ModelConfigError)) throw e;
      }
    }
  });
});

describe('importCheckpointFrom (streamed, small windows) on damaged files', () => {
  // protocol 4: its storages are BINBYTES, skipped and read later, so damage inside them is met there
  const full = fixture('checkpoints', 'tiny128.pkl');
  const limits = { chunkBytes: 1024, deferBytesFrom: 512, windowBytes: 1 << 20 };

  it('calls every cut-short file truncated/corrupt', async () => {
    const r = rng(3);
    for (let i = 0; i < 40; i++) {
      const cut = Math.floor(r() * full.length);
      await expect(importCheckpointFrom(bytesSource(full.subarray(0, cut)), {}, limits)).rejects.toThrow(
        /^checkpoint is truncated\/corrupt/,
      );
    }
  });

  it('fails with a checkpoint or config error (never a crash) when bytes are flipped', async () => {
    const r = rng(4);
    for (let i = 0; i < 40; i++) {
      const bad = full.slice();
      for (let j = 0; j < 3; j++) bad[Math.floor(r() * bad.length)] ^= 1 + Math.floor(r() * 255);
      try {
        await importCheckpointFrom(bytesSource(bad), {}, limits);
      } catch (e) {
        if (!(e instanceof CheckpointError || e instanceof ModelConfigError)) throw e;
      }
    }
  });
});

describe('TensorFlow-era pickles (tiny128_tf.pkl) with flipped bytes', () => {
  // its arrays are BINBYTES too: whole, they are read in place; streamed, skipped and read when converted
  const full = fixture('checkpoints', 'tiny128_tf.pkl');
  const limits = { chunkBytes: 1024, deferBytesFrom: 512, windowBytes: 1 << 20 };

  it('fail with a checkpoint or config error (never a crash), whole and streamed', async () => {
    const r = rng(5);
    for (let i = 0; i < 30; i++) {
      const bad = full.slice();
      for (let j = 0; j < 3; j++) bad[Math.floor(r() * bad.length)] ^= 1 + Math.floor(r() * 255);
      for (const load of [
        async () => importCheckpoint(bad),
        () => importCheckpointFrom(bytesSource(bad), {}, limits),
      ]) {
        try {
          await load();
        } catch (e) {
          if (!(e instanceof CheckpointError || e instanceof ModelConfigError)) throw e;
        }
      }
    }
  });
});
