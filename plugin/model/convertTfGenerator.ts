/**
 * A TensorFlow-era StyleGAN2 generator (Gs) as our model config and weights, by the rules of the official
 * stylegan2-ada-pytorch legacy.py (convert_tf_generator): its kwargs mapping, and for every weight of the PyTorch
 * generator the TF variable it comes from and how its layout changes. Values are converted only after every
 * variable's presence and shape are checked, so a damaged file is refused before anything large is read.
 */
import { printable } from '../codecs/printable';
import { CheckpointError } from '../core/errors';
import { hwioToOihw } from '../graph/hwioToOihw';
import { type HostTensor, hostTensor, numel } from '../graph/tensor';
import type { ModelConfig } from '../stylegan2/config';
import { readF32 } from './littleEndian';
import type { Json } from './pickle/toJson';
import type { TfNetwork, TfValue } from './tfNetwork';
import { normalizeModelConfig, type ConfigFallbacks } from './validateConfig';
import { expectedWeights } from './weightNames';
import type { ImportOptions } from './importOptions';

/**
 * How a TF variable becomes our tensor: `copy` as is; `dense` [in, out] -> [out, in]; `conv` HWIO -> OIHW;
 * `convFlipped` the same after flipping both spatial axes (legacy.py's [::-1, ::-1], for the up-sampling conv);
 * `modBias` plus 1 (TF adds the modulation's bias init at run time, PyTorch stores it); `first` the first slice of
 * `dropped` leading axes (the 4x4 const [1, C, 4, 4], the noise inputs [1, 1, r, r]).
 */
type Layout = { kind: 'copy' | 'dense' | 'conv' | 'convFlipped' | 'modBias' } | { kind: 'first'; dropped: number };

interface Source {
  tfName: string;
  layout: Layout;
}

/** legacy.py's kwarg(): the value, its default when absent, and `none` where the value is None. */
function kwargs(tf: { [k: string]: Json }) {
  const known = new Set<string>();
  const kw = (name: string, fallback: Json = null, none: Json = null): Json => {
    known.add(name);
    const v = name in tf ? tf[name] : fallback;
    return v !== null ? v : none;
  };
  return { kw, known };
}

const twice = (v: Json): Json => (typeof v === 'number' ? v * 2 : v);

function rawConfig(tf: { [k: string]: Json }): { [k: string]: Json } {
  const { kw, known } = kwargs(tf);
  const raw = {
    z_dim: kw('latent_size', 512),
    c_dim: kw('label_size', 0),
    w_dim: kw('dlatent_size', 512),
    img_resolution: kw('resolution', 1024),
    img_channels: kw('num_channels', 3),
    mapping_kwargs: {
      num_layers: kw('mapping_layers', 8),
      embed_features: kw('label_fmaps'),
      layer_features: kw('mapping_fmaps'),
      activation: kw('mapping_nonlinearity', 'lrelu'),
      lr_multiplier: kw('mapping_lrmul', 0.01),
      w_avg_beta: kw('w_avg_beta', 0.995, 1),
    },
    synthesis_kwargs: {
      // TF counts feature maps per stage from fmap_base / 2^stage, PyTorch per resolution: twice the base
      channel_base: twice(kw('fmap_base', 16384)),
      channel_max: kw('fmap_max', 512),
      num_fp16_res: kw('num_fp16_res', 0),
      conv_clamp: kw('conv_clamp'),
      architecture: kw('architecture', 'skip'),
      resample_filter: kw('resample_kernel', [1, 3, 3, 1]),
      use_noise: kw('use_noise', true),
      activation: kw('nonlinearity', 'lrelu'),
    },
  };
  // known to legacy.py and without effect on the converted generator
  for (const k of ['truncation_psi', 'truncation_cutoff', 'style_mixing_prob', 'structure']) known.add(k);
  const unknown = Object.keys(tf).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new CheckpointError(
      'tensorflow',
      `TensorFlow-era StyleGAN2 pickle: Gs has the setting ${unknown.map((k) => `'${printable(k)}'`).join(', ')}, which the official converter ` +
        "(legacy.py) does not know either, so how to build this generator cannot be told; it is not one of NVIDIA's StyleGAN2 networks",
    );
  }
  return raw;
}

/** legacy.py's noise numbering: noise0 is the 4x4 layer's, then two per resolution (conv0, conv1). */
function noiseIndex(res: number, conv: 0 | 1): number {
  return Math.log2(res) * 2 - (conv === 0 ? 5 : 4);
}

/** Where each weight of our generator comes from, by legacy.py's name patterns. */
function sourceOf(name: string): Source | undefined {
  const copy = (tfName: string): Source => ({ tfName, layout: { kind: 'copy' } });
  let m: RegExpMatchArray | null;
  if (name === 'mapping.w_avg') return copy('dlatent_avg');
  if ((m = /^mapping\.fc(\d+)\.(weight|bias)$/.exec(name))) {
    return { tfName: `mapping/Dense${m[1]}/${m[2]}`, layout: { kind: m[2] === 'weight' ? 'dense' : 'copy' } };
  }
  if (name === 'synthesis.b4.const')
    return { tfName: 'synthesis/4x4/Const/const', layout: { kind: 'first', dropped: 1 } };
  if (
    (m =
      /^synthesis\.b(\d+)\.(conv0|conv1|torgb)\.(weight|bias|noise_const|noise_strength|affine\.weight|affine\.bias)$/.exec(
        name,
      ))
  ) {
    const res = Number(m[1]);
    const [layer, param] = [m[2], m[3]];
    const scope =
      layer === 'torgb'
        ? `${res}x${res}/ToRGB`
        : res === 4
          ? '4x4/Conv'
          : layer === 'conv0'
            ? `${res}x${res}/Conv0_up`
            : `${res}x${res}/Conv1`;
    const tf = `synthesis/${scope}`;
    switch (param) {
      case 'weight':
        return { tfName: `${tf}/weight`, layout: { kind: layer === 'conv0' ? 'convFlipped' : 'conv' } };
      case 'noise_const':
        return {
          tfName: `synthesis/noise${res === 4 ? 0 : noiseIndex(res, layer === 'conv0' ? 0 : 1)}`,
          layout: { kind: 'first', dropped: 2 },
        };
      case 'affine.weight':
        return { tfName: `${tf}/mod_weight`, layout: { kind: 'dense' } };
      case 'affine.bias':
        return { tfName: `${tf}/mod_bias`, layout: { kind: 'modBias' } };
      default:
        return copy(`${tf}/${param}`);
    }
  }
  return undefined;
}

