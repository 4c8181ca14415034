import { encode as encodeJpeg } from 'jpeg-js';
import { checkImageSize, checkJpegData, type ImageHeader, readImageHeader } from '../../plugin/codecs/imageHeader';
import { decodeJpeg } from '../../plugin/hosts/node/jpegDecode';
import { pngFile } from '../helpers/pngFile';

describe('image sizes from headers, before decoding', () => {
  test('PNG: size and the bytes its scanlines inflate to (plain and Adam7-interlaced)', () => {
    expect(readImageHeader(pngFile(10, 3, new Uint8Array(0)))).toMatchObject({
      format: 'png',
      width: 10,
      height: 3,
      decodedBytes: 3 * (30 + 1),
    });
    expect(readImageHeader(pngFile(4, 2, new Uint8Array(0), { depth: 16, colour: 6 }))?.decodedBytes).toBe(
      2 * (32 + 1),
    );
    expect(readImageHeader(pngFile(9, 1, new Uint8Array(0), { depth: 1, colour: 0 }))?.decodedBytes).toBe(1 * (2 + 1));
    // 8x8 RGB interlaced: passes of 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels
    const passes = [
      [1, 1],
      [1, 1],
      [2, 1],
      [2, 2],
      [4, 2],
      [4, 4],
      [8, 4],
    ];
    const want = passes.reduce((n, [w, h]) => n + h * (w * 3 + 1), 0);
    expect(readImageHeader(pngFile(8, 8, new Uint8Array(0), { interlace: 1 }))?.decodedBytes).toBe(want);
  });

  test('JPEG: the frame header is found past other segments (APP0, quantisation tables)', () => {
    const jpeg = encodeJpeg({ width: 33, height: 17, data: new Uint8Array(33 * 17 * 4) }, 80).data;
    expect(readImageHeader(jpeg)).toMatchObject({ format: 'jpeg', width: 33, height: 17 });
    expect(() => readImageHeader(jpeg.subarray(0, 30))).toThrow(
      /invalid JPEG: file is truncated before its frame header/,
    );
  });

  test('JPEG: every segment is scanned (frames, components, scans, entropy-coded bytes)', () => {
    const jpeg = encodeJpeg(
      { width: 64, height: 40, data: new Uint8Array(64 * 40 * 4).map((_, i) => (i * 37) % 251) },
      90,
    ).data;
    const h = readImageHeader(jpeg);
    expect(h?.jpeg).toMatchObject({ components: 3, scans: 1, minEntropyBytes: Math.floor((3 * 8 * 5) / 8) });
    expect(h?.jpeg?.entropyBytes).toBeGreaterThan(h?.jpeg?.minEntropyBytes ?? Infinity);
    // the decoder's blocks (4 bytes a sample, a byte a sample of lines) and the RGB output
    expect(h?.decodedBytes).toBe(3 * 40 * 320 + 64 * 40 * 3);
    expect(() => checkJpegData(h as ImageHeader)).not.toThrow();
    // the same file with its entropy-coded data cut to a few bytes
    const sos = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
    const cut = Uint8Array.from([...jpeg.subarray(0, sos + 14 + 2), 0xff, 0xd9]);
    expect(() => checkJpegData(readImageHeader(cut) as ImageHeader)).toThrow(
      /invalid JPEG: this image is damaged or unsupported \(2 bytes of image data cannot code 64x40 pixels/,
    );
  });

  test("JPEG: a decoder failure is the damaged-image message, never the decoder's own words", () => {
    const jpeg = encodeJpeg({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4).fill(128) }, 90).data;
    // the scan names component 9, which the frame does not have
    const sos = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
    const bad = jpeg.slice();
    bad[sos + 5] = 9;
    expect(() => decodeJpeg(bad)).toThrow(
      /^invalid JPEG: this image is damaged or unsupported \(the decoder could not read it\); open it in an image editor/,
    );
  });

  test('other files have no header here; limits name themselves', () => {
    expect(readImageHeader(new TextEncoder().encode('GIF89a...'))).toBeUndefined();
    expect(() => checkImageSize({ width: 8000, height: 7000, decodedBytes: 0 })).toThrow(
      /8000x7000 \(56\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/,
    );
    expect(() => checkImageSize({ width: 7000, height: 7000, decodedBytes: 2 ** 30 })).toThrow(
      /1024 MB decompressed, over the decoder's limit of 400 MB/,
    );
    expect(() => checkImageSize({ width: 0, height: 5, decodedBytes: 0 })).toThrow(/declares a size of 0x5/);
    expect(() => checkImageSize({ width: 7000, height: 7000, decodedBytes: 7000 * 7001 * 3 })).not.toThrow();
  });
});
