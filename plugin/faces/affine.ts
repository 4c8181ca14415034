import type { Point } from '../core/types';

/**
 * A 2x3 affine map of pixel coordinates: x' = a x + b y + c, y' = d x + e y + f. Pixel coordinates are those of
 * the landmarks and the drag points: x is the column, pixel centres at integers. Plain numbers so it goes into JSON
 * (a transform file, a panel message) as it is.
 */
export interface Affine {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

export function applyAffine(t: Affine, p: Point): Point {
  return { x: t.a * p.x + t.b * p.y + t.c, y: t.d * p.x + t.e * p.y + t.f };
}

/** The linear part only: how a displacement (not a position) maps. */
export function applyLinear(t: Affine, v: Point): Point {
  return { x: t.a * v.x + t.b * v.y, y: t.d * v.x + t.e * v.y };
}

export function invertAffine(t: Affine): Affine {
  const det = t.a * t.e - t.b * t.d;
  if (!(Math.abs(det) > 1e-12)) throw new Error(`the affine map [${t.a}, ${t.b}; ${t.d}, ${t.e}] is singular`);
  const a = t.e / det;
  const b = -t.b / det;
  const d = -t.d / det;
  const e = t.a / det;
  return { a, b, c: -(a * t.c + b * t.f), d, e, f: -(d * t.c + e * t.f) };
}

/** `outer` after `inner`: p -> outer(inner(p)). */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  return {
    a: outer.a * inner.a + outer.b * inner.d,
    b: outer.a * inner.b + outer.b * inner.e,
    c: outer.a * inner.c + outer.b * inner.f + outer.c,
    d: outer.d * inner.a + outer.e * inner.d,
    e: outer.d * inner.b + outer.e * inner.e,
    f: outer.d * inner.c + outer.e * inner.f + outer.f,
  };
}

/**
 * The map from an `size` x `size` crop to the picture that shows a square of side `side` centred on `centre`,
 * turned by `angle` radians (the crop's x axis runs along the direction `angle` in the picture).
 */
export function squareCrop(centre: Point, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  const h = size / 2;
  return { a: cos, b: -sin, c: centre.x - cos * h + sin * h, d: sin, e: cos, f: centre.y - sin * h - cos * h };
}

/** How many picture pixels one crop pixel spans (the larger axis): decides the anti-aliasing. */
export function pixelSpan(m: Affine): number {
  return Math.max(Math.hypot(m.a, m.d), Math.hypot(m.b, m.e));
}
