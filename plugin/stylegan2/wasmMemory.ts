/**
 * What a drag on the wasm engine holds at its peak, estimated from the generator's shape alone (before any weight is
 * read), so a host with a memory ceiling can refuse a model it cannot run rather than freeze on it.
 *
 * peak = runtime + weights x copies + feature maps x copies:
 * - the weights are held by the model package and again as initializers by each graph onnxruntime keeps (synthesis,
 *   truncated features, their gradient): 4 copies;
 * - the feature maps (every block's channels x resolution^2) are held by the forward pass, kept for the backward one,
 *   and met again as gradients, two convolutions per block: 6 copies.
 * The copies are set so that the FFHQ 512 px shape comes to about 1.3 GB, the low end of what the in-panel engine
 * was seen to hold on it (1.3-2.0 GB resident, issue 21); other sizes are not measured, so this is an estimate.
 */
import { blockResolutions, channelsAt, isStyleGan3, stylegan3PlanOf, widthAt, type GeneratorConfig } from './config';

const FLOAT = 4;
/** onnxruntime-web's wasm heap, the JS engine and the panel before a model is loaded. */
const RUNTIME_BYTES = 100e6;
const WEIGHT_COPIES = 4;
const FEATURE_COPIES = 6;

/** The generator's parameters (mapping and synthesis), as the official networks declare them. */
export function parameterCount(cfg: GeneratorConfig): number {
  const w = cfg.w_dim;
  const features = cfg.mapping_kwargs.layer_features ?? w;
  let n = 0;
  // mapping: z (and the embedded class) in, num_layers fully connected layers, w out
  const dims = [
    cfg.z_dim + (cfg.c_dim ? (cfg.mapping_kwargs.embed_features ?? w) : 0),
    ...new Array<number>(cfg.mapping_kwargs.num_layers - 1).fill(features),
    w,
  ];
  for (let i = 1; i < dims.length; i++) n += dims[i - 1] * dims[i] + dims[i];
  if (cfg.c_dim) n += cfg.c_dim * (cfg.mapping_kwargs.embed_features ?? w);
  if (isStyleGan3(cfg)) {
    const plan = stylegan3PlanOf(cfg);
    const c0 = plan.input.channels;
    n += c0 * c0 + w * 4 + 4;
    for (const l of plan.layers)
      n += w * l.inChannels + l.inChannels + l.outChannels * l.inChannels * l.kernel ** 2 + l.outChannels;
    return n;
  }
  // synthesis: per block two modulated 3x3 convolutions (the first at 4 px follows the constant) and a ToRGB
  let cIn = channelsAt(cfg, 4);
  for (const r of blockResolutions(cfg)) {
    const c = channelsAt(cfg, r);
    if (r === 4) n += c * 4 * widthAt(cfg, 4);
    else n += w * cIn + cIn + c * cIn * 9 + c;
    n += w * c + c + c * c * 9 + c;
    n += w * c + c + cfg.img_channels * c + cfg.img_channels;
    cIn = c;
  }
  return n;
}

/** The estimated peak of a drag (and of the previews around it) on the wasm engine, in bytes. */
export function estimateWasmPeakBytes(cfg: GeneratorConfig): number {
  // StyleGAN3: each layer's output map (margins included); its up-sampled leaky ReLU stage is transient. Counted so,
  // a random-weight StyleGAN3-T 256 px (draggan bench --shape sg3t256 --backend wasm) comes to 1.80 GB against the
  // 1.82 GB peak resident it was measured at; counting the up-sampled stage instead gave 5.8 GB
  const features = isStyleGan3(cfg)
    ? stylegan3PlanOf(cfg).layers.reduce((sum, l) => sum + l.outChannels * l.outSize ** 2, 0)
    : blockResolutions(cfg).reduce((sum, r) => sum + channelsAt(cfg, r) * r * widthAt(cfg, r), 0);
  return RUNTIME_BYTES + WEIGHT_COPIES * FLOAT * parameterCount(cfg) + FEATURE_COPIES * FLOAT * features;
}
