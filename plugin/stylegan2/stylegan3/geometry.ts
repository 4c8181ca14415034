/**
 * The layer plan of the official StyleGAN3 SynthesisNetwork (Karras et al. 2021, "Alias-Free Generative
 * Adversarial Networks", NVlabs/stylegan3 training/networks_stylegan3.py): each layer's size, channels, sampling
 * rates and up/down factors follow from the init kwargs by a geometric progression of cutoffs and stopbands.
 * The low-pass filters themselves are the layers' own buffers (up_filter, down_filter) in the checkpoint.
 */

/** The official SynthesisNetwork / SynthesisLayer kwargs (as in G_ema.init_kwargs), with their defaults filled in. */
export interface StyleGan3Kwargs {
  num_layers: number;
  num_critical: number;
  first_cutoff: number;
  first_stopband: number;
  last_stopband_rel: number;
  margin_size: number;
  output_scale: number;
  conv_kernel: number;
  filter_size: number;
  lrelu_upsampling: number;
  use_radial_filters: boolean;
}

export const STYLEGAN3_DEFAULTS: StyleGan3Kwargs = {
  num_layers: 14,
  num_critical: 2,
  first_cutoff: 2,
  first_stopband: 2 ** 2.1,
  last_stopband_rel: 2 ** 0.3,
  margin_size: 10,
  output_scale: 0.25,
  conv_kernel: 3,
  filter_size: 6,
  lrelu_upsampling: 2,
  use_radial_filters: false,
};

export interface Sg3Layer {
  /** Official module name, e.g. `synthesis.L5_148_512`. */
  prefix: string;
  isToRgb: boolean;
  inChannels: number;
  outChannels: number;
  inSize: number;
  outSize: number;
  kernel: number;
  up: number;
  down: number;
  upTaps: number;
  downTaps: number;
  /** The down filter is 2-D (radially symmetric, config R's non-critical layers), else separable 1-D. */
  downRadial: boolean;
  /** [x0, x1, y0, y1] padding of the up-sampling stage (negative crops). */
  padding: [number, number, number, number];
  /** What its filters are designed from (SynthesisLayer.design_lowpass_filter): cutoffs, transition widths, rate. */
  upCutoff: number;
  upWidth: number;
  downCutoff: number;
  downWidth: number;
  tmpRate: number;
}

export interface Sg3Plan {
  /** The Fourier-feature input. */
  input: { channels: number; size: number; samplingRate: number; bandwidth: number };
  layers: Sg3Layer[];
}

/** numpy's rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function stylegan3Plan(
  k: StyleGan3Kwargs,
  channelBase: number,
  channelMax: number,
  res: number,
  imgChannels: number,
): Sg3Plan {
  const n = k.num_layers;
  const lastCutoff = res / 2;
  const lastStopband = lastCutoff * k.last_stopband_rel;
  const cutoffs: number[] = [];
  const stopbands: number[] = [];
  const rates: number[] = [];
  const halfWidths: number[] = [];
  const sizes: number[] = [];
  const channels: number[] = [];
  for (let i = 0; i <= n; i++) {
    const e = Math.min(i / (n - k.num_critical), 1);
    cutoffs.push(k.first_cutoff * (lastCutoff / k.first_cutoff) ** e);
    stopbands.push(k.first_stopband * (lastStopband / k.first_stopband) ** e);
    rates.push(2 ** Math.ceil(Math.log2(Math.min(stopbands[i] * 2, res))));
    halfWidths.push(Math.max(stopbands[i], rates[i] / 2) - cutoffs[i]);
    sizes.push(i >= n - 1 ? res : rates[i] + 2 * k.margin_size);
    channels.push(i === n ? imgChannels : rint(Math.min(channelBase / 2 / cutoffs[i], channelMax)));
  }
  const layers: Sg3Layer[] = [];
  for (let i = 0; i <= n; i++) {
    const prev = Math.max(i - 1, 0);
    const isToRgb = i === n;
    const kernel = isToRgb ? 1 : k.conv_kernel;
    const tmpRate = Math.max(rates[prev], rates[i]) * (isToRgb ? 1 : k.lrelu_upsampling);
    const up = Math.round(tmpRate / rates[prev]);
    const down = Math.round(tmpRate / rates[i]);
    const upTaps = up > 1 && !isToRgb ? k.filter_size * up : 1;
    const downTaps = down > 1 && !isToRgb ? k.filter_size * down : 1;
    const padTotal = (sizes[i] - 1) * down + 1 - (sizes[prev] + kernel - 1) * up + upTaps + downTaps - 2;
    const lo = Math.floor((padTotal + up) / 2);
    const hi = padTotal - lo;
    layers.push({
      prefix: `synthesis.L${i}_${sizes[i]}_${channels[i]}`,
      isToRgb,
      inChannels: channels[prev],
      outChannels: channels[i],
      inSize: sizes[prev],
      outSize: sizes[i],
      kernel,
      up,
      down,
      upTaps,
      downTaps,
      downRadial: k.use_radial_filters && i < n - k.num_critical && downTaps > 1,
      padding: [lo, hi, lo, hi],
      upCutoff: cutoffs[prev],
      upWidth: halfWidths[prev] * 2,
      downCutoff: cutoffs[i],
      downWidth: halfWidths[i] * 2,
      tmpRate,
    });
  }
  return { input: { channels: channels[0], size: sizes[0], samplingRate: rates[0], bandwidth: cutoffs[0] }, layers };
}
