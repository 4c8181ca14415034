/**
 * Turns an untrusted model.json object (or a checkpoint's init kwargs) into a ModelConfig,
 * filling the official and DragGAN defaults and rejecting generators the engine cannot run.
 */
import { describeValue } from '../codecs/describeValue';
import { printable } from '../codecs/printable';
import { defaultLambda, settingDefault } from '../core/defaults';
import { dragSettings, type DragDefaults, type ModelShape } from '../core/dragSettings';
import { ModelConfigError } from '../core/errors';
import { settingProblem } from '../core/settingProblem';
import { FACE_ALIGNMENTS, FACE_MODEL_KINDS, type FaceAlignment, type FaceModelKind } from '../core/types';
import { featureShapes, MappingKwargs, ModelConfig, numWs, SynthesisKwargs } from '../stylegan2/config';
import { STYLEGAN3_DEFAULTS } from '../stylegan2/stylegan3/geometry';
import { expectedWeights } from './weightNames';

function fail(msg: string): never {
  throw new ModelConfigError(`invalid model config: ${msg}`);
}

/** A value from the file, quoted for an error message: JSON-like, escaped, cut, never walked deeply. */
function shown(v: unknown): string {
  return typeof v === 'string' ? `'${printable(v, 60)}'` : describeValue(v);
}

/**
 * Sane ranges, checked before anything is sized from them: official StyleGAN2 generators have 8 mapping layers,
 * 512-wide latents and at most 512 channels, and a crafted num_layers of 3e6 would otherwise build millions of
 * weight names before failing.
 */
const LIMITS = {
  latentDim: 4096,
  mappingLayers: 32,
  channelBase: 1 << 20,
  channelMax: 2048,
  fp16Resolutions: 10,
  /** Parameters of the whole generator (the official 1024 px one has 30M). */
  parameters: 200_000_000,
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(o: Obj, key: string, where: string, fallback?: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    fail(`${where}${key} must be an integer ${range}, got ${shown(o[key])}`);
  }
  return v;
}

function num(o: Obj, key: string, where: string, fallback: number | undefined, min: number, max: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    fail(`${where}${key} must be a number from ${min} to ${max}, got ${shown(o[key])}`);
  return v;
}

function optIntOrNull(o: Obj, key: string, where: string, max: number): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  return int(o, key, where, undefined, 1, max);
}

/** Longer names and descriptions are no use in a model picker. */
const MAX_TEXT = 10_000;

function str(o: Obj, key: string, fallback: string): string {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' || v.length > MAX_TEXT) fail(`${key} must be a string of at most ${MAX_TEXT} characters`);
  return v;
}

function mappingKwargs(raw: unknown): MappingKwargs {
  const m = raw ?? {};
  if (!isObj(m)) fail('mapping_kwargs must be an object');
  const w = 'mapping_kwargs.';
  const activation = m.activation ?? 'lrelu';
  if (activation !== 'lrelu' && activation !== 'linear')
    fail(`${w}activation ${shown(activation)} is not supported (lrelu or linear)`);
  const beta = m.w_avg_beta === undefined ? 0.998 : m.w_avg_beta;
  if (beta !== null && typeof beta !== 'number') fail(`${w}w_avg_beta must be a number or null`);
  return {
    num_layers: int(m, 'num_layers', w, 8, 1, LIMITS.mappingLayers),
    lr_multiplier: num(m, 'lr_multiplier', w, 0.01, -1e6, 1e6),
    w_avg_beta: beta,
    layer_features: optIntOrNull(m, 'layer_features', w, LIMITS.latentDim),
    embed_features: optIntOrNull(m, 'embed_features', w, LIMITS.latentDim),
    activation,
  };
}

function convClamp(raw: Obj, w: string): number | null {
  if (!('conv_clamp' in raw)) fail(`${w}conv_clamp must be given (a number, or null for no clamping)`);
  const clamp = raw.conv_clamp;
  if (clamp !== null && (typeof clamp !== 'number' || !(clamp > 0)))
    fail(`${w}conv_clamp must be a positive number or null`);
  return clamp;
}

/**
 * StyleGAN3 (alias-free) kwargs: the official SynthesisNetwork / SynthesisLayer ones, flat, defaults filled in. The
 * ranges keep the layer plan sane (every layer's sizes and filters follow from them).
 */
