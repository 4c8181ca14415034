import { deflateSync } from 'zlib';
import { pngFile } from '../../codecs/pngContainer';
import { COLOUR_TYPE_BY_CHANNELS, paeth, type FilterType } from './pngFormat';
import type { Raster8 } from './raster';

function filterRow(type: FilterType, row: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i] = (row[i] - pred) & 0xff;
  }
}

/** Sum of the filtered bytes read as signed: the usual heuristic for the filter that compresses best. */
function cost(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s += bytes[i] < 128 ? bytes[i] : 256 - bytes[i];
  return s;
}

/**
 * An 8-bit, non-interlaced PNG. `filter` forces one filter type on every row (for tests); by default each row
 * gets the filter with the smallest cost.
 */
export function encodePng(img: Raster8, opts: { filter?: FilterType } = {}): Uint8Array {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`bad PNG size ${width}x${height}`);
  if (data.length !== width * height * channels)
    throw new Error(
      `PNG data has ${data.length} bytes, ${width}x${height}x${channels} needs ${width * height * channels}`,
    );
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  let prev: Uint8Array = new Uint8Array(stride);
  const trial = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * stride, (y + 1) * stride);
    const dst = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    let best: FilterType = opts.filter ?? 0;
    if (opts.filter === undefined) {
      let bestCost = Infinity;
      for (const f of [0, 1, 2, 3, 4] as const) {
        filterRow(f, row, prev, channels, trial);
        const c = cost(trial);
        if (c < bestCost) [best, bestCost] = [f, c];
      }
    }
    raw[y * (stride + 1)] = best;
    filterRow(best, row, prev, channels, dst);
    prev = row;
  }
  return pngFile(width, height, COLOUR_TYPE_BY_CHANNELS[channels], deflateSync(raw));
}
