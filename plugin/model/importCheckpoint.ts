/**
 * Imports an official StyleGAN2 training snapshot (pickle of {G, D, G_ema, ...}) into a model package,
 * reading G_ema's init kwargs and state without executing anything from the file; a TensorFlow-era one (a tuple
 * (G, D, Gs) of dnnlib.tflib Networks) is converted from its Gs by the rules of the official legacy.py.
 */
import { printable } from '../codecs/printable';
import { hostTensor, type HostTensor } from '../graph/tensor';
import { checkWeights } from './checkWeights';
import { refuseNonFiniteWeights } from './finiteWeights';
import { ModelPackage } from './modelPackage';
import { truncated, unsupported } from './pickle/errors';
import { normalizeModelConfig } from './validateConfig';
import type { ModelConfig } from '../stylegan2/config';
import { childModule, moduleTensors } from './pickle/flattenModule';
import { unpickle } from './pickle/machine';
import { Json, toJson } from './pickle/toJson';
import { checkExpansion, tensorValues } from './pickle/torchStorage';
import { checkpointSemantics } from './pickle/whitelist';
import { PersistentObject, PyValue, TorchTensor, describe, dictGet, isDict, isKind, seqItems } from './pickle/values';
import { DeferredStorages } from './pickle/deferredStorages';
import { STREAM_LIMITS, streamedUnpickle, type StreamLimits } from './pickle/streamedUnpickle';
import type { ByteSource } from './byteSource';
import { convertTfWeight, planTfGenerator, type TfWeightPlan } from './convertTfGenerator';
import type { ImportOptions } from './importOptions';
import { isTfPickle, tfGenerator } from './tfNetwork';

const GENERATOR_ARGS = [
  'z_dim',
  'c_dim',
  'w_dim',
  'img_resolution',
  'img_channels',
  'mapping_kwargs',
  'synthesis_kwargs',
];
const SYNTHESIS_KEYS = [
  'channel_base',
  'channel_max',
  'conv_clamp',
  'architecture',
  'num_fp16_res',
  'resample_filter',
  'use_noise',
  'activation',
];

/** Which official generator G_ema is, by the class names in its embedded module source (never executed). */
function generatorKind(g: PersistentObject): 'stylegan2' | 'stylegan3' {
  const src = g.moduleSrc;
  const common =
    g.className === 'Generator' && /class\s+SynthesisNetwork\b/.test(src) && /class\s+MappingNetwork\b/.test(src);
  if (common && /\bfiltered_lrelu\b/.test(src) && /class\s+SynthesisInput\b/.test(src)) return 'stylegan3';
  if (common && /\bmodulated_conv2d\b/.test(src)) return 'stylegan2';
  throw unsupported(
    `G_ema is a ${printable(g.className)} from code we do not recognise as the official StyleGAN2 or StyleGAN3 generator; only those checkpoints can be imported`,
  );
}

const STYLEGAN3_KEYS = [
  'channel_base',
  'channel_max',
  'num_layers',
  'num_critical',
  'first_cutoff',
  'first_stopband',
  'last_stopband_rel',
  'margin_size',
  'output_scale',
  'conv_kernel',
  'filter_size',
  'lrelu_upsampling',
  'use_radial_filters',
  'conv_clamp',
];

/**
 * A StyleGAN3 G_ema's config: the synthesis kwargs are flat in the official init kwargs (train.py); conv_clamp
 * as the first layer was built (its default, 256, is not in the kwargs). The mapping network defaults to 2 layers.
 */
function stylegan3Config(
  g: PersistentObject,
  raw: { [k: string]: Json },
  flat: { [k: string]: Json },
): { [k: string]: Json } {
  const synthesis: { [k: string]: Json } = { architecture: 'stylegan3' };
  for (const k of STYLEGAN3_KEYS) if (k in flat) synthesis[k] = flat[k];
  const synNet = childModule(g, 'synthesis');
  const names = synNet ? toJson(dictGet(synNet.state, 'layer_names') ?? null) : null;
  const first =
    synNet && Array.isArray(names) && typeof names[0] === 'string' ? childModule(synNet, names[0]) : undefined;
  const clamp = attr(first, 'conv_clamp');
  synthesis.conv_clamp = clamp !== undefined ? clamp : 'conv_clamp' in synthesis ? synthesis.conv_clamp : 256;
  synthesis.stylegan3_config = synthesis.conv_kernel === 1 && synthesis.use_radial_filters === true ? 'r' : 't';
  const mapping: { [k: string]: Json } = { num_layers: 2, ...obj(raw.mapping_kwargs) };
  const beta = attr(childModule(g, 'mapping'), 'w_avg_beta');
  if (beta !== undefined) mapping.w_avg_beta = beta;
  return {
    z_dim: raw.z_dim ?? null,
    c_dim: raw.c_dim ?? 0,
    w_dim: raw.w_dim ?? null,
    img_resolution: raw.img_resolution ?? null,
    img_channels: raw.img_channels ?? 3,
    mapping_kwargs: mapping,
    synthesis_kwargs: synthesis,
  };
}

