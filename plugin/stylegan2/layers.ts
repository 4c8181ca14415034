import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import { polyphaseUpConv } from './polyphaseUpConv';
import { timesScalar, type WeightEmitter } from './weights';

/**
 * The official StyleGAN2 layers as graph ops. Modulated convolutions use the non-fused form (scale the input
 * channels by the style, convolve with the fixed weight, scale the output by the demodulation coefficients): it is
 * the same mathematics as the fused form, and keeps the big weights constant so the runtime pre-packs them once.
 */
export const LRELU_SLOPE = 0.2;
export const LRELU_GAIN = Math.SQRT2;

/** upfirdn2d.setup_filter([1,3,3,1]): the outer product, normalised to sum 1. */
export function fir2d(taps: readonly number[], gain: number): Float32Array {
  const n = taps.length;
  const sum = taps.reduce((a, b) => a + b, 0) ** 2;
  const f = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) f[i * n + j] = ((taps[i] * taps[j]) / sum) * gain;
  return f;
}

/** Official FullyConnectedLayer: x @ (W * lr_mul / sqrt(in))^T + b * lr_mul, then the activation. */
export function fullyConnected(
  b: GraphBuilder,
  w: WeightEmitter,
  prefix: string,
  x: Value,
  lrMul: number,
  act: 'linear' | 'lrelu',
): Value {
  const inF = w.tensor(`${prefix}.weight`).shape[1];
  const weight = w.fcTransposed(`${prefix}.weight`, lrMul / Math.sqrt(inF));
  const bias = w.scaled(`${prefix}.bias`, lrMul);
  const y = b.add(b.matmul(x, weight), bias);
  return act === 'lrelu' ? b.scale(b.leakyRelu(y, LRELU_SLOPE), LRELU_GAIN) : y;
}

/** normalize_2nd_moment over the feature axis. */
export function normalize2ndMoment(b: GraphBuilder, x: Value): Value {
  const ms = b.reduceMean(b.mul(x, x), [1], true);
  return b.mul(x, b.reciprocal(b.sqrt(b.add(ms, b.scalar(1e-8)))));
}

/** bias_act: add the per-channel bias, activation, gain, then clamp to +-clamp. */
export function biasAct(b: GraphBuilder, x: Value, bias: Value, act: 'linear' | 'lrelu', clamp: number | null): Value {
  let y = b.add(x, bias);
  if (act === 'lrelu') y = b.scale(b.leakyRelu(y, LRELU_SLOPE), LRELU_GAIN);
  return clamp !== null && clamp >= 0 ? b.clip(y, -clamp, clamp) : y;
}

/**
 * Up-sampling by 2 with the FIR filter as a depthwise transposed convolution: the same as upfirdn2d.upsample2d
 * (zero insertion, padding (2, 1), filter times gain 4).
 */
export function upsample2d(b: GraphBuilder, x: Value, taps: readonly number[]): Value {
  const c = x.shape[1];
  const k = taps.length;
  const f = fir2d(taps, 4);
  const kernel = new Float32Array(c * k * k);
  for (let i = 0; i < c; i++) kernel.set(f, i * k * k);
  const p = (k - 2) / 2;
  return b.convTranspose(x, b.constant([c, 1, k, k], kernel), { strides: [2, 2], pads: [p, p, p, p], group: c });
}

/**
 * The up-sampling conv as onnxruntime's ConvTranspose or in polyphase form (polyphaseUpConv.ts), the same sums to
 * float rounding (images within ~5e-7 relative). The polyphase form's forward is cheaper (the CPU ConvTranspose goes
 * through col2im), but its input gradient is a 2x2 convolution over 4x the channels (16 products per input pixel and
 * channel pair, where the transposed form's gradient, a stride-2 convolution, has 9): in a graph with a backward pass
 * (an inversion step) it cost more than it saved. So graphs that differentiate, and the
 * features graph that gives their tracking references, keep the transposed form.
 */
export type UpsamplingForm = 'polyphase' | 'transposed';

export interface SynthesisLayerSpec {
  prefix: string;
  up: boolean;
  convClamp: number | null;
  taps: readonly number[];
  useNoise: boolean;
  /** The up-sampling conv's form (see UpsamplingForm). */
  upsampling: UpsamplingForm;
  /** Windowed synthesis: maps the whole-image noise to the same windows as the activations. */
  noiseWindow?: (noise: Value) => Value;
}

