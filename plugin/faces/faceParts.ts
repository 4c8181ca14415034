import type { Point } from '../core/types';
import { FaceInputError } from '../core/errors';

/**
 * One face described by the semantic points the suggested edits (plugin/faces/presets.ts) move, whatever detector
 * found it: the photo finder's 68 iBUG 300-W landmarks (ibugParts.ts) or a detector that names its points, as the
 * bundled model's procedural-face detector does (namedParts.ts). "left" and "right" are the picture's, not the
 * subject's: the left eye is the one nearer x = 0, whichever way the face looks.
 */
export interface EyeParts {
  /** The corner away from the nose. */
  outer: Point;
  /** The corner by the nose. */
  inner: Point;
  /** The middle of the upper lid's edge. */
  top: Point;
  /** The middle of the lower lid's edge. */
  bottom: Point;
  /** The middle of the eye's outline: the face's size and roll are measured between the two. */
  centre: Point;
}

export interface BrowParts {
  outer: Point;
  mid: Point;
  inner: Point;
}

export interface MouthParts {
  /** The corners (picture left and right). */
  left: Point;
  right: Point;
  /** The upper lip's top edge and the lower lip's bottom edge, at the middle. */
  top: Point;
  bottom: Point;
  /** Where the lips meet (between the inner lip edges when the mouth is open), at the middle. */
  centre: Point;
}

export interface FaceParts {
  eyes: { left: EyeParts; right: EyeParts };
  brows: { left: BrowParts; right: BrowParts };
  noseTip: Point;
  mouth: MouthParts;
  /** Nine points along the jaw line from the picture-left temple, through the chin (jaw[4]), to the right one. */
  jaw: Point[];
}

export const JAW_POINTS = 9;
export const CHIN = 4;

/**
 * The face's own frame: `u` along the eye line (towards the picture-right eye), `v` down the face, both unit
 * vectors, and the inter-ocular distance. A displacement given in this frame, in inter-ocular distances, is the same
 * edit on a small or large, upright or rolled face.
 */
export interface FaceFrame {
  u: Point;
  v: Point;
  /** Distance between the eye centres, in pixels. */
  interOcular: number;
  /** The eye line's angle in the picture (radians, 0 upright, positive turns clockwise on screen as y points down). */
  roll: number;
}

export function faceFrame(face: FaceParts): FaceFrame {
  const l = face.eyes.left.centre;
  const r = face.eyes.right.centre;
  const dx = r.x - l.x;
  const dy = r.y - l.y;
  const interOcular = Math.hypot(dx, dy);
  // a detector that puts both eyes on one spot has not seen a face; every displacement would be zero or NaN
  if (!(interOcular > 1e-3))
    throw new FaceInputError('the face landmarks put both eyes at the same place: no face to place points on');
  const u = { x: dx / interOcular, y: dy / interOcular };
  return { u, v: { x: -u.y, y: u.x }, interOcular, roll: Math.atan2(dy, dx) };
}

/** The point `p` moved by (du, dv) inter-ocular distances along the face's frame. */
export function offset(frame: FaceFrame, p: Point, du: number, dv: number): Point {
  const s = frame.interOcular;
  return { x: p.x + s * (du * frame.u.x + dv * frame.v.x), y: p.y + s * (du * frame.u.y + dv * frame.v.y) };
}

/** `p - q` in the face's frame, in inter-ocular distances: (along the eye line, down the face). */
export function inFrame(frame: FaceFrame, p: Point, q: Point): { du: number; dv: number } {
  const dx = p.x - q.x;
  const dy = p.y - q.y;
  return {
    du: (dx * frame.u.x + dy * frame.u.y) / frame.interOcular,
    dv: (dx * frame.v.x + dy * frame.v.y) / frame.interOcular,
  };
}

export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function meanPoint(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Every landmark must be a finite position: a NaN would become a NaN target the drag loop refuses far later. */
export function checkFinite(points: readonly Point[], what: string): void {
  points.forEach((p, i) => {
    if (!Number.isFinite(p?.x) || !Number.isFinite(p?.y))
      throw new FaceInputError(`${what} ${i} is not a pair of finite numbers`);
  });
}
