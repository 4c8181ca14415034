/**
 * The presets' geometry on synthetic landmarks: one face written in both vocabularies gives the same parts and the
 * same pairs; a rolled or larger face gets rotated or scaled displacements; strength scales; pairs stay on the
 * picture; each preset moves what its name says, in the face's own frame.
 */
import type { Point } from '../../plugin/core/types';
import { FaceInputError } from '../../plugin/core/errors';
import { NoFaceError } from '../../plugin/faces/noFaceError';
import { checkFaceLayout, namedLocator } from '../../plugin/faces/faceLocator';
import { faceFrame, inFrame, type FaceParts } from '../../plugin/faces/faceParts';
import { partsFromIbug68 } from '../../plugin/faces/ibugParts';
import { partsFromNamed } from '../../plugin/faces/namedParts';
import { presetPairs, PRESETS, suggestPairs, type PresetName, type PresetPair } from '../../plugin/faces/presets';
import { ibugFace, namedFace, placed } from './syntheticLandmarks';

const CANVAS = { width: 256, height: 256 };
const CENTRE = { x: 128, y: 110 };
const upright = placed(CENTRE);
const named = (t = upright): FaceParts => {
  const f = namedFace(t);
  return partsFromNamed(f.names, f.points);
};
const ibug = (t = upright): FaceParts => partsFromIbug68(ibugFace(t));
const move = (p: PresetPair): Point => ({ x: p.target.x - p.handle.x, y: p.target.y - p.handle.y });

function expectClose(a: Point, b: Point, tol = 1e-9): void {
  expect(Math.abs(a.x - b.x)).toBeLessThanOrEqual(tol);
  expect(Math.abs(a.y - b.y)).toBeLessThanOrEqual(tol);
}

test('one face in both vocabularies gives the same parts, so every preset gives the same pairs', () => {
  expect(ibug()).toEqual(named());
  for (const preset of PRESETS) {
    const a = presetPairs(ibug(), { preset }, CANVAS);
    const b = presetPairs(named(), { preset }, CANVAS);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  }
});

test('the face frame: eye distance, roll, and the frame axes along the eye line and down the face', () => {
  const f = faceFrame(named(placed(CENTRE, 2, 0.3)));
  expect(f.interOcular).toBeCloseTo(40, 9);
  expect(f.roll).toBeCloseTo(0.3, 9);
  expectClose(f.u, { x: Math.cos(0.3), y: Math.sin(0.3) });
  expectClose(f.v, { x: -Math.sin(0.3), y: Math.cos(0.3) });
});

test.each([0.35, -0.6, Math.PI / 2])(
  'a face rolled by %f rad gets the upright displacements rotated by as much (both vocabularies)',
  (angle) => {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    for (const parts of [named, ibug]) {
      for (const preset of PRESETS) {
        const up = presetPairs(parts(), { preset }, CANVAS);
        const rolled = presetPairs(parts(placed(CENTRE, 1, angle)), { preset }, CANVAS);
        expect(rolled.map((p) => p.part)).toEqual(up.map((p) => p.part));
        rolled.forEach((p, i) => {
          const d = move(up[i]);
          expectClose(move(p), { x: c * d.x - s * d.y, y: s * d.x + c * d.y }, 1e-9);
          // the handles are the rolled face's own landmarks
          expectClose(
            p.handle,
            placed(CENTRE, 1, angle)({ x: up[i].handle.x - CENTRE.x, y: up[i].handle.y - CENTRE.y }),
            1e-9,
          );
        });
      }
    }
  },
);

test('displacements scale with the face: twice the eye distance, twice the move', () => {
  for (const preset of PRESETS) {
    const small = presetPairs(named(), { preset }, CANVAS);
    const big = presetPairs(named(placed(CENTRE, 2)), { preset }, CANVAS);
    big.forEach((p, i) => expectClose(move(p), { x: 2 * move(small[i]).x, y: 2 * move(small[i]).y }, 1e-9));
  }
});

test('strength scales every displacement; 0 leaves each handle on its place; outside 0..1 is refused', () => {
  for (const preset of PRESETS) {
    const full = presetPairs(ibug(), { preset }, CANVAS);
    const part = presetPairs(ibug(), { preset, strength: 0.3 }, CANVAS);
    part.forEach((p, i) => {
      expect(p.handle).toEqual(full[i].handle);
      expectClose(move(p), { x: 0.3 * move(full[i]).x, y: 0.3 * move(full[i]).y }, 1e-9);
    });
    for (const p of presetPairs(ibug(), { preset, strength: 0 }, CANVAS)) expect(p.target).toEqual(p.handle);
    // the default is the whole displacement
    expect(presetPairs(ibug(), { preset, strength: 1 }, CANVAS)).toEqual(full);
  }
  for (const strength of [-0.1, 1.5, NaN])
    expect(() => presetPairs(ibug(), { preset: 'smile', strength }, CANVAS)).toThrow(FaceInputError);
});

