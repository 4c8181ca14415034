import type { GraphBuilder } from '../graph/builder';
import type { Pads4, Value } from '../graph/ir';
import type { HostTensor } from '../graph/tensor';
import { hwioToOihw } from '../graph/hwioToOihw';
import { weight, type WeightMap } from './tfjsWeights';

/**
 * TensorFlow layers as ONNX ops in our IR: tfjs keeps filters HWIO (depthwise: H, W, C, multiplier) and data NHWC;
 * the graphs run NCHW with OIHW weights, so every filter is transposed once here, on the host.
 */

/** Depthwise [H, W, C, 1] -> a grouped-convolution weight [C, 1, H, W]. */
function depthwiseToGrouped(t: HostTensor): HostTensor {
  const [kh, kw, c, m] = t.shape;
  if (m !== 1) throw new Error(`depthwise multiplier ${m} is not supported`);
  const oihw = hwioToOihw({ shape: [kh, kw, 1, c], data: t.data });
  return { shape: [c, 1, kh, kw], data: oihw.data };
}

/**
 * TensorFlow's 'same' padding for one axis: the total is what the stride needs to cover the input, and the odd cell
 * goes after (bottom / right), unlike a symmetric pad.
 */
function samePad(size: number, k: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function samePads(x: Value, k: number, stride: number): Pads4 {
  const [t, b] = samePad(x.shape[2], k, stride);
  const [l, r] = samePad(x.shape[3], k, stride);
  return [t, l, b, r];
}

export type Padding = 'same' | 'valid' | 'pad1';

function padsFor(x: Value, k: number, stride: number, padding: Padding): Pads4 {
  if (padding === 'same') return samePads(x, k, stride);
  // 'pad1': an explicit one-cell zero pad before a 'valid' convolution (tiny-YOLO's separable layers)
  return padding === 'pad1' ? [1, 1, 1, 1] : [0, 0, 0, 0];
}

function addBias(b: GraphBuilder, x: Value, bias: HostTensor, name: string): Value {
  return b.add(x, b.initializer({ shape: [1, bias.shape[0], 1, 1], data: bias.data }, `${name}/bias`));
}

export interface LayerContext {
  readonly b: GraphBuilder;
  readonly weights: WeightMap;
  /** Names the model in error messages. */
  readonly label: string;
}

/** `conv2d(x, prefix/filters) + prefix/bias`. */
export function conv2d(
  c: LayerContext,
  x: Value,
  prefix: string,
  k: number,
  cout: number,
  stride: number,
  padding: Padding,
): Value {
  const cin = x.shape[1];
  const w = hwioToOihw(weight(c.weights, c.label, `${prefix}/filters`, [k, k, cin, cout]));
  const y = c.b.conv(x, c.b.initializer(w, `${prefix}/filters`), {
    pads: padsFor(x, k, stride, padding),
    strides: [stride, stride],
  });
  return addBias(c.b, y, weight(c.weights, c.label, `${prefix}/bias`, [cout]), prefix);
}

/** tf.separableConv2d (3x3 depthwise, then 1x1 pointwise) + bias, as two ONNX convolutions. */
export function separableConv(
  c: LayerContext,
  x: Value,
  prefix: string,
  cout: number,
  stride: number,
  padding: Padding,
): Value {
  const cin = x.shape[1];
  const dw = depthwiseToGrouped(weight(c.weights, c.label, `${prefix}/depthwise_filter`, [3, 3, cin, 1]));
  const pw = hwioToOihw(weight(c.weights, c.label, `${prefix}/pointwise_filter`, [1, 1, cin, cout]));
  const d = c.b.conv(x, c.b.initializer(dw, `${prefix}/depthwise_filter`), {
    pads: padsFor(x, 3, stride, padding),
    strides: [stride, stride],
    group: cin,
  });
  const p = c.b.conv(d, c.b.initializer(pw, `${prefix}/pointwise_filter`));
  return addBias(c.b, p, weight(c.weights, c.label, `${prefix}/bias`, [cout]), prefix);
}

/** tf.maxPool with a 2x2 window and 'same' padding (padded cells never win, in TensorFlow and in ONNX). */
export function maxPoolSame(b: GraphBuilder, x: Value, stride: number): Value {
  return b.maxPool(x, [2, 2], [stride, stride], samePads(x, 2, stride));
}

/** (x - mean) / 255 per RGB channel, on an NCHW input holding 0..255 values. */
export function normalizeRgb(b: GraphBuilder, x: Value, mean: readonly [number, number, number]): Value {
  return b.div(b.sub(x, b.constant([1, 3, 1, 1], Float32Array.from(mean))), b.scalar(255));
}
