import type { Point } from '../core/types';
import type { Affine } from './affine';
import { FaceInputError } from '../core/errors';
import { checkLandmarks, eyesAndMouth } from './landmarks68';

/**
 * The oriented square the FFHQ dataset cut each face from (NVlabs/ffhq-dataset, download_ffhq.py,
 * recreate_aligned_images with rotate_level): built from the eye centres and mouth corners only, so that every
 * training face has its eyes level, at the same height and the same distance apart relative to the face.
 */
export interface FfhqQuad {
  /** Centre of the square, in photo pixels. */
  centre: Point;
  /** Half the square's side along its horizontal edge (photo pixels): the square spans centre +- x +- y. */
  x: Point;
  /** Half the side along its vertical edge: x turned by 90 degrees, so the square's "down" is the face's. */
  y: Point;
  /** The corners as the script hands them to PIL's QUAD transform: top-left, bottom-left, bottom-right, top-right. */
  corners: [Point, Point, Point, Point];
  /** The side length (the script's qsize). */
  size: number;
}

const sub = (p: Point, q: Point): Point => ({ x: p.x - q.x, y: p.y - q.y });
const add = (p: Point, q: Point): Point => ({ x: p.x + q.x, y: p.y + q.y });
const scale = (p: Point, s: number): Point => ({ x: p.x * s, y: p.y * s });
const len = (p: Point): number => Math.hypot(p.x, p.y);
/** numpy's flipud(v) * [-1, 1] on a 2-vector: (x, y) -> (-y, x), a quarter turn. */
const turn = (v: Point): Point => ({ x: -v.y, y: v.x });

/** The quad of a face from its 68 landmarks, in the photo's pixels (width x height checks the landmarks lie on it). */
export function ffhqQuad(landmarks: readonly Point[], width: number, height: number): FfhqQuad {
  checkLandmarks(landmarks, width, height);
  const { eyeLeft, eyeRight, mouthLeft, mouthRight } = eyesAndMouth(landmarks);
  const eyeAvg = scale(add(eyeLeft, eyeRight), 0.5);
  const eyeToEye = sub(eyeRight, eyeLeft);
  const mouthAvg = scale(add(mouthLeft, mouthRight), 0.5);
  const eyeToMouth = sub(mouthAvg, eyeAvg);
  // Eyes closer than 2 px, or a mouth on the eye line, have no orientation or scale to align to.
  if (len(eyeToEye) < 2)
    throw new FaceInputError(
      `the eye centres are ${len(eyeToEye).toFixed(2)} px apart: too small a face (or wrong landmarks) to align`,
    );
  if (len(eyeToMouth) < 1) throw new FaceInputError('the mouth lies on the eye line: these landmarks cannot be a face');
  // x: the eye line blended with the eye-to-mouth line turned by -90 degrees, so that a tilted eye line alone
  // (a squint, a detector error) does not rotate the crop; the script writes it eye_to_eye - flipud(eye_to_mouth) * [-1, 1].
  const dir = sub(eyeToEye, turn(eyeToMouth));
  const n = len(dir);
  if (!(n > 1e-9))
    throw new FaceInputError('the eyes and mouth are placed so that no face orientation follows from them');
  const half = Math.max(len(eyeToEye) * 2.0, len(eyeToMouth) * 1.8);
  const x = scale(dir, half / n);
  const y = turn(x);
  const centre = add(eyeAvg, scale(eyeToMouth, 0.1));
  const corners: [Point, Point, Point, Point] = [
    sub(sub(centre, x), y),
    add(sub(centre, x), y),
    add(add(centre, x), y),
    sub(add(centre, x), y),
  ];
  return { centre, x, y, corners, size: len(x) * 2 };
}

/**
 * The map from pixels of the aligned image (resolution x resolution) to photo pixels. PIL's QUAD puts the output's
 * outer edge on the quad (pixel centre i + 0.5 of the output maps to the fraction (i + 0.5) / size of the way along
 * the edges), and the script's `quad + 0.5` makes it read the photo with pixel centres at integers, as the
 * landmarks are given; the final ANTIALIAS resize keeps that relation at any output size.
 */
export function ffhqAlignedToPhoto(quad: FfhqQuad, resolution: number): Affine {
  const [topLeft] = quad.corners;
  const sx = (2 * quad.x.x) / resolution;
  const sy = (2 * quad.x.y) / resolution;
  const tx = (2 * quad.y.x) / resolution;
  const ty = (2 * quad.y.y) / resolution;
  return { a: sx, b: tx, c: topLeft.x + 0.5 * (sx + tx), d: sy, e: ty, f: topLeft.y + 0.5 * (sy + ty) };
}