function obj(v: Json | undefined): { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** A layer attribute as actually constructed (more reliable than kwargs, whose defaults changed between repos). */
function attr(m: PersistentObject | undefined, name: string): Json | undefined {
  return m ? (toJson(dictGet(m.state, name) ?? null) ?? undefined) : undefined;
}

function rawConfig(g: PersistentObject, kind: 'stylegan2' | 'stylegan3'): { [k: string]: Json } {
  const kwargs = obj(toJson(dictGet(g.state, '_init_kwargs') ?? null));
  const args = seqItems(dictGet(g.state, '_init_args')) ?? [];
  const raw: { [k: string]: Json } = {};
  args.forEach((a, i) => {
    const j = toJson(a);
    if (i < GENERATOR_ARGS.length && j !== undefined) raw[GENERATOR_ARGS[i]] = j;
  });
  Object.assign(raw, kwargs);
  // The stylegan3-repo training script passes the synthesis kwargs flat (Generator's **synthesis_kwargs2).
  let synth = obj(raw.synthesis_kwargs);
  if (Object.keys(synth).length === 0) synth = kwargs;
  if (kind === 'stylegan3') return stylegan3Config(g, raw, synth);
  const synthesis: { [k: string]: Json } = {};
  for (const k of SYNTHESIS_KEYS) if (k in synth) synthesis[k] = synth[k];
  const synNet = childModule(g, 'synthesis');
  const b4 = synNet ? childModule(synNet, 'b4') : undefined;
  const conv1 = b4 ? childModule(b4, 'conv1') : undefined;
  const clamp = attr(conv1, 'conv_clamp');
  if (clamp !== undefined) synthesis.conv_clamp = clamp;
  else if (!('conv_clamp' in synthesis)) synthesis.conv_clamp = null;
  const arch = attr(b4, 'architecture');
  if (typeof arch === 'string') synthesis.architecture = arch;
  const mapping = obj(raw.mapping_kwargs);
  const mapNet = childModule(g, 'mapping');
  const square = raw.square ?? rectangularConst(b4);
  const beta = attr(mapNet, 'w_avg_beta');
  if (beta !== undefined) mapping.w_avg_beta = beta;
  return {
    z_dim: raw.z_dim ?? null,
    c_dim: raw.c_dim ?? 0,
    w_dim: raw.w_dim ?? null,
    img_resolution: raw.img_resolution ?? null,
    ...(square !== undefined ? { square } : {}),
    img_channels: raw.img_channels ?? 3,
    mapping_kwargs: mapping,
    synthesis_kwargs: synthesis,
  };
}

/**
 * StyleGAN-Human's rectangular generators: the official DragGAN renderer passes `square=False` itself when it
 * rebuilds them (viz/renderer.py), so their pickles need not carry the kwarg; the constant's shape [C, 4, 2] says it.
 */
function rectangularConst(b4: PersistentObject | undefined): false | undefined {
  const c = b4 ? moduleTensors(b4).get('const') : undefined;
  if (c === undefined) return undefined;
  const [, h, w] = c.size;
  return h === 4 && w === 2 ? false : undefined;
}

function findGenerator(root: PyValue): PersistentObject {
  if (isKind(root, 'persistent')) return root;
  if (!isDict(root))
    throw unsupported(
      `not an official StyleGAN2 training snapshot: the pickle holds a ${describe(root)}, not a dict with G_ema`,
    );
  const g = dictGet(root, 'G_ema');
  if (g === undefined) {
    const keys = printable(root.keys.filter((k): k is string => typeof k === 'string').join(', '));
    throw unsupported(`not an official StyleGAN2 training snapshot: no G_ema (keys: ${keys})`);
  }
  if (!isKind(g, 'persistent')) throw unsupported(`G_ema is a ${describe(g)}, not a torch_utils.persistence network`);
  return g;
}

function checkFileStart(head: Uint8Array, length: number): void {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) {
    throw unsupported('this is a torch.save zip archive, not an official StyleGAN2 .pkl training snapshot');
  }
  if (length === 0) throw truncated('the file is empty');
  if (head[0] !== 0x80) throw unsupported('not a Python pickle (official StyleGAN2 checkpoints are .pkl files)');
}

