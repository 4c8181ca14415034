import { crc32 } from './crc32';
import { concatBytes } from './concatBytes';

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typeBytes = Uint8Array.from(type, (c) => c.charCodeAt(0));
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(typeBytes, data));
  return out;
}

/**
 * An 8-bit, non-interlaced PNG around already filtered and zlib-compressed scanlines. The compression is the
 * caller's: Node hosts use zlib, the panel (no zlib in UXP) stored deflate blocks.
 */
export function pngFile(width: number, height: number, colourType: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = colourType;
  // compression, filter method and interlace are all 0
  return concatBytes([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}
