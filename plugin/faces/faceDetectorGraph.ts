import { GraphBuilder } from '../graph/builder';
import type { Graph, Value } from '../graph/ir';
import { conv2d, maxPoolSame, normalizeRgb, separableConv, type LayerContext } from './tfjsLayers';
import type { WeightMap } from './tfjsWeights';

/**
 * face-api's TinyFaceDetector (a tiny-YOLOv2 with depthwise-separable convolutions), layer for layer as
 * TinyYolov2Base.runMobilenet runs it with the TinyFaceDetector config (isFirstLayerConv2d, no conv6/conv7):
 * conv0 3x3 'valid' + leaky, then five [2x2 max-pool, pad-1 separable conv + leaky] stages (the last pool has
 * stride 1), then conv8, a 1x1 convolution to 5 anchors x (x, y, w, h, score). Box decoding is tinyYoloDecode.ts.
 */
export const DETECTOR_MEAN_RGB = [117.001, 114.697, 97.404] as const;
/** Every 32 input pixels make one output cell. */
export const DETECTOR_STRIDE = 32;
const LABEL = 'tiny_face_detector_model';
const CHANNELS = [32, 64, 128, 256, 512];

/** tfjs's `leaky`: relu(x - 0.1 x) + 0.1 x, which is a leaky ReLU of slope 0.1. */
const leaky = (c: LayerContext, x: Value): Value => c.b.leakyRelu(x, 0.1);

/**
 * Input `image` [1, 3, size, size]: RGB 0..255, the picture letterboxed into the square (face-api pads the bottom
 * or right). Output `grid` [1, 25, size/32, size/32]: raw anchor predictions, channel = anchor * 5 + field.
 */
export function buildFaceDetectorGraph(weights: WeightMap, size: number): Graph {
  if (!Number.isInteger(size) || size % DETECTOR_STRIDE !== 0 || size < 64)
    throw new Error(`detector input size ${size} is not a multiple of 32 (>= 64)`);
  const b = new GraphBuilder();
  const c: LayerContext = { b, weights, label: LABEL };
  const image = b.input('image', [1, 3, size, size]);
  let x = leaky(c, conv2d(c, normalizeRgb(b, image, DETECTOR_MEAN_RGB), 'conv0', 3, 16, 1, 'valid'));
  CHANNELS.forEach((cout, i) => {
    x = maxPoolSame(b, x, 2);
    x = leaky(c, separableConv(c, x, `conv${i + 1}`, cout, 1, 'pad1'));
  });
  x = maxPoolSame(b, x, 1);
  const grid = conv2d(c, x, 'conv8', 1, 25, 1, 'valid');
  return b.build('tiny_face_detector', { grid });
}
