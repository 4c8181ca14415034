/**
 * RGBA -> PNG, in plain TypeScript. UXP's canvas cannot export images and an <img> is the only way to show pixels
 * there, so the panel encodes its own PNGs. Deflate "stored" blocks (no compression): the images are small (the
 * model's resolution) and the encoder stays a few lines.
 */
import type { Image8 } from '../codecs/image8';
import { pngFile } from '../codecs/pngContainer';

function storedZlib(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, raw.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), o);
    o += len;
  }
  let a = 1;
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    s = (s + a) % 65521;
  }
  const adler = ((s << 16) | a) >>> 0;
  out[o++] = adler >>> 24;
  out[o++] = (adler >>> 16) & 0xff;
  out[o++] = (adler >>> 8) & 0xff;
  out[o++] = adler & 0xff;
  return out;
}

export function encodePng(img: Image8): Uint8Array {
  const { width, height, data } = img;
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return pngFile(width, height, 6, storedZlib(raw));
}

export function base64(bytes: Uint8Array): string {
  // the host's native encoder where it has one (browsers; UXP does not document btoa): several times faster
  const native = (globalThis as { btoa?: (s: string) => string }).btoa;
  if (native) {
    const parts: string[] = [];
    for (let i = 0; i < bytes.length; i += 0x8000) parts.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
    return native(parts.join(''));
  }
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s +=
      A[n >>> 18] +
      A[(n >>> 12) & 63] +
      (i + 1 < bytes.length ? A[(n >>> 6) & 63] : '=') +
      (i + 2 < bytes.length ? A[n & 63] : '=');
  }
  return s;
}

export function pngDataUrl(img: Image8): string {
  return `data:image/png;base64,${base64(encodePng(img))}`;
}
