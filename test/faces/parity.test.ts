/**
 * Our graphs, converted from face-api's tfjs weights, against face-api's own networks run by its own tfjs (CPU
 * backend) on the same inputs: test/faces/faceapi_reference.json, written by models/face-api/make_reference.mjs.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildFaceDetectorGraph } from '../../plugin/faces/faceDetectorGraph';
import { readFaceWeights } from '../../plugin/faces/faceModels';
import { buildLandmarkGraph } from '../../plugin/faces/landmarkGraph';
import { toOnnx } from '../../plugin/graph/onnx';
import { decodeImage } from '../../plugin/hosts/node/imageDecode';
import { readFaceModelFiles } from '../../plugin/hosts/node/faceModelFiles';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';

interface Reference {
  source: string;
  detector: { shape: number[]; nhwc: number[] };
  landmarks: { origin: [number, number]; shape: number[]; values: number[] };
}
const ref = JSON.parse(readFileSync(join(__dirname, 'faceapi_reference.json'), 'utf8')) as Reference;
const photo = decodeImage(new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'photos', 'astronaut.jpg'))));
const px = (x: number, y: number, c: number): number => photo.data[(y * photo.width + x) * photo.channels + c];
const weights = readFaceWeights(readFaceModelFiles());

test("the detector graph gives face-api's raw tiny-YOLO grid", async () => {
  const size = 416;
  // the same input as the reference: the photo's top-left 416 x 416 pixels, NCHW here
  const input = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) input[(c * size + y) * size + x] = px(x, y, c);
  const session = await (
    await ortNodeCpu.create()
  ).createSession(toOnnx(buildFaceDetectorGraph(weights.detector, size)));
  const { grid } = await session.run({ image: { shape: [1, 3, size, size], data: input } });
  await session.release();
  const [, rows, cols, ch] = ref.detector.shape;
  expect(grid.shape).toEqual([1, ch, rows, cols]);
  let maxErr = 0;
  let maxRef = 0;
  for (let r = 0; r < rows; r++)
    for (let q = 0; q < cols; q++)
      for (let k = 0; k < ch; k++) {
        const want = ref.detector.nhwc[(r * cols + q) * ch + k];
        maxErr = Math.max(maxErr, Math.abs(grid.data[(k * rows + r) * cols + q] - want));
        maxRef = Math.max(maxRef, Math.abs(want));
      }
  console.log(
    `detector grid vs ${ref.source}: max |diff| ${maxErr.toExponential(2)} (max |value| ${maxRef.toFixed(2)})`,
  );
  expect(maxRef).toBeGreaterThan(1);
  expect(maxErr).toBeLessThan(1e-3);
});

test("the landmark graph gives face-api's 68 points", async () => {
  const n = 112;
  const [ox, oy] = ref.landmarks.origin;
  const input = new Float32Array(3 * n * n);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const [sx, sy] = [ox + 2 * x, oy + 2 * y];
        input[(c * n + y) * n + x] =
          (px(sx, sy, c) + px(sx + 1, sy, c) + px(sx, sy + 1, c) + px(sx + 1, sy + 1, c)) / 4;
      }
  const session = await (await ortNodeCpu.create()).createSession(toOnnx(buildLandmarkGraph(weights.landmarks)));
  const { landmarks } = await session.run({ image: { shape: [1, 3, n, n], data: input } });
  await session.release();
  expect(landmarks.shape).toEqual(ref.landmarks.shape);
  // in pixels of the 112 px crop
  const maxErr = Math.max(...ref.landmarks.values.map((v, i) => Math.abs(landmarks.data[i] - v) * n));
  console.log(`landmarks vs ${ref.source}: max |diff| ${maxErr.toExponential(2)} px of the 112 px crop`);
  expect(maxErr).toBeLessThan(1e-3);
});
