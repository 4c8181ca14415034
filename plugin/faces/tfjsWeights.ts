import type { HostTensor } from '../graph/tensor';
import { FaceModelError } from '../core/errors';
import { concatBytes } from '../codecs/concatBytes';

/**
 * Reads TensorFlow.js "weights manifest" models (a JSON list of weight groups, each with its shard files) into host
 * tensors, without tfjs: the face models ship in this format (@vladmandic/face-api's model/ folder), and reading it
 * ourselves keeps their 4x smaller uint8-quantised files as the thing we carry, converted when loaded.
 */
interface Quantization {
  dtype: string;
  scale?: number;
  min?: number;
}
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: Quantization;
}
interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** Tensors by their tfjs names (e.g. `conv1/depthwise_filter`), in tfjs layout (HWIO filters). */
export type WeightMap = ReadonlyMap<string, HostTensor>;

const BYTES: Record<string, number> = { float32: 4, uint8: 1, uint16: 2 };

function isGroupList(x: unknown): x is WeightGroup[] {
  return (
    Array.isArray(x) &&
    x.every(
      (g) =>
        typeof g === 'object' &&
        g !== null &&
        Array.isArray((g as WeightGroup).paths) &&
        Array.isArray((g as WeightGroup).weights) &&
        (g as WeightGroup).paths.every((p) => typeof p === 'string') &&
        (g as WeightGroup).weights.every(
          (w) =>
            typeof w?.name === 'string' &&
            typeof w.dtype === 'string' &&
            Array.isArray(w.shape) &&
            w.shape.every((d) => Number.isInteger(d) && d >= 0),
        ),
    )
  );
}

/**
 * `manifestJson`: the text of `<model>-weights_manifest.json`; `shards`: the bytes of every file it names, by the
 * name the manifest uses. `label` names the model in error messages.
 */
export function readTfjsWeights(
  label: string,
  manifestJson: string,
  shards: ReadonlyMap<string, Uint8Array>,
): WeightMap {
  let groups: unknown;
  try {
    groups = JSON.parse(manifestJson);
  } catch {
    throw new FaceModelError(`${label}: the weights manifest is not JSON`);
  }
  if (!isGroupList(groups))
    throw new FaceModelError(
      `${label}: the weights manifest is not a tfjs weights manifest (a list of {paths, weights})`,
    );
  const out = new Map<string, HostTensor>();
  for (const group of groups) {
    const bytes = concatShards(label, group.paths, shards);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const stored = w.quantization?.dtype ?? w.dtype;
      const size = BYTES[stored];
      if (w.dtype !== 'float32' || size === undefined) {
        throw new FaceModelError(
          `${label}: weight '${w.name}' is stored as ${stored} (${w.dtype}); only float32 and uint8/uint16-quantised float32 are read`,
        );
      }
      if (offset + count * size > bytes.length)
        throw new FaceModelError(`${label}: the weight files end inside '${w.name}' (truncated?)`);
      out.set(w.name, {
        shape: [...w.shape],
        data: decode(label, w, bytes.subarray(offset, offset + count * size), count),
      });
      offset += count * size;
    }
    if (offset !== bytes.length)
      throw new FaceModelError(
        `${label}: the weight files hold ${bytes.length - offset} bytes more than the manifest describes`,
      );
  }
  return out;
}

function concatShards(label: string, paths: readonly string[], shards: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const parts = paths.map((p) => {
    const s = shards.get(p);
    if (!s) throw new FaceModelError(`${label}: the weight file '${p}' named by the manifest is missing`);
    return s;
  });
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}

function decode(label: string, w: WeightSpec, raw: Uint8Array, count: number): Float32Array {
  const q = w.quantization;
  if (!q) {
    // copied: the shard's offset need not be 4-byte aligned
    return new Float32Array(raw.slice().buffer, 0, count);
  }
  const { scale, min } = q;
  if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min)) {
    throw new FaceModelError(`${label}: weight '${w.name}' is quantised without a finite scale and min`);
  }
  const out = new Float32Array(count);
  if (q.dtype === 'uint8') {
    for (let i = 0; i < count; i++) out[i] = raw[i] * scale + min;
  } else {
    // tfjs writes uint16 shards little-endian
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, true) * scale + min;
  }
  return out;
}

/** The named tensor, checked against the shape the network description expects. */
export function weight(map: WeightMap, label: string, name: string, shape: readonly number[]): HostTensor {
  const t = map.get(name);
  if (!t) throw new FaceModelError(`${label}: the weights have no '${name}'`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new FaceModelError(`${label}: '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t;
}
