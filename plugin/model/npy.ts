/** NumPy .npy reader/writer for latents (the official GUI saves w as .npy): float32 or float64, C order. */
import { decodeLatin1 } from '../codecs/latin1';
import { decodeUtf8, encodeUtf8 } from '../codecs/utf8';
import { HostTensor, hostTensor, numel } from '../graph/tensor';
import { f32Bytes, readF32, readF64AsF32 } from './littleEndian';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function fail(msg: string): never {
  throw new Error(`invalid .npy file: ${msg}`);
}

export function readNpy(bytes: Uint8Array): HostTensor {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    fail('missing \\x93NUMPY magic (not a .npy file, or truncated)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('file is truncated');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    fail(`unsupported format version ${major}.${bytes[7]}`);
  }
  if (headerStart + headerLen > bytes.length) fail('file is truncated inside the header');
  const header = (major === 3 ? decodeUtf8 : decodeLatin1)(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    fail(`cannot parse header ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') fail('arrays in Fortran order are not supported; save with np.ascontiguousarray(x) first');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) fail(`bad shape (${shapeText})`);
      return n;
    });
  const count = numel(shape);
  const data = bytes.subarray(headerStart + headerLen);
  if (descr === '<f4') {
    if (data.length < count * 4)
      fail(`file is truncated: shape (${shape.join(', ')}) needs ${count * 4} data bytes, found ${data.length}`);
    return hostTensor(shape, readF32(data, count));
  }
  if (descr === '<f8') {
    if (data.length < count * 8)
      fail(`file is truncated: shape (${shape.join(', ')}) needs ${count * 8} data bytes, found ${data.length}`);
    return hostTensor(shape, readF64AsF32(data, count));
  }
  fail(`unsupported dtype '${descr}' (expected little-endian float32 '<f4' or float64 '<f8')`);
}

/** Writes format version 1.0 with the header padded so the data starts 64-byte aligned, as numpy does. */
export function writeNpy(t: HostTensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const headerBytes = encodeUtf8(header);
  const data = f32Bytes(t.data);
  const out = new Uint8Array(10 + headerBytes.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  out.set(data, 10 + headerBytes.length);
  return out;
}