/** The TF shape a weight of shape `ours` is stored in, leading axes of `first` left free (-1). */
function tfShape(ours: readonly number[], layout: Layout): number[] {
  switch (layout.kind) {
    case 'dense':
      return [ours[1], ours[0]];
    case 'conv':
    case 'convFlipped':
      return [ours[2], ours[3], ours[1], ours[0]];
    case 'first':
      return [...new Array<number>(layout.dropped).fill(-1), ...ours];
    case 'copy':
    case 'modBias':
      return [...ours];
  }
}

function shapeOf(v: TfValue): number[] {
  return typeof v === 'number' ? [] : v.shape;
}

function fits(shape: readonly number[], want: readonly number[]): boolean {
  return shape.length === want.length && want.every((d, i) => (d === -1 ? shape[i] >= 1 : shape[i] === d));
}

const fmt = (s: readonly number[]): string => `[${s.map((d) => (d === -1 ? 'N' : d)).join(', ')}]`;

export interface TfWeightPlan {
  config: ModelConfig;
  /** Our weight name -> the TF variable it is converted from (shape checked, values not yet read). */
  weights: Map<string, { shape: number[]; value: TfValue; layout: Layout }>;
}

export function planTfGenerator(gs: TfNetwork, opts: ImportOptions, fallbacks: ConfigFallbacks): TfWeightPlan {
  const config = normalizeModelConfig(
    { ...rawConfig(gs.staticKwargs), draggan: opts.draggan ?? {}, alignment: opts.alignment },
    fallbacks,
  );
  const weights: TfWeightPlan['weights'] = new Map();
  const problems: string[] = [];
  for (const [name, shape] of expectedWeights(config)) {
    const src = sourceOf(name);
    if (!src) throw new Error(`no TensorFlow source for weight ${name}`); // every expected name has a pattern above
    const want = tfShape(shape, src.layout);
    const value = gs.variables.get(src.tfName);
    if (value === undefined) problems.push(`missing ${src.tfName} ${fmt(want)}`);
    else if (!fits(shapeOf(value), want))
      problems.push(`${src.tfName} has shape ${fmt(shapeOf(value))}, expected ${fmt(want)}`);
    else weights.set(name, { shape, value, layout: src.layout });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    throw new CheckpointError(
      'tensorflow',
      `TensorFlow-era StyleGAN2 pickle: Gs lacks variables the official converter (legacy.py) reads for a generator of its settings ` +
        `(${problems.length} problem${problems.length > 1 ? 's' : ''}): ${shown}. The file is damaged or not a StyleGAN2 generator; download it again`,
    );
  }
  return { config, weights };
}

/** A variable's float32 values, from its bytes (an array) or its number (a numpy scalar). */
function floats(value: TfValue, bytes: Uint8Array | null): Float32Array {
  if (typeof value === 'number') return Float32Array.of(value);
  const dtype = value.dtype;
  if (!dtype || dtype.descr.replace(/^[<|=]/, '') !== 'f4' || dtype.byteOrder === '>') {
    throw new CheckpointError(
      'tensorflow',
      `TensorFlow-era StyleGAN2 pickle: a variable has numpy dtype ${printable(dtype ? dtype.byteOrder + dtype.descr : 'none')}, not little-endian float32`,
    );
  }
  const count = numel(value.shape);
  if (!bytes || bytes.length !== count * 4)
    throw new CheckpointError(
      'truncated',
      `checkpoint is truncated/corrupt: a TensorFlow variable of shape ${fmt(value.shape)} holds ${bytes?.length ?? 0} bytes, not ${count * 4}`,
    );
  return readF32(bytes, count);
}

function flipSpatial(t: HostTensor): HostTensor {
  const [o, i, kh, kw] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let a = 0; a < o * i; a++)
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) out[(a * kh + y) * kw + x] = t.data[(a * kh + (kh - 1 - y)) * kw + (kw - 1 - x)];
  return { shape: t.shape, data: out };
}

/** One weight from its TF variable's values, by its layout. */
export function convertTfWeight(
  shape: readonly number[],
  value: TfValue,
  layout: Layout,
  bytes: Uint8Array | null,
): HostTensor {
  const data = floats(value, bytes);
  const tf = shapeOf(value);
  switch (layout.kind) {
    case 'dense':
      // [in, out] seen as a 1x1 HWIO filter is an [out, in, 1, 1] OIHW one
      return hostTensor(shape, hwioToOihw({ shape: [1, 1, tf[0], tf[1]], data }).data);
    case 'conv':
      return hwioToOihw({ shape: tf, data });
    case 'convFlipped':
      return flipSpatial(hwioToOihw({ shape: tf, data }));
    case 'modBias':
      return hostTensor(
        shape,
        data.map((v) => v + 1),
      );
    case 'first':
      return hostTensor(shape, data.slice(0, numel(shape)));
    case 'copy':
      return hostTensor(shape, data);
  }
}
