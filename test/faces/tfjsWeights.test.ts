import { FaceModelError } from '../../plugin/core/errors';
import { readTfjsWeights, weight } from '../../plugin/faces/tfjsWeights';
import { hwioToOihw } from '../../plugin/graph/hwioToOihw';

/** The tfjs weights reader: float32 and uint8/uint16 shards across files, and a clear error for every broken file. */
const manifest = (weights: object[], paths = ['a.bin', 'b.bin']): string => JSON.stringify([{ paths, weights }]);
const f32 = (...v: number[]): Uint8Array => new Uint8Array(new Float32Array(v).buffer);

test('reads float32 and quantised weights in order, across shards', () => {
  const m = manifest([
    { name: 'w', shape: [2], dtype: 'float32' },
    { name: 'q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
    { name: 'q16', shape: [1], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: 2 } },
  ]);
  // 'q8' begins the second shard, and 'q16' starts at an odd byte offset (read through a DataView, which needs no alignment)
  const map = readTfjsWeights(
    't',
    m,
    new Map([
      ['a.bin', f32(1.5, -2)],
      ['b.bin', new Uint8Array([0, 2, 255, 0x01, 0x01])],
    ]),
  );
  expect(Array.from(map.get('w')!.data)).toEqual([1.5, -2]);
  expect(Array.from(map.get('q8')!.data)).toEqual([-1, 0, 126.5]);
  expect(Array.from(map.get('q16')!.data)).toEqual([257 * 0.25 + 2]);
  expect(weight(map, 't', 'q8', [3]).shape).toEqual([3]);
  expect(() => weight(map, 't', 'q8', [1, 3])).toThrow(/'q8' has shape \[3\], expected \[1, 3\]/);
  expect(() => weight(map, 't', 'nope', [1])).toThrow(/the weights have no 'nope'/);
});

test('broken files are user errors that say what is wrong', () => {
  const one = manifest([{ name: 'w', shape: [2], dtype: 'float32' }], ['a.bin']);
  const read =
    (m: string, shard: Uint8Array = f32(1, 2)) =>
    () =>
      readTfjsWeights('model', m, new Map([['a.bin', shard]]));
  expect(read('{')).toThrow(FaceModelError);
  expect(read('{')).toThrow(/not JSON/);
  expect(read('{"a": 1}')).toThrow(/not a tfjs weights manifest/);
  expect(read(one, f32(1))).toThrow(/end inside 'w' \(truncated\?\)/);
  expect(read(one, f32(1, 2, 3))).toThrow(/4 bytes more than the manifest describes/);
  expect(read(manifest([{ name: 'w', shape: [2], dtype: 'float32' }], ['a.bin', 'gone.bin']))).toThrow(
    /'gone\.bin' named by the manifest is missing/,
  );
  expect(read(manifest([{ name: 'i', shape: [2], dtype: 'int32' }], ['a.bin']))).toThrow(/stored as int32/);
  expect(
    read(manifest([{ name: 'q', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } }], ['a.bin'])),
  ).toThrow(/stored as float16/);
  expect(
    read(
      manifest(
        [{ name: 'q', shape: [8], dtype: 'float32', quantization: { dtype: 'uint8', scale: 'x', min: 0 } }],
        ['a.bin'],
      ),
    ),
  ).toThrow(/without a finite scale/);
});

test('HWIO filters become OIHW', () => {
  // kh = 1, kw = 2, 2 in, 3 out; each value spells its own position: 100 x + 10 i + o
  const hwio = new Float32Array(1 * 2 * 2 * 3);
  for (let x = 0; x < 2; x++)
    for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) hwio[(x * 2 + i) * 3 + o] = x * 100 + i * 10 + o;
  const t = hwioToOihw({ shape: [1, 2, 2, 3], data: hwio });
  expect(t.shape).toEqual([3, 2, 1, 2]);
  for (let o = 0; o < 3; o++)
    for (let i = 0; i < 2; i++)
      for (let x = 0; x < 2; x++) expect(t.data[(o * 2 + i) * 2 + x]).toBe(x * 100 + i * 10 + o);
});
