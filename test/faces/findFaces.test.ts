/**
 * The photo face finder on a real photo (test/fixtures/photos/astronaut.jpg, hand-marked in photoFixture.ts): eye
 * centres (mean of landmarks 36-41 and 42-47) and mouth corners (48, 54) within 10% of the inter-ocular distance of
 * the marks, upright and turned by 20 degrees at twice the size inside a larger canvas; nothing on pictures with
 * no face.
 */
import type { Point } from '../../plugin/core/types';
import { FaceInputError } from '../../plugin/core/errors';
import { FaceFinder, findFaces, type Face } from '../../plugin/faces/faceFinder';
import { eyeCentres } from '../../plugin/faces/landmarkFrame';
import { readFaceModelFiles } from '../../plugin/hosts/node/faceModelFiles';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { loadAstronaut, MARKS, transformPhoto } from './photoFixture';

const photo = loadAstronaut();
let finder: FaceFinder;
beforeAll(async () => {
  finder = await FaceFinder.create(await ortNodeCpu.create(), readFaceModelFiles());
});
afterAll(() => finder.release());

/** Each marked point's distance from the finder's, as a fraction of the marked inter-ocular distance. */
function errors(face: Face, map: (p: Point) => Point = (p) => p): Record<keyof typeof MARKS, number> {
  const m = {
    leftEye: map(MARKS.leftEye),
    rightEye: map(MARKS.rightEye),
    mouthLeft: map(MARKS.mouthLeft),
    mouthRight: map(MARKS.mouthRight),
  };
  const iod = Math.hypot(m.rightEye.x - m.leftEye.x, m.rightEye.y - m.leftEye.y);
  const [leftEye, rightEye] = eyeCentres(face.landmarks);
  const d = (p: Point, q: Point): number => Math.hypot(p.x - q.x, p.y - q.y) / iod;
  return {
    leftEye: d(leftEye, m.leftEye),
    rightEye: d(rightEye, m.rightEye),
    mouthLeft: d(face.landmarks[48], m.mouthLeft),
    mouthRight: d(face.landmarks[54], m.mouthRight),
  };
}

function expectOneGoodFace(faces: Face[], label: string, map?: (p: Point) => Point): void {
  expect(faces).toHaveLength(1);
  const [face] = faces;
  expect(face.landmarks).toHaveLength(68);
  const e = errors(face, map);
  console.log(
    `${label}: confidence ${face.confidence.toFixed(3)}, error / inter-ocular: ${Object.entries(e)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}`,
  );
  for (const v of Object.values(e)) expect(v).toBeLessThan(0.1);
}

test('the photo: one face, eyes and mouth corners at the hand-marked places', async () => {
  const t0 = performance.now();
  const faces = await findFaces(finder, photo);
  console.log(`512 x 512 photo: ${(performance.now() - t0).toFixed(0)} ms (detector + 3 landmark passes)`);
  expectOneGoodFace(faces, 'upright');
  const { box } = faces[0];
  // the box holds the eyes and the mouth
  for (const p of Object.values(MARKS)) {
    expect(p.x).toBeGreaterThan(box.x);
    expect(p.x).toBeLessThan(box.x + box.width);
    expect(p.y).toBeGreaterThan(box.y);
    expect(p.y).toBeLessThan(box.y + box.height);
  }
});

test.each([20, -20])('turned by %d degrees, scaled by 2, in a larger canvas: the same points', async (degrees) => {
  const { image, map } = transformPhoto(photo, degrees, 2, 1600, 1300, { x: 700, y: 650 });
  const t0 = performance.now();
  const faces = await finder.find(image);
  console.log(`1600 x 1300 canvas: ${(performance.now() - t0).toFixed(0)} ms`);
  expectOneGoodFace(faces, `${degrees} degrees, x2`, map);
});

test('without the levelled refinement passes a turned face is found less well', async () => {
  const { image, map } = transformPhoto(photo, 20, 2, 1600, 1300, { x: 700, y: 650 });
  const [plain] = await finder.find(image, { refinements: 0 });
  const [refined] = await finder.find(image);
  const worst = (f: Face): number => Math.max(...Object.values(errors(f, map)));
  console.log(
    `20 degrees, x2: worst error ${worst(plain).toFixed(3)} with one landmark pass, ${worst(refined).toFixed(3)} with two levelled refinements`,
  );
  expect(worst(refined)).toBeLessThan(worst(plain));
});

test('pictures without a face give no face', async () => {
  // the space shuttle model and the backdrop beside it, from the same photo
  const w = 140;
  const h = 300;
  const crop = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    crop.set(photo.data.subarray((y * photo.width + 372) * 3, (y * photo.width + 372 + w) * 3), y * w * 3);
  expect(await finder.find({ width: w, height: h, channels: 3, data: crop })).toEqual([]);
  // flat grey
  expect(await finder.find({ width: 300, height: 200, data: new Uint8Array(300 * 200 * 4).fill(128) })).toEqual([]);
});

test('an image the finder cannot use is a user error', async () => {
  await expect(finder.find({ width: 10, height: 10, data: new Uint8Array(10) })).rejects.toThrow(FaceInputError);
  await expect(finder.find({ width: 0, height: 10, data: new Uint8Array(0) })).rejects.toThrow(/not a picture/);
  await expect(finder.find(photo, { detectorSize: 100 })).rejects.toThrow(FaceInputError);
});
