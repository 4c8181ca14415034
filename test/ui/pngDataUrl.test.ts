import { resampleImage8 } from '../../plugin/codecs/image8';
import { inflateSync } from 'zlib';
import { base64, encodePng, pngDataUrl } from '../../plugin/ui/pngDataUrl';

describe('PNG encoding for <img> in UXP', () => {
  test('the stored-deflate PNG decodes back to the same pixels', () => {
    const w = 300;
    const h = 250;
    const data = new Uint8ClampedArray(w * h * 4).map((_, i) => (i * 7) % 256);
    const png = encodePng({ width: w, height: h, data });
    const idat = Buffer.from(png).indexOf('IDAT');
    const len = Buffer.from(png).readUInt32BE(idat - 4);
    const raw = inflateSync(Buffer.from(png.subarray(idat + 4, idat + 4 + len)));
    expect(raw.length).toBe(h * (w * 4 + 1));
    expect([...raw.subarray(1, 9)]).toEqual([...data.subarray(0, 8)]);
    expect(pngDataUrl({ width: 1, height: 1, data: new Uint8ClampedArray(4) })).toMatch(
      /^data:image\/png;base64,iVBOR/,
    );
  });

  test("base64 is the same with the host's btoa and without it (UXP)", () => {
    const bytes = Uint8Array.from({ length: 70001 }, (_, i) => (i * 31) % 256);
    const native = base64(bytes);
    const saved = globalThis.btoa;
    try {
      (globalThis as { btoa?: unknown }).btoa = undefined;
      expect(base64(bytes)).toBe(native);
      expect(base64(bytes.subarray(0, 2))).toBe(Buffer.from([0, 31]).toString('base64'));
    } finally {
      globalThis.btoa = saved;
    }
    expect(native).toBe(Buffer.from(bytes).toString('base64'));
  });

  test('resampling keeps a flat colour flat and maps corners to corners', () => {
    const src = {
      width: 2,
      height: 2,
      data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 0, 0, 255]),
    };
    const out = resampleImage8(src, 8, 8);
    expect([...out.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect([...out.data.subarray((8 * 8 - 1) * 4)]).toEqual([255, 0, 0, 255]);
  });
});
