import type { Point } from '../core/types';
import { FaceInputError } from '../core/errors';

/** The iBUG 300-W 68-point scheme (dlib, face-api): jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67. */
export const LANDMARK_COUNT = 68;
const LEFT_EYE = [36, 42] as const;
const RIGHT_EYE = [42, 48] as const;
const MOUTH_LEFT = 48;
const MOUTH_RIGHT = 54;

/** The four points the FFHQ recipe is built from. "Left" is the subject's right: the one on the image's left. */
export interface EyesAndMouth {
  eyeLeft: Point;
  eyeRight: Point;
  mouthLeft: Point;
  mouthRight: Point;
}

function mean(lm: readonly Point[], [from, to]: readonly [number, number]): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += lm[i].x;
    y += lm[i].y;
  }
  return { x: x / (to - from), y: y / (to - from) };
}

/**
 * Checks 68 landmarks of a face in a width x height photo. Jaw and brow points may fall outside the photo (a face
 * cut by its edge); the eyes and mouth corners the alignment is built from must be on it, or the landmarks belong
 * to another image (or were given at another scale).
 */
export function checkLandmarks(lm: readonly Point[], width: number, height: number): void {
  if (lm.length !== LANDMARK_COUNT)
    throw new FaceInputError(`a face needs ${LANDMARK_COUNT} landmarks in the iBUG 300-W order; got ${lm.length}`);
  lm.forEach((p, i) => {
    if (!Number.isFinite(p?.x) || !Number.isFinite(p?.y))
      throw new FaceInputError(`landmark ${i} is not a pair of finite numbers`);
  });
  const used = [...Array.from({ length: 12 }, (_, k) => 36 + k), MOUTH_LEFT, MOUTH_RIGHT];
  for (const i of used) {
    const p = lm[i];
    if (p.x < -0.5 || p.y < -0.5 || p.x > width - 0.5 || p.y > height - 0.5) {
      throw new FaceInputError(
        `landmark ${i} (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) lies outside the ${width}x${height} photo: the landmarks must be in this photo's pixels`,
      );
    }
  }
}

/** Eye centres (the mean of each eye's six points) and the two outer mouth corners, as the FFHQ script takes them. */
export function eyesAndMouth(lm: readonly Point[]): EyesAndMouth {
  return {
    eyeLeft: mean(lm, LEFT_EYE),
    eyeRight: mean(lm, RIGHT_EYE),
    mouthLeft: lm[MOUTH_LEFT],
    mouthRight: lm[MOUTH_RIGHT],
  };
}
