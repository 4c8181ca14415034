/** The images users give the CLI (--image, --mask): PNG or JPEG, told apart by their first bytes. */
import { ImageError } from './imageError';
import { decodeJpeg } from './jpegDecode';
import { decodePng } from './pngDecode';
import type { Raster8 } from './raster';

export function decodeImage(bytes: Uint8Array): Raster8 {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return decodePng(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes);
  throw new ImageError('not a PNG or JPEG file');
}

/** Grey (+ alpha) as RGB (+ alpha); colour images unchanged. */
export function asRgb(r: Raster8): Raster8 {
  if (r.channels >= 3) return r;
  const alpha = r.channels === 2;
  const out = new Uint8Array(r.width * r.height * (alpha ? 4 : 3));
  for (let i = 0, o = 0; i < r.width * r.height; i++) {
    const g = r.data[i * r.channels];
    out[o++] = g;
    out[o++] = g;
    out[o++] = g;
    if (alpha) out[o++] = r.data[i * 2 + 1];
  }
  return { width: r.width, height: r.height, channels: alpha ? 4 : 3, data: out };
}
