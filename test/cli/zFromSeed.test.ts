import { createHash } from 'crypto';
import { randnFromSeed, zFromSeed } from '../../plugin/stylegan2/latentSeed';
import expected from './zFromSeed.expected.json';

/** Against values from numpy (`np.random.RandomState(seed).randn(1, n)`), recorded in zFromSeed.expected.json. */
describe('zFromSeed', () => {
  for (const { seed, head64, f32_sha256 } of expected.seeds) {
    test(`seed ${seed}: float32 z is numpy's bit for bit`, () => {
      const z = zFromSeed(seed, expected.n);
      expect(z.shape).toEqual([1, expected.n]);
      const bytes = Buffer.from(z.data.buffer, z.data.byteOffset, z.data.byteLength);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f32_sha256);
    });

    test(`seed ${seed}: float64 values within 1 ulp`, () => {
      const z = randnFromSeed(seed, head64.length);
      head64.forEach((v, i) => expect(Math.abs(z[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -52));
    });
  }

  test('a shorter z is a prefix of a longer one (the cached second value is used)', () => {
    expect(Array.from(zFromSeed(7, 5).data)).toEqual(Array.from(zFromSeed(7, 512).data.subarray(0, 5)));
  });

  test('rejects seeds numpy rejects', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN])
      expect(() => zFromSeed(bad, 4)).toThrow(/seed must be an integer/);
  });
});
