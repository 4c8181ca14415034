import { encode as encodeJpeg } from 'jpeg-js';
import { checkImageSize, readImageHeader } from '../../plugin/codecs/imageHeader';
import { pngFile } from '../helpers/pngFile';

describe('image sizes from headers, before decoding', () => {
  test('PNG: size and the bytes its scanlines inflate to (plain and Adam7-interlaced)', () => {
    expect(readImageHeader(pngFile(10, 3, new Uint8Array(0)))).toMatchObject({ format: 'png', width: 10, height: 3, decodedBytes: 3 * (30 + 1) });
    expect(readImageHeader(pngFile(4, 2, new Uint8Array(0), { depth: 16, colour: 6 }))?.decodedBytes).toBe(2 * (32 + 1));
    expect(readImageHeader(pngFile(9, 1, new Uint8Array(0), { depth: 1, colour: 0 }))?.decodedBytes).toBe(1 * (2 + 1));
    // 8x8 RGB interlaced: passes of 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels
    const passes = [[1, 1], [1, 1], [2, 1], [2, 2], [4, 2], [4, 4], [8, 4]];
    const want = passes.reduce((n, [w, h]) => n + h * (w * 3 + 1), 0);
    expect(readImageHeader(pngFile(8, 8, new Uint8Array(0), { interlace: 1 }))?.decodedBytes).toBe(want);
  });

  test('JPEG: the frame header is found past other segments (APP0, quantisation tables)', () => {
    const jpeg = encodeJpeg({ width: 33, height: 17, data: new Uint8Array(33 * 17 * 4) }, 80).data;
    expect(readImageHeader(jpeg)).toMatchObject({ format: 'jpeg', width: 33, height: 17 });
    expect(() => readImageHeader(jpeg.subarray(0, 30))).toThrow(/invalid JPEG: file is truncated before its frame header/);
  });

  test('other files have no header here; limits name themselves', () => {
    expect(readImageHeader(new TextEncoder().encode('GIF89a...'))).toBeUndefined();
    expect(() => checkImageSize({ width: 8000, height: 7000, decodedBytes: 0 })).toThrow(/8000x7000 \(56\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/);
    expect(() => checkImageSize({ width: 7000, height: 7000, decodedBytes: 2 ** 30 })).toThrow(/1024 MB decompressed, over the decoder's limit of 400 MB/);
    expect(() => checkImageSize({ width: 0, height: 5, decodedBytes: 0 })).toThrow(/declares a size of 0x5/);
    expect(() => checkImageSize({ width: 7000, height: 7000, decodedBytes: 7000 * 7001 * 3 })).not.toThrow();
  });
});
