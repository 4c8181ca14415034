/**
 * TensorFlow-era StyleGAN2 pickles: tiny128_tf.pkl is tiny128's weights written as NVIDIA's TF networks are
 * pickled, (G, D, Gs) of dnnlib.tflib.network.Network states, by the inverse of legacy.py's rules
 * (models/recipes/make_tf_checkpoint.py; converting it with the official legacy.py gives tiny128's weights exactly).
 * Imported, it must be tiny128: the same config, the same weights, the image the official code renders.
 */
import { CheckpointError, UserFixableError } from '../../plugin/core/errors';
import type { HostTensor } from '../../plugin/graph/tensor';
import { bytesSource } from '../../plugin/model/byteSource';
import { importCheckpoint, importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { fixturePackage, reference } from '../helpers/fixtures';
import { fixture } from './fixtures';

const TF = fixture('checkpoints', 'tiny128_tf.pkl');
const TINY = { chunkBytes: 97, deferBytesFrom: 300, windowBytes: 1 << 20 };

function generatorPart(p: ModelPackage): unknown {
  const { name: _n, description: _d, license: _l, ...rest } = p.config;
  return rest;
}

function expectSameWeights(a: ModelPackage, b: ModelPackage): void {
  expect([...a.weights.keys()].sort()).toEqual(
    [...b.weights.keys()].filter((k) => !k.endsWith('resample_filter')).sort(),
  );
  for (const [k, t] of a.weights) {
    expect(t.shape).toEqual(b.weights.get(k)?.shape);
    expect(t.data).toEqual(b.weights.get(k)?.data);
  }
}

/** The same file with `from` spelled `to` wherever it occurs (same length: the pickle's framing stays valid). */
function respelled(from: string, to: string): Uint8Array {
  const [f, t] = [Buffer.from(from), Buffer.from(to)];
  const out = Buffer.from(TF);
  let hits = 0;
  for (let at = out.indexOf(f); at >= 0; at = out.indexOf(f, at + 1), hits++) t.copy(out, at);
  expect(hits).toBeGreaterThan(0);
  return new Uint8Array(out);
}

function failure(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
}

describe('importCheckpoint(tiny128_tf.pkl)', () => {
  const pkg = importCheckpoint(TF, { name: 'car' });
  const torch = fixturePackage('tiny128');

  it("converts Gs's kwargs and variables into tiny128's config and weights (not G's)", () => {
    expect(generatorPart(pkg)).toEqual(generatorPart(torch));
    expect(pkg.config.name).toBe('car');
    expect(pkg.config.description).toMatch(/TensorFlow-era.*legacy\.py/);
    expectSameWeights(pkg, torch);
  });

  it('renders the image the official code renders for tiny128 (within 1 level)', async () => {
    const ref = reference('tiny128').tensors;
    const t = (k: string): HostTensor => ref.get(k)!;
    const gen = new Generator(pkg, await ortNodeCpu.create());
    try {
      const w = await gen.mapping(t('z'), 0.7);
      let worstW = 0;
      w.data.forEach((v, i) => (worstW = Math.max(worstW, Math.abs(v - t('w').data[i]))));
      expect(worstW).toBeLessThan(1e-4);
      const rgba = toRgba8((await gen.synthesize(t('ws'))).img);
      const official = t('img_u8');
      let worst = 0;
      for (let i = 0; i < official.data.length / 3; i++)
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(rgba.data[i * 4 + c] - official.data[i * 3 + c]));
      expect(worst).toBeLessThanOrEqual(1);
    } finally {
      await gen.release();
    }
  });

  it('reads the same package streamed, with the arrays of G and D left unread in the file', async () => {
    const read: [number, number][] = [];
    const source = bytesSource(TF);
    const recording = { length: source.length, read: (o: number, n: number) => (read.push([o, n]), source.read(o, n)) };
    const streamed = await importCheckpointFrom(recording, { name: 'car' }, TINY);
    expect(streamed.config).toEqual(pkg.config);
    expectSameWeights(streamed, torch);
    const bytesRead = read.reduce((a, [, n]) => a + n, 0);
    // Gs is about a third of the file (G is as large, D small): the rest is skipped
    expect(bytesRead).toBeLessThan(0.6 * TF.length);
  });
});

describe('TensorFlow-era pickles that cannot be imported', () => {
  it('a truncated file: truncated/corrupt, at any cut', async () => {
    for (const cut of [1, 50, 1000, TF.length >> 1, TF.length - 1]) {
      const e = failure(() => importCheckpoint(TF.subarray(0, cut)));
      expect(e).toBeInstanceOf(CheckpointError);
      expect((e as CheckpointError).code).toBe('truncated');
      await expect(importCheckpointFrom(bytesSource(TF.subarray(0, cut)), {}, TINY)).rejects.toThrow(
        /^checkpoint is truncated\/corrupt/,
      );
    }
  });

  it('a missing variable: named, with the shape it should have', async () => {
    const bad = respelled('8x8/Conv1/weight', '8x8/Conv1/wei_ht');
    const e = failure(() => importCheckpoint(bad));
    expect(e).toBeInstanceOf(UserFixableError);
    expect((e as CheckpointError).code).toBe('tensorflow');
    expect(e.message).toMatch(
      /Gs lacks variables .*\(1 problem\): missing synthesis\/8x8\/Conv1\/weight \[3, 3, 32, 32\]\. The file is damaged/,
    );
    await expect(importCheckpointFrom(bytesSource(bad), {}, TINY)).rejects.toThrow(e.message);
  });

  it('a setting the official converter does not know', () => {
    const e = failure(() => importCheckpoint(respelled('truncation_psi', 'truncation_xyz')));
    expect((e as CheckpointError).code).toBe('tensorflow');
    expect(e.message).toMatch(
      /Gs has the setting 'truncation_xyz', which the official converter \(legacy\.py\) does not know/,
    );
  });

  it("a Gs holding none of a generator's variables (bad_tf.pkl: one stray variable)", () => {
    const e = failure(() => importCheckpoint(fixture('checkpoints', 'bad_tf.pkl')));
    expect((e as CheckpointError).code).toBe('tensorflow');
    expect(e.message).toMatch(
      /\(156 problems\): missing mapping\/Dense0\/weight \[512, 512\]; .*; and 148 more\. The file is damaged/,
    );
  });
});
