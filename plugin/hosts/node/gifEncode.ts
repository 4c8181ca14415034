/**
 * An animated GIF from RGBA frames: a fixed 3-3-2 colour cube (256 colours) with ordered dithering, LZW-coded.
 * Good enough to show an optimisation's progress; nothing to depend on a package for.
 */
const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

function palette(): Uint8Array {
  const p = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    p[i * 3] = Math.round((((i >> 5) & 7) * 255) / 7);
    p[i * 3 + 1] = Math.round((((i >> 2) & 7) * 255) / 7);
    p[i * 3 + 2] = Math.round(((i & 3) * 255) / 3);
  }
  return p;
}

function quantise(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = (BAYER4[(y & 3) * 4 + (x & 3)] + 0.5) / 16 - 0.5;
      const q = (v: number, levels: number) =>
        Math.max(0, Math.min(levels - 1, Math.round((v / 255) * (levels - 1) + d)));
      out[i] = (q(rgba[i * 4], 8) << 5) | (q(rgba[i * 4 + 1], 8) << 2) | q(rgba[i * 4 + 2], 4);
    }
  }
  return out;
}

/** GIF's variable-width LZW with 8-bit symbols. */
function lzw(indices: Uint8Array): Uint8Array {
  const clear = 256;
  const end = 257;
  const out: number[] = [];
  let bitBuf = 0;
  let bitCount = 0;
  let width = 9;
  const emit = (code: number) => {
    bitBuf |= code << bitCount;
    bitCount += width;
    while (bitCount >= 8) {
      out.push(bitBuf & 0xff);
      bitBuf >>>= 8;
      bitCount -= 8;
    }
  };
  let dict = new Map<number, number>();
  let next = 258;
  emit(clear);
  let prefix = indices[0];
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i];
    const key = prefix * 256 + k;
    const hit = dict.get(key);
    if (hit !== undefined) {
      prefix = hit;
      continue;
    }
    emit(prefix);
    if (next < 4096) {
      dict.set(key, next++);
      if (next > 1 << width && width < 12) width++;
    } else {
      emit(clear);
      dict = new Map();
      next = 258;
      width = 9;
    }
    prefix = k;
  }
  emit(prefix);
  emit(end);
  if (bitCount > 0) out.push(bitBuf & 0xff);
  return Uint8Array.from(out);
}

export function encodeGif(
  frames: readonly (Uint8Array | Uint8ClampedArray)[],
  width: number,
  height: number,
  delayMs = 100,
): Uint8Array {
  const bytes: number[] = [];
  const u16 = (v: number) => bytes.push(v & 0xff, (v >> 8) & 0xff);
  bytes.push(...Array.from('GIF89a', (c) => c.charCodeAt(0)));
  u16(width);
  u16(height);
  bytes.push(0xf7, 0, 0); // global colour table of 256 entries
  bytes.push(...palette());
  bytes.push(0x21, 0xff, 11, ...Array.from('NETSCAPE2.0', (c) => c.charCodeAt(0)), 3, 1, 0, 0, 0); // loop forever
  for (const frame of frames) {
    bytes.push(0x21, 0xf9, 4, 0);
    u16(Math.round(delayMs / 10));
    bytes.push(0, 0);
    bytes.push(0x2c);
    u16(0);
    u16(0);
    u16(width);
    u16(height);
    bytes.push(0, 8);
    const data = lzw(quantise(frame, width, height));
    for (let i = 0; i < data.length; i += 255) {
      const chunk = data.subarray(i, i + 255);
      bytes.push(chunk.length, ...chunk);
    }
    bytes.push(0);
  }
  bytes.push(0x3b);
  return Uint8Array.from(bytes);
}
