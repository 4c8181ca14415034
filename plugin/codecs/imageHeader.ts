/**
 * An image's size read from its header, before any decoder allocates for it, and the limits every host applies to
 * that size: a 1.5 MB PNG can declare 20000 x 20000 pixels and make a decoder reserve gigabytes.
 */
import { PNG_SIGNATURE } from './pngContainer';

export const IMAGE_LIMITS = {
  /** 50 megapixels: a full-size photo from most cameras (models run at 1024 px at most). */
  pixels: 50_000_000,
  /**
   * Bytes of decompressed pixel data (16-bit RGBA at 50 megapixels is 400 MB; a JPEG's decoder holds 4 bytes per
   * sample of every 8x8 block, plus its output).
   */
  decodedBytes: 400 * 2 ** 20,
  /** Scans of a progressive JPEG (encoders write about 10; each one is a pass over every block). */
  jpegScans: 100,
} as const;

/** The one message for an image whose structure the decoders cannot or will not follow. */
export const DAMAGED_IMAGE = 'this image is damaged or unsupported';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** Bytes the compressed pixel data inflates to (PNG: filtered scanlines), for the decompressed-bytes limit. */
  decodedBytes: number;
  /** PNG only */
  png?: { depth: number; colourType: number; interlaced: boolean };
  /** JPEG only: what the file's markers hold, up to its end or the end of the bytes given. */
  jpeg?: JpegStructure;
}

