import type { GraphBuilder } from '../../graph/builder';
import type { Value } from '../../graph/ir';
import { stylegan3PlanOf, type GeneratorConfig } from '../config';
import type { SynthesisOutputs } from '../synthesis';
import type { WeightEmitter } from '../weights';
import { fourierInput } from './fourierInput';
import { modulatedLayer } from './modulatedLayer';

/**
 * Official StyleGAN3 SynthesisNetwork: the Fourier-feature input (W+ row 0), then layers L0 .. L_num_layers (rows
 * 1 ..), the last one the ToRGB, the image scaled by output_scale. `features` are the layers' outputs, as the
 * official DragGAN's networks_stylegan3.py returns them. `lastLayer` truncates (the features graph stops at
 * feature_idx) and `withImage: false` stops before the ToRGB.
 */
export function emitStyleGan3Synthesis(
  b: GraphBuilder,
  w: WeightEmitter,
  cfg: GeneratorConfig,
  wsRow: (i: number) => Value,
  opts: { lastLayer?: number; withImage?: boolean } = {},
): SynthesisOutputs {
  const plan = stylegan3PlanOf(cfg);
  const n = plan.layers.length;
  const withImage = opts.withImage ?? true;
  const last = withImage ? n - 1 : (opts.lastLayer ?? n - 1);
  const features: Value[] = [];
  let x = fourierInput(b, w, plan.input, wsRow(0));
  for (let i = 0; i <= last; i++) {
    x = modulatedLayer(b, w, plan.layers[i], x, wsRow(i + 1), cfg.synthesis_kwargs.conv_clamp);
    features.push(x);
  }
  const scale = cfg.synthesis_kwargs.output_scale ?? 0.25;
  return { img: withImage ? b.scale(x, scale) : undefined, features };
}
