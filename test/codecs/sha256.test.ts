/** The panel's SHA-256 gives Node's digest, whatever the sizes of the parts it is fed. */
import { createHash } from 'crypto';
import { Sha256 } from '../../plugin/codecs/sha256';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('the empty input and "abc" give the FIPS 180-4 digests', () => {
  expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(new Sha256().update(new Uint8Array([0x61, 0x62, 0x63])).hex()).toBe(
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test.each([1, 55, 56, 63, 64, 65, 119, 1000, 100_003])(
  '%i bytes fed in uneven parts give the same digest as Node',
  (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7919 + (i >> 8)) & 255);
    const hash = new Sha256();
    for (let at = 0, step = 1; at < n; at += step, step = (step * 3 + 1) % 97)
      hash.update(bytes.subarray(at, Math.min(n, at + step)));
    expect(hash.hex()).toBe(node(bytes));
  },
);
