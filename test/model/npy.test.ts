import { hostTensor } from '../../plugin/graph/tensor';
import { readNpy, writeNpy } from '../../plugin/model/npy';
import { fixture } from './fixtures';

describe('npy', () => {
  it('round-trips float32 arrays', () => {
    const t = hostTensor([1, 3, 2], Float32Array.from([1, 2, 3, 4, 5, -6.5]));
    const bytes = writeNpy(t);
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    const back = readNpy(bytes);
    expect(back.shape).toEqual([1, 3, 2]);
    expect(back.data).toEqual(t.data);
    expect(readNpy(writeNpy(hostTensor([4], Float32Array.from([1, 2, 3, 4])))).shape).toEqual([4]);
  });

  it('reads what numpy wrote, float64 converted to float32', () => {
    const f4 = readNpy(fixture('npy', 'w_f4.npy'));
    const f8 = readNpy(fixture('npy', 'w_f8.npy'));
    expect(f4.shape).toEqual([1, 12, 64]);
    expect(f8.shape).toEqual([1, 12, 64]);
    expect(f8.data).toEqual(f4.data);
  });

  it('rejects Fortran order, other dtypes, bad magic and truncation', () => {
    expect(() => readNpy(fixture('npy', 'w_fortran.npy'))).toThrow(/Fortran order are not supported/);
    const good = writeNpy(hostTensor([2], Float32Array.from([1, 2])));
    expect(() => readNpy(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    expect(() => readNpy(good.subarray(0, 20))).toThrow(/truncated inside the header/);
    expect(() => readNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toThrow(/magic/);
    const i8 = good.slice();
    const text = new TextDecoder().decode(i8);
    i8.set(new TextEncoder().encode('<i4'), text.indexOf('<f4'));
    expect(() => readNpy(i8)).toThrow(/unsupported dtype '<i4'/);
  });
  test('a Node Buffer from the shared pool reads as its own bytes (readFileSync gives those)', () => {
    const t = hostTensor([1, 2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    // small Buffers are views into one pooled ArrayBuffer: a reader that takes .buffer whole reads the neighbours
    const pooled = Buffer.from(writeNpy(t));
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    expect([...readNpy(pooled).data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
