/** Copies little-endian numeric data out of a byte range into typed arrays (the range may be unaligned). */

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function readF32(bytes: Uint8Array, count: number): Float32Array {
  // Uint8Array's slice copies; a Node Buffer's own slice would share (and hand over) the whole pooled buffer
  if (hostIsLittleEndian) return new Float32Array(Uint8Array.prototype.slice.call(bytes, 0, count * 4).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Float32 data in place where the host's byte order and the range's alignment allow, else a copy (readF32). The
 * view shares the caller's buffer: for a model's weights read from a file that halves the load's peak memory and
 * saves copying them (a third of a 512 px model's load time).
 */
export function viewF32(bytes: Uint8Array, count: number): Float32Array {
  if (hostIsLittleEndian && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  return readF32(bytes, count);
}

export function readF64AsF32(bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 8);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

export function readBF16AsF32(bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  const bits = new Uint32Array(count);
  for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  return new Float32Array(bits.buffer);
}

export function f32Bytes(data: Float32Array): Uint8Array {
  if (hostIsLittleEndian) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}