test('pairs are kept on the picture: a face at the edge gets its handles and targets clamped into it', () => {
  // a big face whose jaw, mouth and brows run off the picture's corner
  const atEdge = placed({ x: 20, y: 15 }, 3, 0.2);
  const canvas = { width: 128, height: 128 };
  let clamped = 0;
  for (const parts of [named, ibug]) {
    for (const preset of PRESETS) {
      // the same face far inside a huge picture, moved back: the pairs as they would be without clamping
      const far = presetPairs(parts(placed({ x: 1020, y: 1015 }, 3, 0.2)), { preset }, { width: 1e6, height: 1e6 });
      const unclamped = far.map((p) => ({ target: { x: p.target.x - 1000, y: p.target.y - 1000 } }));
      for (const [i, p] of presetPairs(parts(atEdge), { preset }, canvas).entries()) {
        for (const q of [p.handle, p.target]) {
          expect(q.x).toBeGreaterThanOrEqual(0);
          expect(q.y).toBeGreaterThanOrEqual(0);
          expect(q.x).toBeLessThanOrEqual(127);
          expect(q.y).toBeLessThanOrEqual(127);
        }
        if (Math.hypot(p.target.x - unclamped[i].target.x, p.target.y - unclamped[i].target.y) > 1e-6) clamped++;
      }
    }
  }
  // the face really did run off: clamping changed some pairs
  expect(clamped).toBeGreaterThan(0);
});

/** Each pair's move in the face's frame, in eye distances, by part. */
function moves(preset: PresetName, parts = named(placed(CENTRE, 1.5, -0.4))): Map<string, { du: number; dv: number }> {
  const frame = faceFrame(parts);
  return new Map(presetPairs(parts, { preset }, CANVAS).map((p) => [p.part, inFrame(frame, p.target, p.handle)]));
}

test('each preset moves what its name says, in the face frame (on a rolled face)', () => {
  const smile = moves('smile');
  expect([...smile.keys()]).toEqual(['mouth.left', 'mouth.right']);
  expect(smile.get('mouth.left')!.dv).toBeLessThan(-0.1);
  expect(smile.get('mouth.right')!.dv).toBeLessThan(-0.1);
  // straight up the face, not along the picture's vertical
  expect(smile.get('mouth.left')!.du).toBeCloseTo(0, 6);
  expect(smile.get('mouth.right')!.du).toBeCloseTo(0, 6);

  const open = moves('open-mouth');
  expect(open.get('mouth.bottom')!.dv).toBeGreaterThan(0.1);

  // the upper lids come down most of the way onto the lower ones (the synthetic eye is 0.3 eye distances tall)
  const close = moves('close-eyes');
  for (const side of ['left', 'right']) expect(close.get(`eyes.${side}.top`)!.dv).toBeCloseTo(0.85 * 0.3, 9);

  const brows = moves('raise-eyebrows');
  expect(brows.size).toBe(6);
  for (const m of brows.values()) expect(m.dv).toBeLessThan(-0.1);

  for (const [preset, sign] of [
    ['turn-head-left', -1],
    ['turn-head-right', 1],
  ] as const) {
    const turn = moves(preset);
    expect(Math.sign(turn.get('noseTip')!.du)).toBe(sign);
    for (const m of turn.values()) expect(Math.abs(m.dv)).toBeLessThan(1e-9);
  }

  // the jaw comes in from both sides towards the face's middle line
  for (const [part, m] of moves('slimmer-jaw')) {
    const k = Number(part.split('.')[1]);
    expect(Math.sign(m.du)).toBe(k < 4 ? 1 : -1);
  }

  // the upper lids alone (lower lids pulled the other way inside the same motion discs cancel them)
  const bigger = moves('bigger-eyes');
  expect([...bigger.keys()]).toEqual(['eyes.left.top', 'eyes.right.top']);
  for (const m of bigger.values()) expect(m.dv).toBeLessThan(-0.05);
});

