import type { HostTensor } from '../graph/tensor';
import { numel } from '../graph/tensor';
import { DRAG_DEFAULTS } from '../core/defaults';
import type { ModelConfig } from '../stylegan2/config';
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
  const out = new Map<string, HostTensor>();
  for (const [name, shape] of expectedWeights(cfg)) {
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
