import type { Image8 } from '../../plugin/codecs/image8';
import type { Point } from '../../plugin/core/types';
import type { ClipFrame } from '../../plugin/engine/clipDrag';
import { clipLandmarkProgress } from '../../plugin/engine/clipLandmarks';
import type { CropLandmarkDetector } from '../../plugin/faces/landmarkFaceSearch';

/**
 * A detector whose two landmarks are the centres of the red and of the green in its crop (intensity-weighted), at
 * half the model's resolution, so the measure's scaling between the two is tested too.
 */
const RES = 64;
const detector: CropLandmarkDetector = {
  names: ['red', 'green'],
  resolution: RES / 2,
  async detectCrops(crops) {
    const r = RES / 2;
    return crops.map((c) =>
      [0, 1].map((ch) => {
        let [sx, sy, sw] = [0, 0, 0];
        for (let y = 0; y < r; y++)
          for (let x = 0; x < r; x++) {
            const w = c[ch * r * r + y * r + x];
            [sx, sy, sw] = [sx + w * x, sy + w * y, sw + w];
          }
        return { x: sx / sw, y: sy / sw };
      }),
    );
  },
};

/** A black frame with a 4 x 4 red square and a 4 x 4 green one, their top-left corners given. */
function picture(red: Point, green: Point): Image8 {
  const data = new Uint8ClampedArray(RES * RES * 4);
  for (let i = 0; i < RES * RES; i++) data[4 * i + 3] = 255;
  for (const [at, ch] of [
    [red, 0],
    [green, 1],
  ] as const)
    for (let y = at.y; y < at.y + 4; y++) for (let x = at.x; x < at.x + 4; x++) data[4 * (y * RES + x) + ch] = 255;
  return { width: RES, height: RES, data };
}

const input = (img: Image8) => ({ ...img, channels: 4 });

function frame(index: number, image: Image8, handle: Point, target: Point): ClipFrame {
  const none = { shape: [1], data: new Float32Array(1) };
  return {
    index,
    latent: none,
    edited: none,
    image,
    handles: [handle],
    targets: [target],
    reached: [target],
    progress: [1],
    inversion: { psnr: 30, seconds: 1, steps: 1, warm: index > 0 },
    dragSeconds: 1,
    dragSteps: 1,
  };
}

test("each frame: the handle's nearest landmark on the key input, its move from input to output along the drag over its length", async () => {
  const clip = [picture({ x: 20, y: 20 }, { x: 44, y: 40 }), picture({ x: 22, y: 20 }, { x: 44, y: 40 })];
  const r = await clipLandmarkProgress(
    detector,
    clip.map(input),
    [
      // key: the red centre (21.5, 21.5) moves 3 px right of a 6 px drag right; the green, farther, moves across
      frame(0, picture({ x: 23, y: 20 }, { x: 44, y: 50 }), { x: 22, y: 22 }, { x: 28, y: 22 }),
      // a later frame's own handle and target (carried there): a 4 px drag down; the red moves 1 right, 4 down
      frame(1, picture({ x: 23, y: 24 }, { x: 44, y: 40 }), { x: 24, y: 22 }, { x: 24, y: 26 }),
    ],
    { index: 0, handles: [{ x: 22, y: 22 }] },
    RES,
  );
  expect(r.nearest).toEqual([{ name: 'red', distance: expect.closeTo(Math.SQRT1_2, 6) }]);
  expect(r.progress.map(([p]) => p)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(1, 6)]);
});

test('a landmark pushed back against the drag counts as negative; a drag of no length as done', async () => {
  const clip = [picture({ x: 20, y: 20 }, { x: 44, y: 40 })];
  const back = await clipLandmarkProgress(
    detector,
    clip.map(input),
    [frame(0, picture({ x: 18, y: 20 }, { x: 44, y: 40 }), { x: 22, y: 22 }, { x: 30, y: 22 })],
    { index: 0, handles: [{ x: 22, y: 22 }] },
    RES,
  );
  expect(back.progress[0][0]).toBeCloseTo(-0.25, 6);
  const still = await clipLandmarkProgress(
    detector,
    clip.map(input),
    [frame(0, clip[0], { x: 22, y: 22 }, { x: 22, y: 22 })],
    { index: 0, handles: [{ x: 22, y: 22 }] },
    RES,
  );
  expect(still.progress).toEqual([[1]]);
});
