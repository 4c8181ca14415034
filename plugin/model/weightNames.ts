/**
 * The parameters and buffers of the official StyleGAN2 Generator (training/networks_stylegan2.py) or StyleGAN3
 * Generator (networks_stylegan3.py), under their PyTorch state_dict names, with shapes derived from the init kwargs.
 */
import {
  GeneratorConfig,
  blockResolutions,
  channelsAt,
  isStyleGan3,
  stylegan3PlanOf,
  widthAt,
} from '../stylegan2/config';

export type WeightShapes = Map<string, number[]>;

function fc(out: WeightShapes, prefix: string, inFeatures: number, outFeatures: number): void {
  out.set(`${prefix}.weight`, [outFeatures, inFeatures]);
  out.set(`${prefix}.bias`, [outFeatures]);
}

function synthesisLayer(
  out: WeightShapes,
  prefix: string,
  cfg: GeneratorConfig,
  cin: number,
  cout: number,
  res: number,
): void {
  fc(out, `${prefix}.affine`, cfg.w_dim, cin);
  out.set(`${prefix}.weight`, [cout, cin, 3, 3]);
  out.set(`${prefix}.bias`, [cout]);
  if (cfg.synthesis_kwargs.use_noise !== false) {
    out.set(`${prefix}.noise_const`, [res, widthAt(cfg, res)]);
    out.set(`${prefix}.noise_strength`, []);
  }
}

/** StyleGAN3's synthesis: the Fourier input and each layer with its own low-pass filters (absent where identity). */
function stylegan3Synthesis(out: WeightShapes, cfg: GeneratorConfig): void {
  const plan = stylegan3PlanOf(cfg);
  const c0 = plan.input.channels;
  out.set('synthesis.input.weight', [c0, c0]);
  fc(out, 'synthesis.input.affine', cfg.w_dim, 4);
  out.set('synthesis.input.transform', [3, 3]);
  out.set('synthesis.input.freqs', [c0, 2]);
  out.set('synthesis.input.phases', [c0]);
  for (const l of plan.layers) {
    fc(out, `${l.prefix}.affine`, cfg.w_dim, l.inChannels);
    out.set(`${l.prefix}.weight`, [l.outChannels, l.inChannels, l.kernel, l.kernel]);
    out.set(`${l.prefix}.bias`, [l.outChannels]);
    out.set(`${l.prefix}.magnitude_ema`, []);
    if (l.upTaps > 1) out.set(`${l.prefix}.up_filter`, [l.upTaps]);
    if (l.downTaps > 1) out.set(`${l.prefix}.down_filter`, l.downRadial ? [l.downTaps, l.downTaps] : [l.downTaps]);
  }
}

/** Required weights; for the 'skip' architecture the resample_filter buffers are not listed (see isOptionalWeight). */
export function expectedWeights(cfg: GeneratorConfig): WeightShapes {
  const out: WeightShapes = new Map();
  const m = cfg.mapping_kwargs;
  const layerFeatures = m.layer_features ?? cfg.w_dim;
  const embedFeatures = cfg.c_dim > 0 ? (m.embed_features ?? cfg.w_dim) : 0;
  if (cfg.c_dim > 0) fc(out, 'mapping.embed', cfg.c_dim, embedFeatures);
  for (let i = 0; i < m.num_layers; i++) {
    const fin = i === 0 ? cfg.z_dim + embedFeatures : layerFeatures;
    const fout = i === m.num_layers - 1 ? cfg.w_dim : layerFeatures;
    fc(out, `mapping.fc${i}`, fin, fout);
  }
  if (m.w_avg_beta !== null) out.set('mapping.w_avg', [cfg.w_dim]);
  if (isStyleGan3(cfg)) {
    stylegan3Synthesis(out, cfg);
    return out;
  }
  for (const res of blockResolutions(cfg)) {
    const b = `synthesis.b${res}`;
    const cout = channelsAt(cfg, res);
    if (res === 4) {
      out.set(`${b}.const`, [cout, 4, widthAt(cfg, 4)]);
    } else {
      synthesisLayer(out, `${b}.conv0`, cfg, channelsAt(cfg, res / 2), cout, res);
    }
    synthesisLayer(out, `${b}.conv1`, cfg, cout, cout, res);
    fc(out, `${b}.torgb.affine`, cfg.w_dim, cout);
    out.set(`${b}.torgb.weight`, [cfg.img_channels, cout, 1, 1]);
    out.set(`${b}.torgb.bias`, [cfg.img_channels]);
  }
  return out;
}

/** The FIR filter buffers the official modules register; our graphs rebuild them, so they may be absent. */
export function isOptionalWeight(name: string): boolean {
  return /^synthesis\.b\d+(\.conv[01])?\.resample_filter$/.test(name);
}
