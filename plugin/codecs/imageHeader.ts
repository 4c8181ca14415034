/**
 * An image's size read from its header, before any decoder allocates for it, and the limits every host applies to
 * that size: a 1.5 MB PNG can declare 20000 x 20000 pixels and make a decoder reserve gigabytes.
 */
import { PNG_SIGNATURE } from './pngContainer';

export const IMAGE_LIMITS = {
  /** 50 megapixels: a full-size photo from most cameras (models run at 1024 px at most). */
  pixels: 50_000_000,
  /** Bytes of decompressed pixel data (16-bit RGBA at 50 megapixels is 400 MB). */
  decodedBytes: 400 * 2 ** 20,
} as const;

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** Bytes the compressed pixel data inflates to (PNG: filtered scanlines), for the decompressed-bytes limit. */
  decodedBytes: number;
  /** PNG only */
  png?: { depth: number; colourType: number; interlaced: boolean };
}

export class ImageHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageHeaderError';
  }
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Filtered scanline bytes of one (sub)image: a filter byte plus the packed pixels of each row. */
function scanlineBytes(width: number, height: number, bitsPerPixel: number): number {
  return width === 0 || height === 0 ? 0 : height * (Math.ceil((width * bitsPerPixel) / 8) + 1);
}

/** Adam7: the seven passes of an interlaced PNG, as [x0, y0, dx, dy]. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

function pngHeader(bytes: Uint8Array): ImageHeader {
  // IHDR must be the first chunk: length 13 at byte 8, type at 12, data at 16
  if (bytes.length < 33) throw new ImageHeaderError('invalid PNG: file is truncated (no complete IHDR chunk)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new ImageHeaderError('invalid PNG: the first chunk is not IHDR');
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  const [depth, colourType, , , interlace] = bytes.subarray(24, 29);
  const channels = PNG_CHANNELS[colourType];
  if (channels === undefined) throw new ImageHeaderError(`invalid PNG: unknown colour type ${colourType}`);
  if (![1, 2, 4, 8, 16].includes(depth)) throw new ImageHeaderError(`invalid PNG: bad bit depth ${depth}`);
  const bpp = channels * depth;
  let decodedBytes = 0;
  if (interlace === 1) {
    for (const [x0, y0, dx, dy] of ADAM7) decodedBytes += scanlineBytes(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy), bpp);
  } else {
    decodedBytes = scanlineBytes(width, height, bpp);
  }
  return { format: 'png', width, height, decodedBytes, png: { depth, colourType, interlaced: interlace === 1 } };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): SOF0-3, 5-7, 9-11, 13-15. */
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let pos = 2;
  for (;;) {
    while (pos < bytes.length && bytes[pos] === 0xff && bytes[pos + 1] === 0xff) pos++; // fill bytes
    if (pos + 4 > bytes.length) throw new ImageHeaderError('invalid JPEG: file is truncated before its frame header');
    if (bytes[pos] !== 0xff) throw new ImageHeaderError(`invalid JPEG: no marker at byte ${pos}`);
    const marker = bytes[pos + 1];
    if (marker === 0xd9 || marker === 0xda) throw new ImageHeaderError('invalid JPEG: no frame header before the image data');
    const len = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (len < 2) throw new ImageHeaderError('invalid JPEG: bad segment length');
    if (isSof(marker)) {
      if (pos + 10 > bytes.length) throw new ImageHeaderError('invalid JPEG: file is truncated inside its frame header');
      const height = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const width = (bytes[pos + 7] << 8) | bytes[pos + 8];
      const components = bytes[pos + 9];
      return { format: 'jpeg', width, height, decodedBytes: width * height * Math.max(components, 1) };
    }
    pos += 2 + len;
  }
}

/** The header of a PNG or JPEG file; undefined for anything else (the caller says which formats it reads). */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes);
  return undefined;
}

const megapixels = (n: number): string => `${(n / 1e6).toFixed(1)} megapixels`;

/** Throws, naming the limit, when an image of this header is too large to decode. */
export function checkImageSize(h: Pick<ImageHeader, 'width' | 'height' | 'decodedBytes'>): void {
  const { width, height } = h;
  if (width < 1 || height < 1) throw new ImageHeaderError(`the image declares a size of ${width}x${height} pixels`);
  if (width * height > IMAGE_LIMITS.pixels) {
    throw new ImageHeaderError(
      `the image is ${width}x${height} (${megapixels(width * height)}), over the decoder's limit of ${megapixels(IMAGE_LIMITS.pixels)}; scale it down first`,
    );
  }
  if (h.decodedBytes > IMAGE_LIMITS.decodedBytes) {
    const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;
    throw new ImageHeaderError(
      `the image's pixel data would take ${mb(h.decodedBytes)} decompressed, over the decoder's limit of ${mb(IMAGE_LIMITS.decodedBytes)}; save it with 8 bits per channel or scale it down`,
    );
  }
}