/** The up-sampling conv as a stride-2 ConvTranspose (its output has no extra rows). */
function transposedUpConv(b: GraphBuilder, w: WeightEmitter, name: string, x: Value): { y: Value; extra: number } {
  const [outC, inC, kh, kw] = w.tensor(name).shape;
  const wt = w.derived(
    name,
    'IOkk',
    [inC, outC, kh, kw],
    (d) => {
      // element copies, not a subarray view per kernel: the views cost more than the 9 floats they move
      const out = new Float32Array(d.length);
      const kk = kh * kw;
      let src = 0;
      for (let o = 0; o < outC; o++)
        for (let i = 0; i < inC; i++)
          for (let dst = (i * outC + o) * kk, end = src + kk; src < end; ) out[dst++] = d[src++];
      return out;
    },
    (v) => b.transpose(v, [1, 0, 2, 3]),
  );
  return { y: b.convTranspose(x, wt, { strides: [2, 2] }), extra: 0 };
}

/** Official SynthesisLayer (3x3 modulated conv with demodulation, noise, bias, lrelu, clamp). */
export function synthesisLayer(
  b: GraphBuilder,
  w: WeightEmitter,
  spec: SynthesisLayerSpec,
  x: Value,
  wRow: Value,
): Value {
  const p = spec.prefix;
  const [outC, inC, kh, kw] = w.tensor(`${p}.weight`).shape;
  const styles = fullyConnected(b, w, `${p}.affine`, wRow, 1, 'linear'); // [1, in]
  // Demodulation: d[o] = rsqrt(sum_i s_i^2 * sum_k W[o,i,k]^2 + 1e-8).
  const wsq = w.derived(
    `${p}.weight`,
    'sqsumT',
    [inC, outC],
    (d) => {
      // one pass over d in storage order (this runs once per model, on the first step's critical path)
      const out = new Float32Array(inC * outC);
      const kk = kh * kw;
      let src = 0;
      for (let o = 0; o < outC; o++)
        for (let i = 0, dst = o; i < inC; i++, dst += outC) {
          let s = 0;
          for (const end = src + kk; src < end; src++) s += d[src] * d[src];
          out[dst] = s;
        }
      return out;
    },
    (v) => b.transpose(b.reduceSum(b.mul(v, v), [2, 3]), [1, 0]),
  );
  const dcoefs = b.reciprocal(b.sqrt(b.add(b.matmul(b.mul(styles, styles), wsq), b.scalar(1e-8)))); // [1, out]

  let y = b.mul(x, b.reshape(styles, [1, inC, 1, 1]));
  if (spec.up) {
    // conv2d_resample with up=2: transposed conv (stride 2, weight as [in, out, k, k], not flipped) then the FIR
    // filter with padding 1 and gain 4 (in polyphase form, its zero rows after the transposed conv's stand for that
    // much of the far padding)
    const up =
      spec.upsampling === 'polyphase'
        ? polyphaseUpConv(b, w, `${p}.weight`, y)
        : transposedUpConv(b, w, `${p}.weight`, y);
    const k = spec.taps.length;
    const f = fir2d(spec.taps, 4);
    const kernel = new Float32Array(outC * k * k);
    for (let i = 0; i < outC; i++) kernel.set(f, i * k * k);
    const pad = (k - 2) / 2;
    const far = pad - up.extra;
    y = b.conv(up.y, b.constant([outC, 1, k, k], kernel), { pads: [pad, pad, far, far], group: outC });
  } else {
    y = b.conv(y, w.scaled(`${p}.weight`, 1), { pads: [1, 1, 1, 1] });
  }
  y = b.mul(y, b.reshape(dcoefs, [1, outC, 1, 1]));
  if (spec.useNoise) {
    const [nh, nw] = w.tensor(`${p}.noise_const`).shape;
    const strength = w.tensor(`${p}.noise_strength`).data[0];
    const noise = w.derived(
      `${p}.noise_const`,
      `x${strength}`,
      [1, 1, nh, nw],
      (d) => timesScalar(d, strength),
      (v) => b.reshape(b.mul(v, w.scaled(`${p}.noise_strength`, 1, [])), [1, 1, nh, nw]),
    );
    y = b.add(y, spec.noiseWindow ? spec.noiseWindow(noise) : noise);
  }
  return biasAct(b, y, w.scaled(`${p}.bias`, 1, [1, outC, 1, 1]), 'lrelu', spec.convClamp);
}

/** Official ToRGBLayer: 1x1 modulated conv without demodulation, styles scaled by 1/sqrt(in), bias, clamp. */
export function toRgb(
  b: GraphBuilder,
  w: WeightEmitter,
  prefix: string,
  x: Value,
  wRow: Value,
  convClamp: number | null,
): Value {
  const [outC, inC] = w.tensor(`${prefix}.weight`).shape;
  const styles = b.scale(fullyConnected(b, w, `${prefix}.affine`, wRow, 1, 'linear'), 1 / Math.sqrt(inC));
  const y = b.conv(b.mul(x, b.reshape(styles, [1, inC, 1, 1])), w.scaled(`${prefix}.weight`, 1));
  return biasAct(b, y, w.scaled(`${prefix}.bias`, 1, [1, outC, 1, 1]), 'linear', convClamp);
}
