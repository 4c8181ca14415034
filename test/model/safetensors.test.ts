import { hostTensor } from '../../plugin/graph/tensor';
import { floatToHalf, halfToFloat } from '../../plugin/model/halfFloat';
import { readSafetensors, readSafetensorsWithMetadata, writeSafetensors } from '../../plugin/model/safetensors';
import { fixture } from './fixtures';

function withHeader(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  const tensors = new Map([
    ['b', hostTensor([2, 3], Float32Array.from([1, -2, 3.5, 4, 5, -6e-5]))],
    ['a.scalar', hostTensor([], Float32Array.from([0.25]))],
    ['empty', hostTensor([0, 4])],
  ]);

  it('round-trips float32 tensors and metadata', () => {
    const bytes = writeSafetensors(tensors, { metadata: { format: 'pt' } });
    const header = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + header) % 8).toBe(0);
    const back = readSafetensorsWithMetadata(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()].sort()).toEqual(['a.scalar', 'b', 'empty']);
    for (const [k, t] of tensors) {
      expect(back.tensors.get(k)?.shape).toEqual(t.shape);
      expect(back.tensors.get(k)?.data).toEqual(t.data);
    }
  });

  it('reads float32 data at any byte offset: aligned ones in place, others (an unpadded header) copied', () => {
    const values = Float32Array.from([1.5, -2, 3e-7]);
    const raw = new Uint8Array(values.buffer);
    for (const nameLength of [1, 2, 3, 4]) {
      const file = withHeader({ ['x'.repeat(nameLength)]: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } }, raw);
      const back = readSafetensors(file).get('x'.repeat(nameLength));
      expect(Array.from(back?.data ?? [])).toEqual(Array.from(values));
    }
  });

  it('writes F16 and widens it back to float32', () => {
    const back = readSafetensors(writeSafetensors(tensors, { dtype: 'F16' })).get('b');
    expect(Array.from(back?.data ?? [])).toEqual([1, -2, 3.5, 4, 5, halfToFloat(floatToHalf(-6e-5))]);
  });

  it('converts half floats exactly, including subnormals, infinities and ties', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(2 ** -24)).toBe(1);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    for (let h = 0; h < 0x7c00; h += 7) expect(floatToHalf(halfToFloat(h))).toBe(h);
  });

  it('reads the file PyTorch-side code wrote', () => {
    const t = readSafetensors(fixture('packages', 'tiny128', 'weights.safetensors'));
    expect(t.get('synthesis.b4.const')?.shape).toEqual([32, 4, 4]);
    expect(t.get('mapping.w_avg')?.shape).toEqual([64]);
  });

  it('a shape nested a million deep is a clear error, not a stack overflow', () => {
    const depth = 1_000_000;
    const header = new TextEncoder().encode(
      `{"a":{"dtype":"F32","shape":${'['.repeat(depth)}${']'.repeat(depth)},"data_offsets":[0,4]}}`,
    );
    const file = new Uint8Array(8 + header.length + 4);
    new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
    file.set(header, 8);
    expect(() => readSafetensors(file)).toThrow(/tensor "a" has a bad shape \[\[\[\[+…$/);
  });

  it('reports truncated and malformed files clearly', () => {
    const good = writeSafetensors(tensors);
    expect(() => readSafetensors(good.subarray(0, 5))).toThrow(/truncated/);
    expect(() => readSafetensors(good.subarray(0, 20))).toThrow(/truncated: header needs/);
    expect(() => readSafetensors(good.subarray(0, good.length - 4))).toThrow(/out of range/);
    const bad = good.slice();
    bad[8] = 0x7b + 1;
    expect(() => readSafetensors(bad)).toThrow(/not valid UTF-8 JSON/);
    expect(() => readSafetensors(withHeader([1, 2]))).toThrow(/not a JSON object/);
    expect(() =>
      readSafetensors(withHeader({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))),
    ).toThrow(/unsupported dtype "I64"/);
    expect(() =>
      readSafetensors(withHeader({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))),
    ).toThrow(/has 8 bytes but F32\[3\] needs 12/);
    expect(() =>
      readSafetensors(withHeader({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4))),
    ).toThrow(/bad shape/);
    expect(() =>
      readSafetensors(withHeader({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, new Uint8Array(4))),
    ).toThrow(/out of range/);
    expect(() => readSafetensors(withHeader({ __metadata__: { a: 1 } }))).toThrow(/__metadata__/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => readSafetensors(huge)).toThrow(/implausibly large/);
  });
});
