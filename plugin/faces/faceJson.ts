import type { Point } from '../core/types';
import type { Affine } from './affine';
import type { AlignedFace } from './ffhqAlign';
import { FaceInputError } from '../core/errors';
import { LANDMARK_COUNT } from './landmarks68';

/**
 * The files the face path reads and writes: landmarks (as `draggan faces --json` or any tool gives them) and the
 * alignment transform (what `draggan align --transform` writes and `draggan composite` reads back).
 */

/** The alignment transform as a file: enough to put an edit of the aligned crop back into the photo. */
export interface AlignTransformJson {
  alignment: 'ffhq';
  resolution: number;
  photo: { width: number; height: number };
  /** Aligned pixel -> photo pixel, x' = a x + b y + c, y' = d x + e y + f (pixel centres at integers). */
  toPhoto: Affine;
  /** The inverse map. */
  toAligned: Affine;
  /** The crop's corners in the photo: top-left, bottom-left, bottom-right, top-right. */
  quad: [number, number][];
}

export function alignTransformJson(face: AlignedFace, photoWidth: number, photoHeight: number): AlignTransformJson {
  return {
    alignment: 'ffhq',
    resolution: face.resolution,
    photo: { width: photoWidth, height: photoHeight },
    toPhoto: face.toPhoto,
    toAligned: face.toAligned,
    quad: face.quad.corners.map((p) => [p.x, p.y]),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads an alignment transform file back, checking every number the composite will use. */
export function parseAlignTransform(raw: unknown, where: string): AlignTransformJson {
  const bad = (what: string): never => {
    throw new FaceInputError(`${where}: ${what} (write it with draggan align --transform)`);
  };
  if (!isObj(raw)) return bad('not a JSON object');
  if (raw.alignment !== 'ffhq') bad(`alignment must be 'ffhq'`);
  const res = raw.resolution;
  if (!finite(res) || !Number.isInteger(res) || res < 8 || res > 4096)
    bad('resolution must be an integer from 8 to 4096');
  const photo = raw.photo;
  if (
    !isObj(photo) ||
    !finite(photo.width) ||
    !finite(photo.height) ||
    !Number.isInteger(photo.width) ||
    !Number.isInteger(photo.height)
  )
    bad('photo must give an integer width and height');
  const affine = (v: unknown, name: string): Affine => {
    if (!isObj(v)) return bad(`${name} must be an object {a, b, c, d, e, f}`);
    const out = { a: v.a, b: v.b, c: v.c, d: v.d, e: v.e, f: v.f };
    for (const [k, x] of Object.entries(out)) if (!finite(x)) bad(`${name}.${k} must be a finite number`);
    const t = out as Affine;
    if (!(Math.abs(t.a * t.e - t.b * t.d) > 1e-12)) bad(`${name} is singular`);
    return t;
  };
  const quad = raw.quad;
  if (
    !Array.isArray(quad) ||
    quad.length !== 4 ||
    !quad.every((p) => Array.isArray(p) && p.length === 2 && finite(p[0]) && finite(p[1]))
  )
    bad('quad must hold 4 [x, y] corners');
  return {
    alignment: 'ffhq',
    resolution: res as number,
    photo: photo as { width: number; height: number },
    toPhoto: affine(raw.toPhoto, 'toPhoto'),
    toAligned: affine(raw.toAligned, 'toAligned'),
    quad: quad as [number, number][],
  };
}

function point(v: unknown, i: number, where: string): Point {
  if (Array.isArray(v) && v.length === 2 && finite(v[0]) && finite(v[1])) return { x: v[0], y: v[1] };
  if (isObj(v) && finite(v.x) && finite(v.y)) return { x: v.x, y: v.y };
  throw new FaceInputError(`${where}: landmark ${i} must be [x, y] or {"x": .., "y": ..} with finite numbers`);
}

/**
 * 68 landmarks from JSON: a list of [x, y] or {x, y}; or an object with `landmarks`; or `draggan faces --json`'s
 * shape, `{faces: [{landmarks: [...]}, ...]}`, where `face` picks one (faces are listed as the detector found them).
 */
export function parseLandmarks(raw: unknown, where: string, face = 0): Point[] {
  let list: unknown = raw;
  if (isObj(raw) && Array.isArray(raw.faces)) {
    const faces = raw.faces as unknown[];
    if (faces.length === 0) throw new FaceInputError(`${where}: no faces in the file`);
    if (!Number.isInteger(face) || face < 0 || face >= faces.length)
      throw new FaceInputError(`${where}: face ${face} asked, the file has ${faces.length} (0 to ${faces.length - 1})`);
    const f = faces[face];
    list = isObj(f) ? f.landmarks : undefined;
  } else if (isObj(raw)) {
    list = raw.landmarks;
  }
  if (!Array.isArray(list))
    throw new FaceInputError(
      `${where}: expected a list of ${LANDMARK_COUNT} landmarks, an object with "landmarks", or {"faces": [{"landmarks": [...]}]}`,
    );
  if (list.length !== LANDMARK_COUNT)
    throw new FaceInputError(
      `${where}: ${list.length} landmarks; the alignment needs the ${LANDMARK_COUNT} of the iBUG 300-W scheme`,
    );
  return list.map((p, i) => point(p, i, where));
}
