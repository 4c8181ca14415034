import type { Point } from '../engine/core/types';

/**
 * A 2-D affine map x' = a x + b y + c, y' = d x + e y + f. Crops are affine maps from the crop's pixel grid to the
 * picture's, so landmarks found in a crop go back to the picture through the same map.
 */
export interface Affine {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

export function apply(m: Affine, p: Point): Point {
  return { x: m.a * p.x + m.b * p.y + m.c, y: m.d * p.x + m.e * p.y + m.f };
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
