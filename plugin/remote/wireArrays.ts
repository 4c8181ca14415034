import { decodeBase64, encodeBase64 } from './base64';

/** Typed arrays <-> base64 of their little-endian bytes, whatever the host's byte order. */

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndianBytes(a: Float32Array | Float64Array): Uint8Array {
  const size = a.BYTES_PER_ELEMENT;
  if (littleEndianHost) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (size === 4) view.setFloat32(i * 4, a[i], true);
    else view.setFloat64(i * 8, a[i], true);
  }
  return out;
}

export const f32ToBase64 = (a: Float32Array): string => encodeBase64(toLittleEndianBytes(a));
export const f64ToBase64 = (a: Float64Array): string => encodeBase64(toLittleEndianBytes(a));
export const u8ToBase64 = (a: Uint8Array): string => encodeBase64(a);

/** Decoders return undefined for bad base64 or a byte count that is not a whole number of elements. */
export function base64ToF32(text: string): Float32Array | undefined {
  const b = decodeBase64(text);
  if (!b || b.length % 4 !== 0) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function base64ToF64(text: string): Float64Array | undefined {
  const b = decodeBase64(text);
  if (!b || b.length % 8 !== 0) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

export const base64ToU8 = (text: string): Uint8Array | undefined => decodeBase64(text);