export interface JpegStructure {
  components: number;
  scans: number;
  /** Bytes of entropy-coded data after the scans' headers. */
  entropyBytes: number;
  /** The fewest entropy-coded bytes that can code every block of the frame (every block costs at least one bit). */
  minEntropyBytes: number;
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
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function pngHeader(bytes: Uint8Array): ImageHeader {
  // IHDR must be the first chunk: length 13 at byte 8, type at 12, data at 16
  if (bytes.length < 33) throw new ImageHeaderError('invalid PNG: file is truncated (no complete IHDR chunk)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    throw new ImageHeaderError('invalid PNG: the first chunk is not IHDR');
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  const [depth, colourType, , , interlace] = bytes.subarray(24, 29);
  const channels = PNG_CHANNELS[colourType];
  if (channels === undefined) throw new ImageHeaderError(`invalid PNG: unknown colour type ${colourType}`);
  if (![1, 2, 4, 8, 16].includes(depth)) throw new ImageHeaderError(`invalid PNG: bad bit depth ${depth}`);
  const bpp = channels * depth;
  let decodedBytes = 0;
  if (interlace === 1) {
    for (const [x0, y0, dx, dy] of ADAM7)
      decodedBytes += scanlineBytes(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy), bpp);
  } else {
    decodedBytes = scanlineBytes(width, height, bpp);
  }
  return { format: 'png', width, height, decodedBytes, png: { depth, colourType, interlaced: interlace === 1 } };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): SOF0-3, 5-7, 9-11, 13-15. */
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** The ones the JPEG decoder reads: baseline, extended and progressive Huffman coding (no lossless or arithmetic). */
const DECODED_SOF = new Set([0xc0, 0xc1, 0xc2]);
/** Grey, YCbCr/RGB, CMYK/YCCK. */
const DECODED_COMPONENTS = new Set([1, 3, 4]);

function damaged(why: string): ImageHeaderError {
  return new ImageHeaderError(`invalid JPEG: ${DAMAGED_IMAGE} (${why})`);
}

interface Frame {
  width: number;
  height: number;
  /** Sampling factors [h, v] per component. */
  sampling: [number, number][];
}

/**
 * Blocks of 8x8 samples in all components: `allocated` as the decoder allocates them (whole MCUs), `coded` those
 * every file must code (a scan of one component skips the MCU padding).
 */
function frameBlocks(f: Frame): { allocated: number; coded: number } {
  const maxH = Math.max(...f.sampling.map(([h]) => h));
  const maxV = Math.max(...f.sampling.map(([, v]) => v));
  const mcusPerLine = Math.ceil(f.width / 8 / maxH);
  const mcusPerColumn = Math.ceil(f.height / 8 / maxV);
  let allocated = 0;
  let coded = 0;
  for (const [h, v] of f.sampling) {
    allocated += mcusPerLine * h * mcusPerColumn * v;
    coded += Math.ceil((Math.ceil(f.width / 8) * h) / maxH) * Math.ceil((Math.ceil(f.height / 8) * v) / maxV);
  }
  return { allocated, coded };
}

/** Where the entropy-coded data from `pos` ends: the next marker that is not a stuffed 0xFF00 or a restart. */
function entropyEnd(bytes: Uint8Array, pos: number): number {
  for (let i = bytes.indexOf(0xff, pos); i >= 0; i = bytes.indexOf(0xff, i + 1)) {
    const next = bytes[i + 1];
    if (next === undefined) return bytes.length;
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return i;
  }
  return bytes.length;
}

/**
 * Every segment of the file, before the decoder allocates anything: the decoder sizes its buffers from every frame
 * header it meets (three 7000x7000 frames in 130 bytes took 3.9 GB), from the component count (255 of them) and
 * runs a pass over every block per scan (4,000 scans: 35 s), so all of these are checked here, and the size is
 * what the decoder holds: 4 bytes a sample per 8x8 block, a byte a sample of lines, the RGB output.
 */
function jpegHeader(bytes: Uint8Array): ImageHeader {
  let pos = 2;
  let frame: Frame | undefined;
  let scans = 0;
  let entropyBytes = 0;
  while (pos < bytes.length) {
    while (pos < bytes.length && bytes[pos] === 0xff && bytes[pos + 1] === 0xff) pos++; // fill bytes
    if (pos + 4 > bytes.length) {
      if (!frame) throw new ImageHeaderError('invalid JPEG: file is truncated before its frame header');
      break;
    }
    if (bytes[pos] !== 0xff) throw damaged(`no marker at byte ${pos}`);
    const marker = bytes[pos + 1];
    if (marker === 0xd9) break; // end of image
    if (!frame && marker === 0xda) throw new ImageHeaderError('invalid JPEG: no frame header before the image data');
    const len = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (len < 2) throw new ImageHeaderError('invalid JPEG: bad segment length');
    if (isSof(marker)) {
      if (frame) throw damaged('it has more than one frame header; a JPEG image has one');
      if (!DECODED_SOF.has(marker))
        throw damaged(
          `frame type SOF${marker - 0xc0}: lossless, hierarchical and arithmetic-coded JPEGs are not supported`,
        );
      if (pos + 10 > bytes.length)
        throw new ImageHeaderError('invalid JPEG: file is truncated inside its frame header');
      const components = bytes[pos + 9];
      if (!DECODED_COMPONENTS.has(components)) throw damaged(`${components} colour components; JPEGs have 1, 3 or 4`);
      if (len < 8 + 3 * components || pos + 2 + len > bytes.length) throw damaged('its frame header is cut short');
      const sampling: [number, number][] = [];
      for (let c = 0; c < components; c++) {
        const hv = bytes[pos + 11 + 3 * c];
        const [h, v] = [hv >> 4, hv & 15];
        if (h < 1 || h > 4 || v < 1 || v > 4) throw damaged(`sampling factors ${h}x${v}; JPEG allows 1 to 4`);
        sampling.push([h, v]);
      }
      frame = {
        height: (bytes[pos + 5] << 8) | bytes[pos + 6],
        width: (bytes[pos + 7] << 8) | bytes[pos + 8],
        sampling,
      };
    }
    pos += 2 + len;
    if (marker === 0xda) {
      if (++scans > IMAGE_LIMITS.jpegScans) throw damaged(`more than ${IMAGE_LIMITS.jpegScans} scans`);
      const end = entropyEnd(bytes, pos);
      entropyBytes += end - pos;
      pos = end;
    }
  }
  if (!frame) throw new ImageHeaderError('invalid JPEG: file is truncated before its frame header');
  const { width, height } = frame;
  const blocks = frameBlocks(frame);
  return {
    format: 'jpeg',
    width,
    height,
    decodedBytes: blocks.allocated * (256 + 64) + width * height * 3,
    jpeg: { components: frame.sampling.length, scans, entropyBytes, minEntropyBytes: Math.floor(blocks.coded / 8) },
  };
}

/** Throws the damaged-image error when a whole JPEG file holds no scan or too little data for its size. */
export function checkJpegData(h: ImageHeader): void {
  if (!h.jpeg) return;
  if (h.jpeg.scans === 0) throw damaged('it has no image data');
  if (h.jpeg.entropyBytes < h.jpeg.minEntropyBytes) {
    throw damaged(
      `${h.jpeg.entropyBytes} bytes of image data cannot code ${h.width}x${h.height} pixels; the file is cut short or crafted`,
    );
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
