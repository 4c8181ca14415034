import { crc32 } from '../../plugin/codecs/crc32';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import type { Raster8 } from '../../plugin/hosts/node/raster';
import { pngFile } from '../helpers/pngFile';

function randomImage(width: number, height: number, channels: Raster8['channels'], seed: number): Raster8 {
  const data = new Uint8Array(width * height * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // half smooth gradient, half noise: exercises every predictor on both kinds of content
    data[i] = i % 7 < 4 ? (i * 3 + (i >> 5)) & 0xff : s >>> 24;
  }
  return { width, height, channels, data };
}

describe('PNG', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const filter of [undefined, 0, 1, 2, 3, 4] as const) {
      test(`round trip: ${channels} channel(s), filter ${filter ?? 'adaptive'}`, () => {
        const img = randomImage(37, 23, channels, channels * 10 + (filter ?? 9));
        const back = decodePng(encodePng(img, { filter }));
        expect(back.width).toBe(37);
        expect(back.height).toBe(23);
        expect(back.channels).toBe(channels);
        expect(Buffer.from(back.data).equals(Buffer.from(img.data))).toBe(true);
      });
    }
  }

  test('CRC-32 of the IEND chunk type is the well-known value', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  test('a PNG from another encoder (rows with mixed filter types, an ancillary chunk skipped)', () => {
    // 2x2 RGB: row 0 with Sub, row 1 with Paeth
    const raw = new Uint8Array([1, 10, 20, 30, 5, 5, 5, 4, 1, 2, 3, 250, 0, 0]);
    const png = pngFile(2, 2, raw, { depth: 8, colour: 2 });
    const img = decodePng(png);
    expect(Array.from(img.data)).toEqual([10, 20, 30, 15, 25, 35, 11, 22, 33, 9, 25, 35]);
  });

  test('clear errors for what it does not read', () => {
    const raw = new Uint8Array([0, 0]);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG file/);
    expect(() => decodePng(pngFile(1, 1, raw, { depth: 8, colour: 5 }))).toThrow(/unknown colour type 5/);
    expect(() => decodePng(pngFile(1, 1, new Uint8Array([7, 0]), { depth: 8, colour: 0 }))).toThrow(
      /invalid PNG: this image is damaged or unsupported \(the decoder could not read it\)/,
    );
    const good = encodePng(randomImage(4, 4, 3, 1));
    const corrupt = good.slice();
    corrupt[40] ^= 0xff;
    expect(() => decodePng(corrupt)).toThrow(/CRC mismatch/);
    expect(() => decodePng(good.subarray(0, good.length - 20))).toThrow(/truncated/);
  });
});
