import { inflateSync } from 'zlib';
import { crc32 } from '../../codecs/crc32';
import { PNG_SIGNATURE } from '../../codecs/pngContainer';
import { paeth } from './pngFormat';
import type { Raster8 } from './raster';

const CHANNELS_BY_COLOUR_TYPE: Record<number, Raster8['channels']> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export class PngError extends Error {
  constructor(message: string) {
    super(`invalid PNG: ${message}`);
    this.name = 'PngError';
  }
}

/**
 * Decodes the PNGs users give as images and masks: 8-bit grey, grey + alpha, RGB or RGBA, non-interlaced, any
 * filter types. Anything else gets an error that says how to re-save the file.
 */
export function decodePng(bytes: Uint8Array): Raster8 {
  if (bytes.length < 8 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new PngError('missing PNG signature (not a PNG file)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let header: { width: number; height: number; channels: Raster8['channels'] } | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) throw new PngError('file is truncated (no IEND chunk)');
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + len > bytes.length) throw new PngError(`file is truncated inside the ${type} chunk`);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (crc32(bytes.subarray(pos + 4, pos + 8), data) !== view.getUint32(pos + 8 + len)) throw new PngError(`CRC mismatch in the ${type} chunk (corrupt file)`);
    pos += 12 + len;
    if (type === 'IHDR') {
      if (len !== 13) throw new PngError('bad IHDR chunk');
      const hv = new DataView(data.buffer, data.byteOffset, 13);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      const channels = CHANNELS_BY_COLOUR_TYPE[colourType];
      if (colourType === 3) throw new PngError('palette images are not supported; save it as RGB, RGBA or greyscale');
      if (channels === undefined) throw new PngError(`unknown colour type ${colourType}`);
      if (depth !== 8) throw new PngError(`${depth}-bit images are not supported; save it with 8 bits per channel`);
      if (interlace !== 0) throw new PngError('interlaced images are not supported; save it without interlacing');
      header = { width: hv.getUint32(0), height: hv.getUint32(4), channels };
      if (header.width < 1 || header.height < 1) throw new PngError(`bad size ${header.width}x${header.height}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      // an upper-case first letter marks a chunk a decoder must understand
      throw new PngError(`unsupported critical chunk ${type}`);
    }
  }
  if (!header) throw new PngError('no IHDR chunk');
  if (idat.length === 0) throw new PngError('no image data (IDAT)');
  const { width, height, channels } = header;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new PngError(`image data does not decompress: ${e instanceof Error ? e.message : String(e)}`);
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new PngError('image data is shorter than the image');
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let pred: number;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        case 4: pred = paeth(a, b, c); break;
        default: throw new PngError(`unknown filter type ${filter} on row ${y}`);
      }
      row[i] = (src[i] + pred) & 0xff;
    }
  }
  return { width, height, channels, data: out };
}
