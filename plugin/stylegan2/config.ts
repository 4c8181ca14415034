import type { DragDefaults } from '../core/dragSettings';
import { editModelFor, type EditModel } from '../core/editState';
import type { FaceAlignment, FaceModelKind } from '../core/types';
import { STYLEGAN3_DEFAULTS, stylegan3Plan, type Sg3Plan, type StyleGan3Kwargs } from './stylegan3/geometry';

/**
 * The official StyleGAN2 generator's init kwargs (as stored in a checkpoint's G_ema.init_kwargs)
 * plus the DragGAN defaults the model package carries.
 */
export interface MappingKwargs {
  num_layers: number;
  lr_multiplier: number;
  /** Official default: 0.998; null = no w_avg buffer (truncation impossible). */
  w_avg_beta?: number | null;
  layer_features?: number | null;
  embed_features?: number | null;
  activation?: 'lrelu' | 'linear';
}

/**
 * The official synthesis kwargs. `architecture` 'stylegan3' marks an alias-free generator (NVlabs/stylegan3
 * networks_stylegan3.py), whose own kwargs (num_layers, conv_kernel, ...) sit beside these, flat, as in the
 * official init kwargs; `stylegan3_config` names its official config ('t' translation, 'r' rotation equivariant).
 */
export interface SynthesisKwargs extends Partial<StyleGan3Kwargs> {
  channel_base: number;
  channel_max: number;
  /** Clamp for conv outputs; null = no clamp. */
  conv_clamp: number | null;
  architecture: 'skip' | 'stylegan3';
  stylegan3_config?: 't' | 'r';
  num_fp16_res?: number;
  resample_filter?: number[];
  use_noise?: boolean;
}

export interface GeneratorConfig {
  z_dim: number;
  c_dim: number;
  w_dim: number;
  /** The image's height; also its width unless `square` is false. */
  img_resolution: number;
  /**
   * StyleGAN-Human's Generator kwarg (stylegan-human/StyleGAN-Human training_scripts/sg2/training/networks.py):
   * false = every map, from the [C, 4, 2] constant to the image, is half as wide as tall. Absent = square.
   */
  square?: boolean;
  img_channels: number;
  mapping_kwargs: MappingKwargs;
  synthesis_kwargs: SynthesisKwargs;
}

export interface ModelConfig extends GeneratorConfig {
  name: string;
  description: string;
  license: string;
  /** What the model draws, in a few words (model.json `domain`, e.g. "cartoon faces, 128 px demo"); '' when unsaid. */
  domain: string;
  /** How photos are framed for this model (model.json `alignment`, default 'none': the centred square crop). */
  alignment: FaceAlignment;
  /** Which face finder reads its faces (model.json `face_model`, default 'photo'). */
  face_model: FaceModelKind;
  draggan: DragDefaults;
}

export function isStyleGan3(cfg: GeneratorConfig): boolean {
  return cfg.synthesis_kwargs.architecture === 'stylegan3';
}

/** A StyleGAN3 generator's layer plan (sizes, channels, up/down factors), its kwargs' defaults filled in. */
export function stylegan3PlanOf(cfg: GeneratorConfig): Sg3Plan {
  const sk = cfg.synthesis_kwargs;
  if (sk.architecture !== 'stylegan3') throw new Error('not a StyleGAN3 generator');
  const k: StyleGan3Kwargs = { ...STYLEGAN3_DEFAULTS };
  for (const key of Object.keys(STYLEGAN3_DEFAULTS) as (keyof StyleGan3Kwargs)[]) {
    if (sk[key] !== undefined) (k as unknown as Record<string, unknown>)[key] = sk[key];
  }
  return stylegan3Plan(k, sk.channel_base, sk.channel_max, cfg.img_resolution, cfg.img_channels);
}

/**
 * The feature maps DragGAN can use: StyleGAN2's block outputs (4 .. img_resolution px), or every StyleGAN3 layer's
 * output (the official DragGAN's networks_stylegan3.py returns them; margins included, so sizes are not powers of 2).
 */
export function featureShapes(cfg: GeneratorConfig): { channels: number; height: number; width: number }[] {
  if (isStyleGan3(cfg))
    return stylegan3PlanOf(cfg).layers.map((l) => ({ channels: l.outChannels, height: l.outSize, width: l.outSize }));
  return blockResolutions(cfg).map((r) => ({ channels: channelsAt(cfg, r), height: r, width: widthAt(cfg, r) }));
}

/** The width of a StyleGAN2 map `res` px tall: half of it in a rectangular (square = false) generator. */
export function widthAt(cfg: GeneratorConfig, res: number): number {
  return cfg.square === false ? res / 2 : res;
}

/** The generated image's size in pixels. */
export function imageSize(cfg: GeneratorConfig): { width: number; height: number } {
  return { width: widthAt(cfg, cfg.img_resolution), height: cfg.img_resolution };
}

/** The model facts the edit state checks against: rows, sizes, and its feature maps (StyleGAN3: its layers). */
export function editModelOfConfig(cfg: GeneratorConfig): EditModel {
  return editModelFor({
    numWs: numWs(cfg),
    wDim: cfg.w_dim,
    resolution: cfg.img_resolution,
    width: imageSize(cfg).width,
    numBlocks: featureShapes(cfg).length,
  });
}

/** Block resolutions 4, 8, ..., img_resolution. */
export function blockResolutions(cfg: GeneratorConfig): number[] {
  const out: number[] = [];
  for (let r = 4; r <= cfg.img_resolution; r *= 2) out.push(r);
  return out;
}

export function channelsAt(cfg: GeneratorConfig, res: number): number {
  return Math.min(Math.floor(cfg.synthesis_kwargs.channel_base / res), cfg.synthesis_kwargs.channel_max);
}

/** num_ws = 2 * log2(res) - 2 for the skip architecture; StyleGAN3: the input, each layer and the ToRGB. */
export function numWs(cfg: GeneratorConfig): number {
  if (isStyleGan3(cfg)) return (cfg.synthesis_kwargs.num_layers ?? STYLEGAN3_DEFAULTS.num_layers) + 2;
  return 2 * Math.log2(cfg.img_resolution) - 2;
}