function stylegan3Kwargs(raw: Obj, w: string): SynthesisKwargs {
  const d = STYLEGAN3_DEFAULTS;
  const numLayers = int(raw, 'num_layers', w, d.num_layers, 2, 32);
  const kernel = int(raw, 'conv_kernel', w, d.conv_kernel, 1, 7);
  const radial = raw.use_radial_filters ?? d.use_radial_filters;
  if (typeof radial !== 'boolean') fail(`${w}use_radial_filters must be a boolean`);
  const config = raw.stylegan3_config ?? (kernel === 1 && radial ? 'r' : 't');
  if (config !== 't' && config !== 'r') fail(`${w}stylegan3_config ${shown(config)} is not known ('t' or 'r')`);
  return {
    channel_base: int(raw, 'channel_base', w, 32768, 1, LIMITS.channelBase),
    channel_max: int(raw, 'channel_max', w, 512, 1, LIMITS.channelMax),
    conv_clamp: convClamp(raw, w),
    architecture: 'stylegan3',
    stylegan3_config: config,
    num_layers: numLayers,
    num_critical: int(raw, 'num_critical', w, d.num_critical, 0, numLayers - 1),
    first_cutoff: num(raw, 'first_cutoff', w, d.first_cutoff, 0.01, 1024),
    first_stopband: num(raw, 'first_stopband', w, d.first_stopband, 0.01, 1024),
    last_stopband_rel: num(raw, 'last_stopband_rel', w, d.last_stopband_rel, 1, 16),
    margin_size: int(raw, 'margin_size', w, d.margin_size, 0, 256),
    output_scale: num(raw, 'output_scale', w, d.output_scale, -1e6, 1e6),
    conv_kernel: kernel,
    filter_size: int(raw, 'filter_size', w, d.filter_size, 1, 32),
    lrelu_upsampling: int(raw, 'lrelu_upsampling', w, d.lrelu_upsampling, 1, 8),
    use_radial_filters: radial,
  };
}

function synthesisKwargs(raw: unknown): SynthesisKwargs {
  if (!isObj(raw)) fail('synthesis_kwargs must be an object');
  const w = 'synthesis_kwargs.';
  const architecture = raw.architecture ?? 'skip';
  if (architecture === 'stylegan3') return stylegan3Kwargs(raw, w);
  if (architecture !== 'skip') {
    fail(
      `architecture ${shown(architecture)} is not supported: only the official StyleGAN2 'skip' generator architecture and StyleGAN3 ('stylegan3') can be used (not 'orig' or 'resnet')`,
    );
  }
  const clamp = convClamp(raw, w);
  const filter = raw.resample_filter ?? [1, 3, 3, 1];
  if (
    !Array.isArray(filter) ||
    filter.length !== 4 ||
    filter[0] !== 1 ||
    filter[1] !== 3 ||
    filter[2] !== 3 ||
    filter[3] !== 1
  ) {
    fail(`${w}resample_filter ${shown(filter)} is not supported (only the official [1, 3, 3, 1])`);
  }
  const useNoise = raw.use_noise ?? true;
  if (typeof useNoise !== 'boolean') fail(`${w}use_noise must be a boolean`);
  if (raw.activation !== undefined && raw.activation !== 'lrelu')
    fail(`${w}activation ${shown(raw.activation)} is not supported (lrelu only)`);
  const out: SynthesisKwargs = {
    channel_base: int(raw, 'channel_base', w, 32768, 1, LIMITS.channelBase),
    channel_max: int(raw, 'channel_max', w, 512, 1, LIMITS.channelMax),
    conv_clamp: clamp,
    architecture: 'skip',
    num_fp16_res: int(raw, 'num_fp16_res', w, 0, 0, LIMITS.fp16Resolutions),
    resample_filter: [1, 3, 3, 1],
    use_noise: useNoise,
  };
  return out;
}

/**
 * model.json's `draggan` section: each setting the table lets a card set, checked as the engine checks it (so a card
 * that loads never fails every drag), or the table's default; a card without lambda gets the one that suits its r1
 * (a wider motion disc needs a softer hold).
 */
function dragDefaults(raw: unknown, model: ModelShape): DragDefaults {
  const d = raw ?? {};
  if (!isObj(d)) fail('draggan must be an object');
  const out: Record<string, unknown> = {};
  for (const [name, s] of dragSettings()) {
    if (s.modelJson === undefined) continue;
    const given = d[s.modelJson];
    if (given === undefined) {
      out[s.modelJson] = name === 'lambda' ? defaultLambda(out.r1 as number) : settingDefault(name, model);
      continue;
    }
    const problem = settingProblem(name, given, model);
    if (problem) fail(`draggan.${s.modelJson}: ${problem.replace(/, got .*$/s, `, got ${shown(given)}`)}`);
    out[s.modelJson] = given;
  }
  return out as DragDefaults;
}

