import type { GraphBuilder } from '../../graph/builder';
import type { Value } from '../../graph/ir';
import type { Sg3Layer } from './geometry';

/**
 * upfirdn2d's up-sampling as a transposed convolution: zero insertion, padding, then convolution with the filter
 * (the official op flips the filter and correlates: a true convolution, which is what ConvTranspose computes).
 * The padding's crops become ConvTranspose pads; its zero padding beyond the full output, an explicit Pad.
 */
function upsample(
  b: GraphBuilder,
  x: Value,
  f: Float32Array | undefined,
  up: number,
  pad: readonly [number, number, number, number],
): Value {
  const c = x.shape[1];
  const gain = up * up;
  const pass = (v: Value, axis: 2 | 3, taps: Float32Array, g: number): Value => {
    const k = taps.length;
    const kernel = new Float32Array(c * k);
    for (let i = 0; i < c; i++) for (let j = 0; j < k; j++) kernel[i * k + j] = taps[j] * g;
    const [p0, p1] = axis === 2 ? [pad[2], pad[3]] : [pad[0], pad[1]];
    // full ConvTranspose output has (n - 1) up + k samples; the official output starts k - 1 - p0 into it
    const c0 = k - 1 - p0;
    const c1 = k - up - p1;
    const shape = axis === 2 ? [c, 1, k, 1] : [c, 1, 1, k];
    const strides: [number, number] = axis === 2 ? [up, 1] : [1, up];
    const pads: [number, number, number, number] =
      axis === 2 ? [Math.max(c0, 0), 0, Math.max(c1, 0), 0] : [0, Math.max(c0, 0), 0, Math.max(c1, 0)];
    let y = b.convTranspose(v, b.constant(shape, kernel), { strides, pads, group: c });
    if (c0 < 0 || c1 < 0) {
      const p = [0, 0, 0, 0, 0, 0, 0, 0];
      p[axis] = Math.max(-c0, 0);
      p[4 + axis] = Math.max(-c1, 0);
      y = b.pad(y, p);
    }
    return y;
  };
  // no filter: upfirdn2d's default [[1]] (times the gain)
  const taps = f ?? new Float32Array([1]);
  const g = f ? up : gain;
  return pass(pass(x, 2, taps, g), 3, taps, f ? up : 1);
}

/** upfirdn2d's down-sampling: correlation with the flipped filter (1-D separable, or 2-D), keeping every down-th sample. */
function downsample(b: GraphBuilder, x: Value, f: Float32Array | undefined, radial: boolean, down: number): Value {
  const c = x.shape[1];
  if (!f)
    return down === 1
      ? x
      : b.conv(x, b.constant([c, 1, 1, 1], new Float32Array(c).fill(1)), { strides: [down, down], group: c });
  if (radial) {
    const k = Math.round(Math.sqrt(f.length));
    const kernel = new Float32Array(c * k * k);
    for (let i = 0; i < c; i++) for (let j = 0; j < k * k; j++) kernel[i * k * k + j] = f[k * k - 1 - j];
    return b.conv(x, b.constant([c, 1, k, k], kernel), { strides: [down, down], group: c });
  }
  const k = f.length;
  const kernel = new Float32Array(c * k);
  for (let i = 0; i < c; i++) for (let j = 0; j < k; j++) kernel[i * k + j] = f[k - 1 - j];
  const rows = b.conv(x, b.constant([c, 1, k, 1], kernel), { strides: [down, 1], group: c });
  return b.conv(rows, b.constant([c, 1, 1, k], kernel), { strides: [1, down], group: c });
}

/**
 * Official filtered_lrelu (as its reference implementation _filtered_lrelu_ref): add the bias, up-sample with the
 * layer's up filter and padding, leaky ReLU times gain, clamp, then down-sample with its down filter.
 */
export function filteredLrelu(
  b: GraphBuilder,
  x: Value,
  bias: Value,
  layer: Sg3Layer,
  filters: { up?: Float32Array; down?: Float32Array },
  clamp: number | null,
): Value {
  let y = b.add(x, bias);
  if (layer.up > 1 || layer.padding.some((p) => p !== 0)) y = upsample(b, y, filters.up, layer.up, layer.padding);
  // the ToRGB layer: slope 1 and gain 1 make the activation the identity
  if (!layer.isToRgb) y = b.scale(b.leakyRelu(y, 0.2), Math.SQRT2);
  if (clamp !== null && clamp >= 0) y = b.clip(y, -clamp, clamp);
  return downsample(b, y, filters.down, layer.downRadial, layer.down);
}
