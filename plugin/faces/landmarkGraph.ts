import { GraphBuilder } from '../graph/builder';
import type { Graph, Value } from '../graph/ir';
import { weight } from './tfjsWeights';
import { conv2d, normalizeRgb, separableConv, type LayerContext } from './tfjsLayers';
import type { WeightMap } from './tfjsWeights';

/**
 * face-api's FaceLandmark68Net: FaceFeatureExtractor (four dense blocks of 'same' separable convolutions, each
 * halving the resolution, 112 -> 7) then a 7x7 average pool and a fully connected layer to 68 (x, y) pairs, in
 * the order of face-api's FaceFeatureExtractor.forwardInput and FaceProcessor.runNet.
 */
export const LANDMARK_INPUT = 112;
export const LANDMARK_MEAN_RGB = [122.782, 117.001, 104.298] as const;
const LABEL = 'face_landmark_68_model';

/**
 * denseBlock4: out1 = relu(first conv, stride 2); each further separable conv reads the relu of the sum of all the
 * block's earlier outputs, and the block returns the relu of the sum of all four.
 */
function denseBlock(c: LayerContext, x: Value, prefix: string, cout: number, first: boolean): Value {
  const { b } = c;
  const out1 = b.relu(
    first
      ? conv2d(c, x, `${prefix}/conv0`, 3, cout, 2, 'same')
      : separableConv(c, x, `${prefix}/conv0`, cout, 2, 'same'),
  );
  const out2 = separableConv(c, out1, `${prefix}/conv1`, cout, 1, 'same');
  const out3 = separableConv(c, b.relu(b.add(out1, out2)), `${prefix}/conv2`, cout, 1, 'same');
  const out4 = separableConv(c, b.relu(b.add(out1, b.add(out2, out3))), `${prefix}/conv3`, cout, 1, 'same');
  return b.relu(b.add(out1, b.add(out2, b.add(out3, out4))));
}

/**
 * Input `image` [n, 3, 112, 112]: RGB 0..255 face crops. Output `landmarks` [n, 136]: x0, y0, x1, y1, ... as
 * fractions of the crop's side (face-api's raw output before postProcess maps it back to the image).
 */
export function buildLandmarkGraph(weights: WeightMap, batch = 1): Graph {
  const b = new GraphBuilder();
  const c: LayerContext = { b, weights, label: LABEL };
  const image = b.input('image', [batch, 3, LANDMARK_INPUT, LANDMARK_INPUT]);
  let x = normalizeRgb(b, image, LANDMARK_MEAN_RGB);
  [32, 64, 128, 256].forEach((cout, i) => {
    x = denseBlock(c, x, `dense${i}`, cout, i === 0);
  });
  // avgPool 7x7 stride 2 'valid' on the 7x7 map is the mean over it
  const pooled = b.reshape(b.reduceMean(x, [2, 3], false), [batch, 256]);
  const fcW = weight(weights, LABEL, 'fc/weights', [256, 136]);
  const fcB = weight(weights, LABEL, 'fc/bias', [136]);
  const landmarks = b.add(
    b.matmul(pooled, b.initializer(fcW, 'fc/weights')),
    b.initializer({ shape: [1, 136], data: fcB.data }, 'fc/bias'),
  );
  return b.build('face_landmark_68', { landmarks });
}
