/** An 8-bit image, channels interleaved row by row: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
export interface Raster8 {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly data: Uint8Array;
}

/** RGBA -> RGB, for writing opaque generator images without a useless alpha channel. */
export function dropAlpha(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Raster8 {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height * 4; i += 4, j += 3) {
    out[j] = rgba[i];
    out[j + 1] = rgba[i + 1];
    out[j + 2] = rgba[i + 2];
  }
  return { width, height, channels: 3, data: out };
}
