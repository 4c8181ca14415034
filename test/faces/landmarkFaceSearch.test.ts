/**
 * The bundled model's face search (plugin/faces/landmarkFaceSearch.ts) on its own faces set into larger pictures:
 * a small face (under a fifth of the short side, where the windows used to stop) is found, a face rolled beyond the
 * net's own range is found through the turned windows, progress goes from the first crops to the total, and a Stop
 * ends the search at once with no faces.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Image8 } from '../../plugin/codecs/image8';
import { onnxLandmarkDetector } from '../../plugin/eval/landmarkDetector';
import { applyAffine } from '../../plugin/faces/affine';
import { searchFaces, type CropLandmarkDetector, type FaceSearchProgress } from '../../plugin/faces/landmarkFaceSearch';
import { similarityScale } from '../../plugin/faces/similarityFit';
import { readLandmarkDetectorFiles } from '../../plugin/hosts/node/landmarkDetectorFiles';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import type { Point } from '../../plugin/core/types';
import { placeFace } from './placedFace';

const BUNDLED = join(__dirname, '..', '..', 'models', 'bundled');
let face: Image8;
let detector: CropLandmarkDetector & { release(): Promise<void> };
let meanFace: Point[];

beforeAll(async () => {
  const rt = await ortNodeCpu.create();
  const gen = new Generator(
    parseModelPackage(
      readFileSync(join(BUNDLED, 'model.json'), 'utf8'),
      new Uint8Array(readFileSync(join(BUNDLED, 'weights.safetensors'))),
    ),
    rt,
  );
  face = toRgba8((await gen.synthesize(await gen.mapping(zFromSeed(3, gen.config.z_dim), 0.7))).img);
  await gen.release();
  const files = readLandmarkDetectorFiles();
  detector = (await onnxLandmarkDetector(rt, files.onnx, files.card)) as typeof detector;
  meanFace = files.card.mean_face!.map(([x, y]) => ({ x, y }));
});

afterAll(() => detector.release());

/** The found face's framing centre and scale against where the face was put. */
async function findPlaced(width: number, height: number, degrees: number, scale: number, cx: number, cy: number) {
  const placed = placeFace(face, width, height, (degrees * Math.PI) / 180, scale, cx, cy);
  const faces = await searchFaces(detector, placed.picture, meanFace);
  const centre = (t: typeof placed.toPicture) => applyAffine(t, { x: 63.5, y: 63.5 });
  return { faces, want: centre(placed.toPicture), got: faces.map((f) => centre(f.toPicture)) };
}

test('a face an eighth of the picture across is found, at its place and size', async () => {
  // framing 0.45 x 128 = 58 px in a 420x340 picture: under the fifth of the short side (68 px) the windows stopped at
  const { faces, want, got } = await findPlaced(420, 340, 10, 0.45, 120, 250);
  expect(faces).toHaveLength(1);
  expect(Math.hypot(got[0].x - want.x, got[0].y - want.y)).toBeLessThan(3);
  expect(similarityScale(faces[0].toPicture)).toBeCloseTo(0.45, 1);
  expect(faces[0].confidence).toBeGreaterThan(0.5);
});

test('a face rolled by 45 degrees is found through the turned windows', async () => {
  const { faces, want, got } = await findPlaced(360, 300, 45, 1.5, 170, 150);
  expect(faces.length).toBeGreaterThanOrEqual(1);
  expect(Math.hypot(got[0].x - want.x, got[0].y - want.y)).toBeLessThan(4);
});

test('progress counts the crops up to the total, and a Stop ends the search with no faces', async () => {
  const { picture } = placeFace(face, 300, 240, 0, 1, 150, 120);
  const seen: FaceSearchProgress[] = [];
  const faces = await searchFaces(detector, picture, meanFace, { onProgress: (p) => seen.push(p) });
  expect(faces).toHaveLength(1);
  expect(seen.length).toBeGreaterThan(3);
  expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done)).toBe(true);
  expect(seen[seen.length - 1].done).toBe(seen[seen.length - 1].total);

  const stop = new AbortController();
  const stopped: FaceSearchProgress[] = [];
  const none = await searchFaces(detector, picture, meanFace, {
    signal: stop.signal,
    onProgress: (p) => {
      stopped.push(p);
      stop.abort();
    },
  });
  expect(none).toEqual([]);
  // stopped after the first batch of crops, far from the whole search
  expect(stopped).toHaveLength(1);
  expect(stopped[0].done).toBeLessThan(stopped[0].total / 4);
});
