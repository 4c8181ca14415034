/**
 * The bomb corpus against the readers themselves: each crafted file is refused with the reader's own error (the CLI
 * turns those into exit 2) in under 10 s and under 500 MB. Peak memory is bounded from above: the process's peak
 * RSS after the bomb, minus its RSS before, where the bomb set the peak (see refuse()).
 */
import { decodeImage } from '../../plugin/hosts/node/imageDecode';
import { ImageError } from '../../plugin/hosts/node/imageError';
import { bytesSource } from '../../plugin/model/byteSource';
import { importCheckpoint, importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { CheckpointError, ModelConfigError } from '../../plugin/core/errors';
import { TorchTensor } from '../../plugin/model/pickle/values';
import { checkExpansion, tensorValues } from '../../plugin/model/pickle/torchStorage';
import * as bombs from './bombs/recipes';

const SECONDS = 10;
const MEGABYTES = 500;
const measured: string[] = [];

function refuse(name: string, make: () => Uint8Array | string, read: (input: Uint8Array | string) => unknown): Error {
  const input = make();
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const peak0 = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  let error: unknown;
  try {
    read(input);
  } catch (e) {
    error = e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  // The peak is the worker's lifetime peak: only a bomb that set a new one is measured by it. One that stayed under
  // an earlier test's peak used at most that much, which may be more than the bound without meaning anything here
  // (the CLI's bombs.bundle test measures each in a process of its own).
  const megabytes = peak > peak0 ? (peak - rss0) / 2 ** 20 : undefined;
  measured.push(
    `${name}: ${input.length} bytes, refused in ${seconds.toFixed(2)} s, ${megabytes === undefined ? `under an earlier peak (${((peak0 - rss0) / 2 ** 20).toFixed(0)} MB above)` : `at most ${megabytes.toFixed(0)} MB`}`,
  );
  expect(error).toBeInstanceOf(Error);
  expect(seconds).toBeLessThan(SECONDS);
  if (megabytes !== undefined) expect(megabytes).toBeLessThan(MEGABYTES);
  return error as Error;
}

const pkl = (b: Uint8Array | string): unknown => importCheckpoint(b as Uint8Array);

afterAll(() => {
  if (process.env.DRAGGAN_BOMB_REPORT) console.log(measured.join('\n'));
});

test('the recipes write real checkpoints: a valid one made the same way imports', () => {
  const pkg = importCheckpoint(bombs.validCheckpoint());
  expect(pkg.config.img_resolution).toBe(64);
  expect(pkg.weights.get('mapping.fc0.weight')?.data[1]).toBeCloseTo(1 / 13);
});

describe('checkpoint bombs', () => {
  const limit = (e: Error, detail: RegExp): void => {
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as CheckpointError).code).toBe('limit');
    expect(e.message).toMatch(detail);
  };
  test('LONG4 of 256 KiB (quadratic BigInt)', () =>
    limit(refuse('LONG4', bombs.long4Bomb, pkl), /262144-byte integer/));
  test('stride-0 views: a 1024 px generator from one float', () =>
    limit(refuse('stride-0 1024 px', bombs.strideZeroBomb, pkl), /stride-0 or overlapping views/));
  test('a [2^28] broadcast view where a vector belongs: refused by its shape, before any value is read', () => {
    const e = refuse('stride-0 [2^28]', bombs.broadcastBomb, pkl);
    expect(e).toBeInstanceOf(ModelConfigError);
    expect(e.message).toMatch(/mapping\.w_avg has shape \[268435456\], expected \[8\]/);
  });
  test('stride-0 and overlapping views are materialised only within the allowance', () => {
    const storage = {
      kind: 'storage',
      storageType: 'FloatStorage',
      numel: 4,
      data: Uint8Array.from([0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64]),
    } as const;
    const view = (size: number[], stride: number[]): TorchTensor => ({
      kind: 'tensor',
      storage,
      offset: 0,
      size,
      stride,
    });
    // overlapping and small: allowed, and read element by element
    expect(() => checkExpansion([view([2, 3], [1, 1])], 100)).not.toThrow();
    expect(Array.from(tensorValues(view([2, 3], [1, 1])))).toEqual([1, 2, 3, 2, 3, 4]);
    expect(() => checkExpansion([view([1 << 26], [0])], 1000)).toThrow(/would expand to 256 MB of float32 values/);
  });
  test('module DAG: 30 levels each naming the next module twice (2^30 paths)', () => {
    expect(refuse('module DAG', bombs.moduleDagBomb, pkl).message).toMatch(/appears twice in the module tree/);
  });
  test('billion laughs in init_kwargs', () =>
    limit(refuse('billion laughs', bombs.billionLaughsBomb, pkl), /more than 100000 values/));
  test('num_layers 3e6 in a .pkl', () => {
    const e = refuse('num_layers 3e6 .pkl', bombs.hugeLayersCheckpoint, pkl);
    expect(e).toBeInstanceOf(ModelConfigError);
    expect(e.message).toMatch(/num_layers must be an integer from 1 to 32, got 3000000/);
  });
  test('a million nested tuples', () =>
    limit(refuse('deep tuples', bombs.deepTupleBomb, pkl), /nested more than 16 deep/));
  test('a million nested MARKs', () =>
    limit(refuse('deep MARKs', bombs.deepMarkBomb, pkl), /MARKs nested more than 4096 deep/));
  test('a list of three million items', () =>
    limit(refuse('long list', bombs.longListBomb, pkl), /items on the pickle stack/));
  test('list() of one memoised 100 000-item list, 10 000 times', () =>
    limit(refuse('copies', bombs.copyBomb, pkl), /list\(\) copies more items than a \d+-byte file can justify/));
  test('_rebuild_from_type_v2 through itself, 200 000 levels', () => {
    const e = refuse('rebuild chain', bombs.rebuildChainBomb, pkl);
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/rebuilds through itself/);
  });
  test('escape codes in dict keys and in a global name are printed escaped', () => {
    for (const [name, make] of [
      ['escapes in keys', bombs.escapeKeysCheckpoint],
      ['escapes in a global', bombs.escapeGlobalCheckpoint],
    ] as const) {
      const e = refuse(name, make, pkl);
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e.message).toMatch(/\\x1b\[2J/);
      expect(e.message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
  });
});

/** The same bombs through the streamed import, which `draggan import`, the panel and the pages use. */
describe('checkpoint bombs, streamed', () => {
  test.each([
    ['LONG4', bombs.long4Bomb, /262144-byte integer/],
    ['stride-0 1024 px', bombs.strideZeroBomb, /stride-0 or overlapping views/],
    ['stride-0 [2^28]', bombs.broadcastBomb, /mapping\.w_avg has shape \[268435456\], expected \[8\]/],
    ['module DAG', bombs.moduleDagBomb, /appears twice in the module tree/],
    ['billion laughs', bombs.billionLaughsBomb, /more than 100000 values/],
    ['num_layers 3e6', bombs.hugeLayersCheckpoint, /num_layers must be an integer from 1 to 32, got 3000000/],
    ['deep tuples', bombs.deepTupleBomb, /nested more than 16 deep/],
    ['deep MARKs', bombs.deepMarkBomb, /MARKs nested more than 4096 deep/],
    ['long list', bombs.longListBomb, /items on the pickle stack/],
    ['copies', bombs.copyBomb, /list\(\) copies more items than a \d+-byte file can justify/],
    ['rebuild chain', bombs.rebuildChainBomb, /rebuilds through itself/],
  ] as const)('%s', async (name, make, message) => {
    const input = make();
    const t0 = performance.now();
    await expect(importCheckpointFrom(bytesSource(input))).rejects.toThrow(message);
    const seconds = (performance.now() - t0) / 1000;
    measured.push(`${name} (streamed): ${input.length} bytes, refused in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(SECONDS);
  });
});

describe('model.json bombs', () => {
  test('num_layers 3e6 in a model.json', () => {
    const e = refuse('num_layers 3e6 model.json', bombs.hugeLayersModelJson, (json) =>
      parseModelPackage(json as string, new Uint8Array(8)),
    );
    expect(e).toBeInstanceOf(ModelConfigError);
    expect(e.message).toMatch(/num_layers must be an integer from 1 to 32/);
  });
});

describe('image bombs', () => {
  const image = (b: Uint8Array | string): unknown => decodeImage(b as Uint8Array);
  test('a PNG declaring 20000x20000', () => {
    const e = refuse('PNG 20000x20000', bombs.pngBomb, image);
    expect(e).toBeInstanceOf(ImageError);
    expect(e.message).toMatch(/20000x20000 \(400\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/);
  });
  test('a JPEG declaring 60000x60000', () => {
    const e = refuse('JPEG 60000x60000', bombs.jpegBomb, image);
    expect(e).toBeInstanceOf(ImageError);
    expect(e.message).toMatch(/60000x60000 .* over the decoder's limit of 50\.0 megapixels/);
  });
  test.each([
    ['interlaced', true, /inflates to more than the 12\d+ bytes its header declares/],
    ['non-interlaced', false, /invalid PNG/],
  ] as const)('a 64x64 PNG (%s) whose data inflates to 256 MB', (kind, interlaced, message) => {
    const e = refuse(`PNG 64x64 ${kind} inflating to 256 MB`, () => bombs.pngLyingBomb(interlaced), image);
    expect(e).toBeInstanceOf(ImageError);
    expect(e.message).toMatch(message);
  });
});
