import type { DragDefaults } from '../engine/core/dragSettings';
import type { FaceAlignment, FaceModelKind } from '../engine/core/types';

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

export interface SynthesisKwargs {
  channel_base: number;
  channel_max: number;
  /** Clamp for conv outputs; null = no clamp. */
  conv_clamp: number | null;
  architecture: 'skip';
  num_fp16_res?: number;
  resample_filter?: number[];
  use_noise?: boolean;
}

export interface GeneratorConfig {
  z_dim: number;
  c_dim: number;
  w_dim: number;
  img_resolution: number;
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

/** Block resolutions 4, 8, ..., img_resolution. */
export function blockResolutions(cfg: GeneratorConfig): number[] {
  const out: number[] = [];
  for (let r = 4; r <= cfg.img_resolution; r *= 2) out.push(r);
  return out;
}

export function channelsAt(cfg: GeneratorConfig, res: number): number {
  return Math.min(Math.floor(cfg.synthesis_kwargs.channel_base / res), cfg.synthesis_kwargs.channel_max);
}

/** num_ws = 2 * log2(res) - 2 for the skip architecture. */
export function numWs(cfg: GeneratorConfig): number {
  return 2 * Math.log2(cfg.img_resolution) - 2;
}