/** model.json `alignment`: how photos are framed for the model; older cards without it keep the centred square. */
function alignment(raw: unknown): FaceAlignment {
  if (raw === undefined || raw === null) return 'none';
  const known = FACE_ALIGNMENTS.find((a) => a === raw);
  if (known === undefined)
    fail(`alignment ${shown(raw)} is not known (${FACE_ALIGNMENTS.map((a) => `'${a}'`).join(' or ')})`);
  return known;
}

/** model.json `face_model`: which face finder reads the model's faces; photographed faces unless it says otherwise. */
function faceModel(raw: unknown): FaceModelKind {
  if (raw === undefined || raw === null) return 'photo';
  const known = FACE_MODEL_KINDS.find((a) => a === raw);
  if (known === undefined)
    fail(`face_model ${shown(raw)} is not known (${FACE_MODEL_KINDS.map((a) => `'${a}'`).join(' or ')})`);
  return known;
}

/**
 * The official StyleGAN-Human `square` kwarg: false makes every map half as wide as tall (1024 x 512 people);
 * absent or true is the ordinary square generator, kept out of the config so square model.json files stay as they are.
 */
function square(raw: unknown, synthesis: SynthesisKwargs): { square?: false } {
  if (raw === undefined || raw === null || raw === true) return {};
  if (raw !== false)
    fail(`square ${shown(raw)} must be true or false (false: the StyleGAN-Human layout, twice as tall as wide)`);
  if (synthesis.architecture !== 'skip')
    fail(
      "square = false (StyleGAN-Human's rectangular layout) is a StyleGAN2 ('skip') generator's; this one is StyleGAN3",
    );
  return { square: false };
}

export interface ConfigFallbacks {
  name?: string;
  description?: string;
  license?: string;
}

export function normalizeModelConfig(raw: unknown, fallbacks: ConfigFallbacks = {}): ModelConfig {
  if (!isObj(raw)) fail('model.json must hold a JSON object');
  const res = int(raw, 'img_resolution', '');
  if (res < 64 || res > 1024 || (res & (res - 1)) !== 0) {
    fail(
      `img_resolution ${res} is not supported: it must be a power of two from 64 to 1024 (DragGAN tracks features of a 64+ px block)`,
    );
  }
  const cDim = int(raw, 'c_dim', '', 0);
  if (cDim > 0) fail(`conditional generators (c_dim = ${cDim} > 0, class-labelled) are not supported yet`);
  const imgChannels = int(raw, 'img_channels', '', 3);
  if (imgChannels !== 3) fail(`img_channels ${imgChannels} is not supported (RGB generators only)`);
  const synthesis = synthesisKwargs(raw.synthesis_kwargs);
  const generator: Omit<ModelConfig, 'draggan'> = {
    z_dim: int(raw, 'z_dim', '', undefined, 1, LIMITS.latentDim),
    c_dim: cDim,
    w_dim: int(raw, 'w_dim', '', undefined, 1, LIMITS.latentDim),
    img_resolution: res,
    ...square(raw.square, synthesis),
    img_channels: imgChannels,
    mapping_kwargs: mappingKwargs(raw.mapping_kwargs),
    synthesis_kwargs: synthesis,
    name: str(raw, 'name', fallbacks.name ?? 'StyleGAN2 generator'),
    description: str(raw, 'description', fallbacks.description ?? ''),
    license: str(raw, 'license', str(raw, 'licence', fallbacks.license ?? "unknown — check the checkpoint's licence")),
    domain: str(raw, 'domain', ''),
    alignment: alignment(raw.alignment),
    face_model: faceModel(raw.face_model),
  };
  // feature maps: StyleGAN2's blocks, or StyleGAN3's layers
  const config: ModelConfig = {
    ...generator,
    draggan: dragDefaults(raw.draggan, { numBlocks: featureShapes(generator).length, numWs: numWs(generator) }),
  };
  let parameters = 0;
  for (const shape of expectedWeights(config).values()) parameters += shape.reduce((a, b) => a * b, 1);
  if (parameters > LIMITS.parameters)
    fail(`the generator would have ${parameters} parameters, more than the ${LIMITS.parameters} this tool loads`);
  return config;
}