test('several presets: pairs in the order asked, a part moved by two gets one handle with both moves', () => {
  const face = named();
  const both = suggestPairs(face, [{ preset: 'smile' }, { preset: 'raise-eyebrows', strength: 0.5 }], CANVAS);
  expect(both).toEqual([
    ...presetPairs(face, { preset: 'smile' }, CANVAS),
    ...presetPairs(face, { preset: 'raise-eyebrows', strength: 0.5 }, CANVAS),
  ]);
  const lids = suggestPairs(face, [{ preset: 'bigger-eyes' }, { preset: 'close-eyes' }], CANVAS);
  const tops = lids.filter((p) => p.part.endsWith('.top'));
  expect(tops).toHaveLength(2);
  const bigger = presetPairs(face, { preset: 'bigger-eyes' }, CANVAS);
  const close = presetPairs(face, { preset: 'close-eyes' }, CANVAS);
  for (const top of tops) {
    const a = move(bigger.find((p) => p.part === top.part)!);
    const b = move(close.find((p) => p.part === top.part)!);
    expect(top.presets).toEqual(['bigger-eyes', 'close-eyes']);
    expectClose(move(top), { x: a.x + b.x, y: a.y + b.y }, 1e-9);
  }
});

test('the adapters refuse landmarks they cannot read, with the reason', () => {
  expect(() => partsFromIbug68(ibugFace(upright).slice(0, 67))).toThrow(/68 landmarks/);
  const bad = ibugFace(upright);
  bad[30] = { x: NaN, y: 0 };
  expect(() => partsFromIbug68(bad)).toThrow(FaceInputError);
  const f = namedFace(upright);
  const i = f.names.indexOf('mouth_l');
  expect(() =>
    partsFromNamed(
      f.names.filter((_, k) => k !== i),
      f.points.filter((_, k) => k !== i),
    ),
  ).toThrow(/no point named mouth_l/);
  expect(() => partsFromNamed(f.names, f.points.slice(1))).toThrow(FaceInputError);
  expect(() => presetPairs(named(), { preset: 'frown' as PresetName }, CANVAS)).toThrow(/no preset 'frown'/);
});

test('a detector answer not laid out as a face is a clear NoFaceError; real faces of any roll pass', async () => {
  for (const angle of [0, 0.5, -1, 3])
    expect(() => checkFaceLayout(named(placed(CENTRE, 1, angle)), CANVAS, 'test detector')).not.toThrow();
  const f = namedFace(upright);
  // everything on one spot (what a regression net may give for a blank picture)
  const blob = { names: f.names, detect: () => Promise.resolve(f.points.map(() => ({ x: 64, y: 64 }))) };
  await expect(
    namedLocator(blob, 'test detector').locate({ width: 128, height: 128, data: new Uint8ClampedArray(128 * 128 * 4) }),
  ).rejects.toThrow(NoFaceError);
  // the mouth above the eyes
  const flipped = f.points.map((p, k) =>
    f.names[k].startsWith('mouth') || f.names[k].startsWith('lip') ? { x: p.x, y: p.y - 40 } : p,
  );
  expect(() => checkFaceLayout(partsFromNamed(f.names, flipped), CANVAS, 'test detector')).toThrow(
    /no mouth below the eyes/,
  );
  // eyes too close to place points on
  expect(() => checkFaceLayout(named(placed(CENTRE, 0.1)), CANVAS, 'test detector')).toThrow(/eyes are 2\.0 px apart/);
  // off the picture
  expect(() => checkFaceLayout(named(placed({ x: 300, y: 100 })), CANVAS, 'test detector')).toThrow(/off the picture/);
});

test('a detector whose points do not follow the picture when it moves has found no face; one that follows passes', async () => {
  const f = namedFace(placed({ x: 64, y: 50 }, 1.2));
  const picture = (mx: number, my: number) => {
    const data = new Uint8ClampedArray(128 * 128 * 4);
    data[(my * 128 + mx) * 4] = 255;
    return { width: 128, height: 128, data };
  };
  // a stand-in for a face detector: the face sits wherever the picture's one bright pixel is
  const marker = (img: { data: Uint8ClampedArray }): Point => {
    const i = img.data.findIndex((v, k) => k % 4 === 0 && v === 255) / 4;
    return { x: i % 128, y: Math.floor(i / 128) };
  };
  const following = {
    names: f.names,
    detect: (img: { data: Uint8ClampedArray }) => {
      const m = marker(img);
      return Promise.resolve(f.points.map((p) => ({ x: p.x + m.x - 64, y: p.y + m.y - 64 })));
    },
  };
  const onTheFace = partsFromNamed(f.names, await following.detect(picture(64, 64)));
  await expect(namedLocator(following, 'test detector').locate(picture(64, 64))).resolves.toEqual(onTheFace);
  // the same face whatever the picture: what a regression net gives for a picture without a face
  const fixed = { names: f.names, detect: () => Promise.resolve(f.points) };
  await expect(namedLocator(fixed, 'test detector').locate(picture(64, 64))).rejects.toThrow(
    /its points do not follow the picture when it is moved: 5\.0 px off/,
  );
});
