import type { HostTensor } from '../graph/tensor';
import { numel } from '../graph/tensor';
import { DRAG_DEFAULTS } from '../core/defaults';
import { isStyleGan3, stylegan3PlanOf, type ModelConfig } from '../stylegan2/config';
import { designLowpassFilter } from '../stylegan2/stylegan3/lowpassFilter';
import { expectedWeights } from './weightNames';

/** The official FFHQ-512 architecture (channel_base 32768, channel_max 512, 8 mapping layers) at any resolution. */
export function ffhqShapeConfig(resolution: number): ModelConfig {
  return {
    name: `random-ffhq-shape-${resolution}`,
    description: 'Random weights in the shape of the official FFHQ generator, for benchmarks',
    license: 'MIT',
    z_dim: 512,
    c_dim: 0,
    w_dim: 512,
    img_resolution: resolution,
    img_channels: 3,
    mapping_kwargs: { num_layers: 8, lr_multiplier: 0.01, w_avg_beta: 0.998 },
    synthesis_kwargs: { channel_base: 32768, channel_max: 512, conv_clamp: 256, architecture: 'skip', num_fp16_res: 4 },
    // the shape of the official FFHQ generator, so photos are framed as FFHQ's were
    domain: 'noise (random weights, for tests)',
    alignment: 'ffhq',
    face_model: 'photo',
    draggan: { ...DRAG_DEFAULTS.model, lr: 0.002 },
  };
}

/**
 * The published StyleGAN3 generators' shapes (NVlabs/stylegan3 train.py: config T channel_base 32768, channel_max
 * 512, 2 mapping layers, conv_clamp 256; config R doubles both, 1x1 convolutions, radial filters; docs/configs.md
 * trains FFHQ-U 256 px at half the channel_base): AFHQv2 512, FFHQ-U 256 and 1024, MetFaces-U 1024.
 */
export function stylegan3ShapeConfig(resolution: number, config: 't' | 'r'): ModelConfig {
  const base = (resolution <= 256 ? 16384 : 32768) * (config === 'r' ? 2 : 1);
  return {
    ...ffhqShapeConfig(resolution),
    name: `random-stylegan3-${config}-shape-${resolution}`,
    description: `Random weights in the shape of the official StyleGAN3-${config.toUpperCase()} generators, for benchmarks`,
    mapping_kwargs: { num_layers: 2, lr_multiplier: 0.01, w_avg_beta: 0.998 },
    synthesis_kwargs: {
      channel_base: base,
      channel_max: config === 'r' ? 1024 : 512,
      conv_clamp: 256,
      architecture: 'stylegan3',
      stylegan3_config: config,
      conv_kernel: config === 'r' ? 1 : 3,
      use_radial_filters: config === 'r',
    },
  };
}

/** StyleGAN3's buffers as the official constructor makes them: designed filters, identity transform, Fourier bands. */
function stylegan3Buffers(cfg: ModelConfig, uniform: () => number, normal: () => number): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  const plan = stylegan3PlanOf(cfg);
  const c0 = plan.input.channels;
  out.set('synthesis.input.transform', { shape: [3, 3], data: Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) });
  // SynthesisInput: random directions, radii drawn with a falloff, scaled to the input's bandwidth
  const freqs = new Float32Array(c0 * 2);
  for (let c = 0; c < c0; c++) {
    const [x, y] = [normal(), normal()];
    const r = Math.hypot(x, y);
    const scale = plan.input.bandwidth / (r * Math.exp(r * r) ** 0.25);
    freqs.set([x * scale, y * scale], c * 2);
  }
  out.set('synthesis.input.freqs', { shape: [c0, 2], data: freqs });
  out.set('synthesis.input.phases', { shape: [c0], data: Float32Array.from({ length: c0 }, () => uniform() - 0.5) });
  for (const l of plan.layers) {
    out.set(`${l.prefix}.magnitude_ema`, { shape: [], data: Float32Array.of(1) });
    if (l.upTaps > 1)
      out.set(`${l.prefix}.up_filter`, {
        shape: [l.upTaps],
        data: designLowpassFilter(l.upTaps, l.upCutoff, l.upWidth, l.tmpRate, false),
      });
    if (l.downTaps > 1)
      out.set(`${l.prefix}.down_filter`, {
        shape: l.downRadial ? [l.downTaps, l.downTaps] : [l.downTaps],
        data: designLowpassFilter(l.downTaps, l.downCutoff, l.downWidth, l.tmpRate, l.downRadial),
      });
  }
  return out;
}

/**
 * Seeded random weights with the official initialisation's scales (unit-normal weights, affine biases at 1) and
 * non-zero noise strengths, so every path of the network is exercised. For benchmarks and tests, not images.
 */
export function randomWeights(cfg: ModelConfig, seed: number): Map<string, HostTensor> {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const out = isStyleGan3(cfg) ? stylegan3Buffers(cfg, uniform, normal) : new Map<string, HostTensor>();
  for (const [name, shape] of expectedWeights(cfg)) {
    if (out.has(name)) continue;
    const data = new Float32Array(numel(shape));
    const fill = name.endsWith('affine.bias')
      ? () => 1
      : name.endsWith('noise_strength')
        ? () => 0.1 * uniform()
        : name.endsWith('bias')
          ? () => 0.1 * normal()
          : normal;
    const lrMul = name.startsWith('mapping.fc') && name.endsWith('weight') ? 1 / cfg.mapping_kwargs.lr_multiplier : 1;
    for (let i = 0; i < data.length; i++) data[i] = fill() * lrMul;
    out.set(name, { shape, data });
  }
  return out;
}
