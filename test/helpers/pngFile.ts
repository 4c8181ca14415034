/** PNG files built chunk by chunk, for headers and colour types our encoder never writes. */
import { deflateSync } from 'zlib';
import { crc32 } from '../../plugin/codecs/crc32';

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const t = new TextEncoder().encode(type);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.set(t, 4);
  out.set(data, 8);
  out.writeUInt32BE(crc32(t, data), 8 + data.length);
  return out;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function ihdr(width: number, height: number, depth: number, colour: number, interlace = 0): Buffer {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h.set([depth, colour, 0, 0, interlace], 8);
  return pngChunk('IHDR', h);
}

/** A PNG of `raw` filtered scanlines (deflated here), with optional chunks (PLTE, tRNS) before the data. */
export function pngFile(
  width: number,
  height: number,
  raw: Uint8Array,
  opts: { depth?: number; colour?: number; interlace?: number; chunks?: [string, Uint8Array][] } = {},
): Uint8Array {
  const extra = (opts.chunks ?? []).map(([type, data]) => pngChunk(type, data));
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height, opts.depth ?? 8, opts.colour ?? 2, opts.interlace ?? 0),
    ...extra,
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}
