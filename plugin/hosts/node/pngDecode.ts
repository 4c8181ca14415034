/**
 * PNG input through pngjs (every colour type and bit depth: grey, grey + alpha, palette, RGB, RGBA, 1-16 bits,
 * interlaced), after the size limits are checked from the header and the chunk layout is checked here.
 */
import { PNG } from 'pngjs';
import { inflateSync } from 'zlib';
import { crc32 } from '../../codecs/crc32';
import { checkImageSize, DAMAGED_IMAGE, ImageHeaderError, readImageHeader } from '../../codecs/imageHeader';
import { ImageError } from './imageError';
import type { Raster8 } from './raster';

export class PngError extends ImageError {
  constructor(message: string) {
    super(message.startsWith('invalid PNG') ? message : `invalid PNG: ${message}`);
    this.name = 'PngError';
  }
}

/** The IDAT data of a PNG whose chunks are all complete and intact: truncation and corruption are named here. */
function imageData(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  for (let pos = 8; ; ) {
    if (pos + 12 > bytes.length) throw new PngError('file is truncated (no IEND chunk)');
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const name = type.replace(/[^A-Za-z]/g, '?');
    if (pos + 12 + len > bytes.length) throw new PngError(`file is truncated inside the ${name} chunk`);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (crc32(bytes.subarray(pos + 4, pos + 8), data) !== view.getUint32(pos + 8 + len))
      throw new PngError(`CRC mismatch in the ${name} chunk (corrupt file)`);
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') return idat;
    pos += 12 + len;
  }
}

/**
 * Decodes a PNG to 8 bits per channel, keeping its channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (palette images
 * become RGB, or RGBA with transparency; 16-bit samples are scaled to 8).
 */
export function decodePng(bytes: Uint8Array): Raster8 {
  let header;
  try {
    header = readImageHeader(bytes);
    if (header?.format !== 'png') throw new PngError('missing PNG signature (not a PNG file)');
    checkImageSize(header);
  } catch (e) {
    if (e instanceof ImageHeaderError) throw new PngError(e.message);
    throw e;
  }
  const idat = imageData(bytes);
  if (header.png?.interlaced) {
    // pngjs bounds the inflated size of non-interlaced images only: bound interlaced ones here
    try {
      inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(header.decodedBytes, 1) });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE')
        throw new PngError(`image data inflates to more than the ${header.decodedBytes} bytes its header declares`);
      throw new PngError(`image data does not decompress: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let png: { width: number; height: number; color: boolean; alpha: boolean; data: Buffer };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as unknown as typeof png;
  } catch {
    // pngjs's own words ("read requests waitng on finished stream", "Unknown filter type") help no user
    throw new PngError(
      `${DAMAGED_IMAGE} (the decoder could not read it); open it in an image editor and save it again as PNG`,
    );
  }
  const { width, height } = png;
  const channels = ((png.color ? 3 : 1) + (png.alpha ? 1 : 0)) as Raster8['channels'];
  // pngjs gives RGBA; keep the channels the file has
  const out = new Uint8Array(width * height * channels);
  const pick = channels === 1 ? [0] : channels === 2 ? [0, 3] : channels === 3 ? [0, 1, 2] : [0, 1, 2, 3];
  for (let i = 0, o = 0; i < width * height; i++) for (const c of pick) out[o++] = png.data[i * 4 + c];
  return { width, height, channels, data: out };
}
