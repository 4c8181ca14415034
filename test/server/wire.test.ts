import { decodeBase64, encodeBase64 } from '../../plugin/remote/base64';
import { base64ToF64, f64ToBase64 } from '../../plugin/remote/wireArrays';

test('base64 matches Node for every length and rejects what is not canonical base64', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    const text = encodeBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(Array.from(decodeBase64(text)!)).toEqual(Array.from(bytes));
  }
  for (const bad of ['abc', 'ab=c', 'a===', '@@@@', 'ab\ncd==', 'é123']) expect(decodeBase64(bad)).toBeUndefined();
});

test('float64 arrays survive the trip bit for bit (Adam moments)', () => {
  const a = Float64Array.from([0, -0, 1e-308, Math.PI, -1.5e300, 5e-324]);
  expect(Array.from(base64ToF64(f64ToBase64(a))!)).toEqual(Array.from(a));
});