interface ImportPlan {
  config: ModelConfig;
  /** G_ema's tensors by weight name, shapes checked against the config, values not yet read. */
  tensors: Map<string, { shape: number[]; tensor: TorchTensor }>;
}

function planImport(root: PyValue, fileBytes: number, opts: ImportOptions): ImportPlan {
  const g = findGenerator(root);
  const kind = generatorKind(g);
  const raw = rawConfig(g, kind);
  const family =
    kind === 'stylegan3'
      ? `StyleGAN3 (config ${String(obj(raw.synthesis_kwargs).stylegan3_config).toUpperCase()})`
      : 'StyleGAN2';
  const config = normalizeModelConfig(
    { ...raw, draggan: opts.draggan ?? {}, alignment: opts.alignment },
    {
      name: opts.name ?? `Imported ${family} generator`,
      description: opts.description ?? `imported from an official ${family} checkpoint`,
      license: opts.license,
    },
  );
  // shapes first (bounded by the validated config), then their total size (bounded by the file's), then values
  const shaped = new Map([...moduleTensors(g)].map(([name, t]) => [name, { shape: t.size, tensor: t }]));
  const tensors = checkWeights(config, shaped);
  checkExpansion(
    [...tensors.values()].map((w) => w.tensor),
    fileBytes,
  );
  return { config, tensors };
}

function planTf(root: PyValue, opts: ImportOptions): TfWeightPlan {
  return planTfGenerator(tfGenerator(root), opts, {
    name: opts.name ?? 'Imported StyleGAN2 generator',
    description:
      opts.description ??
      'imported from a TensorFlow-era StyleGAN2 checkpoint (converted by the rules of the official legacy.py)',
    license: opts.license,
  });
}

/** A whole .pkl in memory. */
export function importCheckpoint(bytes: Uint8Array, opts: ImportOptions = {}): ModelPackage {
  checkFileStart(bytes, bytes.length);
  const root = unpickle(bytes, checkpointSemantics(bytes.length)).value;
  const weights = new Map<string, HostTensor>();
  if (isTfPickle(root)) {
    const { config, weights: plan } = planTf(root, opts);
    for (const [name, { shape, value, layout }] of plan) {
      const data = typeof value === 'number' ? null : value.data;
      weights.set(name, convertTfWeight(shape, value, layout, data instanceof Uint8Array ? data : null));
    }
    refuseNonFiniteWeights(weights, "the checkpoint's Gs");
    return { config, weights };
  }
  const { config, tensors } = planImport(root, bytes.length, opts);
  for (const [name, { shape, tensor }] of tensors) weights.set(name, hostTensor(shape, tensorValues(tensor)));
  refuseNonFiniteWeights(weights, "the checkpoint's G_ema");
  return { config, weights };
}

/**
 * A .pkl read a window at a time: the other networks' tensor data (D, G) is skipped unread, and G_ema's storages (or
 * Gs's arrays) are read one by one as their values are taken, so the file is never held whole (docs/photoshop.md,
 * finding 14).
 */
export async function importCheckpointFrom(
  source: ByteSource,
  opts: ImportOptions = {},
  limits: StreamLimits = STREAM_LIMITS,
): Promise<ModelPackage> {
  checkFileStart(await source.read(0, Math.min(4, source.length)), source.length);
  const sem = checkpointSemantics(source.length);
  const root = (await streamedUnpickle(source, sem, limits)).value;
  const weights = new Map<string, HostTensor>();
  if (isTfPickle(root)) {
    const { config, weights: plan } = planTf(root, opts);
    for (const [name, { shape, value, layout }] of plan) {
      const data = typeof value === 'number' ? null : value.data;
      const bytes = isKind(data, 'fileBytes') ? await source.read(data.offset, data.length) : data;
      weights.set(name, convertTfWeight(shape, value, layout, bytes));
    }
    refuseNonFiniteWeights(weights, "the checkpoint's Gs");
    return { config, weights };
  }
  const { config, tensors } = planImport(root, source.length, opts);
  const storages = new DeferredStorages(
    source,
    sem,
    [...tensors.values()].map((w) => w.tensor),
  );
  for (const [name, { shape, tensor }] of tensors) weights.set(name, hostTensor(shape, await storages.values(tensor)));
  refuseNonFiniteWeights(weights, "the checkpoint's G_ema");
  return { config, weights };
}
