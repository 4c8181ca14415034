import type { GraphBuilder } from '../../graph/builder';
import type { Value } from '../../graph/ir';
import { fullyConnected } from '../layers';
import type { WeightEmitter } from '../weights';
import { filteredLrelu } from './filteredLrelu';
import type { Sg3Layer } from './geometry';

/**
 * Official StyleGAN3 SynthesisLayer. Its modulated convolution differs from StyleGAN2's: the weight is first
 * normalised per output channel (rsqrt of its mean square) and the styles by their mean square, and the input is
 * scaled by the layer's magnitude_ema^-1/2. Emitted in the non-fused form (scale the input channels by the styles,
 * convolve with the constant weight, scale the output channels), the same mathematics as the official fused form.
 * The convolution pads by kernel - 1 (a "full" convolution); filtered_lrelu then resamples to the output size.
 */
export function modulatedLayer(
  b: GraphBuilder,
  w: WeightEmitter,
  layer: Sg3Layer,
  x: Value,
  wRow: Value,
  convClamp: number | null,
): Value {
  const p = layer.prefix;
  const { inChannels: inC, outChannels: outC, kernel: k } = layer;
  const inputGain = 1 / Math.sqrt(w.tensor(`${p}.magnitude_ema`).data[0]);
  let styles = fullyConnected(b, w, `${p}.affine`, wRow, 1, 'linear'); // [1, in]
  let y: Value;
  if (layer.isToRgb) {
    styles = b.scale(styles, 1 / Math.sqrt(inC * k * k));
    y = b.scale(b.conv(b.mul(x, b.reshape(styles, [1, inC, 1, 1])), w.scaled(`${p}.weight`, 1)), inputGain);
  } else {
    styles = b.mul(styles, b.reciprocal(b.sqrt(b.reduceMean(b.mul(styles, styles), [0, 1], true))));
    const per = k * k * inC;
    // w * rsqrt(mean over (in, kh, kw) of w^2), per output channel
    const normalise = (d: Float32Array): Float32Array => {
      const out = new Float32Array(d.length);
      for (let o = 0; o < outC; o++) {
        let s = 0;
        for (let j = 0; j < per; j++) s += d[o * per + j] ** 2;
        const g = 1 / Math.sqrt(s / per);
        for (let j = 0; j < per; j++) out[o * per + j] = d[o * per + j] * g;
      }
      return out;
    };
    const emitNormalised = (v: Value): Value =>
      b.mul(v, b.reciprocal(b.sqrt(b.reduceMean(b.mul(v, v), [1, 2, 3], true))));
    const weight = w.derived(`${p}.weight`, 'sg3norm', [outC, inC, k, k], normalise, emitNormalised);
    // dcoefs[o] = rsqrt(sum_i s_i^2 sum_k w'[o, i, k]^2 + 1e-8)
    const sqsum = w.derived(
      `${p}.weight`,
      'sg3sqsumT',
      [inC, outC],
      (d) => {
        const n = normalise(d);
        const out = new Float32Array(inC * outC);
        for (let o = 0; o < outC; o++)
          for (let i = 0; i < inC; i++) {
            let s = 0;
            for (let j = 0; j < k * k; j++) s += n[(o * inC + i) * k * k + j] ** 2;
            out[i * outC + o] = s;
          }
        return out;
      },
      (v) => {
        const n = emitNormalised(v);
        return b.transpose(b.reduceSum(b.mul(n, n), [2, 3]), [1, 0]);
      },
    );
    const dcoefs = b.reciprocal(b.sqrt(b.add(b.matmul(b.mul(styles, styles), sqsum), b.scalar(1e-8)))); // [1, out]
    const pad = k - 1;
    y = b.conv(b.mul(x, b.reshape(styles, [1, inC, 1, 1])), weight, { pads: [pad, pad, pad, pad] });
    y = b.mul(y, b.reshape(b.scale(dcoefs, inputGain), [1, outC, 1, 1]));
  }
  const filter = (name: string): Float32Array | undefined => {
    const t = w.has(`${p}.${name}`) ? w.tensor(`${p}.${name}`) : undefined;
    return t ? t.data : undefined;
  };
  return filteredLrelu(
    b,
    y,
    w.scaled(`${p}.bias`, 1, [1, outC, 1, 1]),
    layer,
    { up: filter('up_filter'), down: filter('down_filter') },
    convClamp,
  );
}
