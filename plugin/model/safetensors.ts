/**
 * safetensors reader/writer: 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}, then the raw data.
 */
import { concatBytes } from '../codecs/concatBytes';
import { describeValue } from '../codecs/describeValue';
import { printable } from '../codecs/printable';
import { decodeUtf8, encodeUtf8 } from '../codecs/utf8';
import { HostTensor, hostTensor, numel } from '../graph/tensor';
import { floatToHalf, widenHalf } from './halfFloat';
import { f32Bytes, readBF16AsF32, readF64AsF32, viewF32 } from './littleEndian';

export type SafetensorsDtype = 'F32' | 'F16';

export interface SafetensorsContents {
  tensors: Map<string, HostTensor>;
  metadata: Record<string, string>;
}

const ELEMENT_SIZE: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };
/** Headers above this are certainly not weights files; refusing them avoids decoding huge garbage. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function fail(msg: string): never {
  throw new Error(`invalid safetensors file: ${msg}`);
}

/** A tensor name from the file, quoted and safe to print. */
const q = (name: string): string => printable(JSON.stringify(name));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A header value for an error message: never walked deeply (a shape may nest arrays a million deep). */
const shown = (v: unknown): string => describeValue(v);

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function readSafetensorsWithMetadata(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) fail(`file is truncated (${bytes.length} bytes, the header length alone needs 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER_BYTES) fail(`header length ${headerLen} is implausibly large`);
  if (8 + headerLen > bytes.length)
    fail(`file is truncated: header needs ${headerLen} bytes but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(decodeUtf8(bytes.subarray(8, 8 + headerLen), { fatal: true }));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isRecord(header)) fail('header is not a JSON object');
  const data = bytes.subarray(8 + headerLen);
  const tensors = new Map<string, HostTensor>();
  let metadata: Record<string, string> = {};
  // tensors may not share bytes: a header pointing many tensors at one range would multiply the data it expands to
  let claimed = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(entry) || !Object.values(entry).every((v) => typeof v === 'string'))
        fail('__metadata__ must map strings to strings');
      metadata = entry as Record<string, string>;
      continue;
    }
    if (!isRecord(entry)) fail(`entry ${q(name)} is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string' || !(dtype in ELEMENT_SIZE))
      fail(`tensor ${q(name)} has unsupported dtype ${shown(dtype)} (supported: F32, F16, BF16, F64)`);
    if (!Array.isArray(shape) || !shape.every(isNonNegInt)) fail(`tensor ${q(name)} has a bad shape ${shown(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt))
      fail(`tensor ${q(name)} has bad data_offsets ${shown(offsets)}`);
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > data.length)
      fail(
        `tensor ${q(name)} data_offsets [${begin}, ${end}] are out of range (data section has ${data.length} bytes; file truncated?)`,
      );
    const count = numel(shape as number[]);
    if (end - begin !== count * ELEMENT_SIZE[dtype])
      fail(
        `tensor ${q(name)} has ${end - begin} bytes but ${dtype}[${(shape as number[]).join(', ')}] needs ${count * ELEMENT_SIZE[dtype]}`,
      );
    claimed += end - begin;
    if (claimed > data.length)
      fail(`tensors' data ranges overlap (they claim more than the ${data.length} bytes of the data section)`);
    const raw = data.subarray(begin, end);
    // F32 tensors are views of `bytes` where aligned (the reference writer aligns them): the caller hands the bytes over
    const values =
      dtype === 'F32'
        ? viewF32(raw, count)
        : dtype === 'F16'
          ? widenHalf(raw, count)
          : dtype === 'BF16'
            ? readBF16AsF32(raw, count)
            : readF64AsF32(raw, count);
    tensors.set(name, hostTensor(shape as number[], values));
  }
  return { tensors, metadata };
}

export function readSafetensors(bytes: Uint8Array): Map<string, HostTensor> {
  return readSafetensorsWithMetadata(bytes).tensors;
}

export interface WriteSafetensorsOptions {
  metadata?: Record<string, string>;
  /** Storage dtype; F16 halves the file at the cost of precision. */
  dtype?: SafetensorsDtype;
}

function encodeHalf(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setUint16(i * 2, floatToHalf(data[i]), true);
  return out;
}

/** Tensors are written in name order so equal inputs give byte-identical files. */
export function writeSafetensors(tensors: Map<string, HostTensor>, options: WriteSafetensorsOptions = {}): Uint8Array {
  const dtype = options.dtype ?? 'F32';
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (options.metadata && Object.keys(options.metadata).length > 0) header.__metadata__ = options.metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name) as HostTensor;
    if (t.data.length !== numel(t.shape))
      throw new Error(`tensor ${q(name)} has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    const raw = dtype === 'F32' ? f32Bytes(t.data) : encodeHalf(t.data);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + raw.length] };
    chunks.push(raw);
    offset += raw.length;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const jsonBytesLen = encodeUtf8(json).length;
  json += ' '.repeat((8 - ((8 + jsonBytesLen) % 8)) % 8);
  const headerBytes = encodeUtf8(json);
  const size = new Uint8Array(8);
  new DataView(size.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  return concatBytes([size, headerBytes, ...chunks]);
}
