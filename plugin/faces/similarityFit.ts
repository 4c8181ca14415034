import type { Point } from '../core/types';
import type { Affine } from './affine';

/**
 * The rotation, uniform scale and shift that best carries `from` onto `to` in least squares (Umeyama's closed form
 * for 2-D points, no reflection): how a face's landmarks in a picture sit relative to where a model's training
 * faces had them.
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  if (n < 2 || to.length !== n)
    throw new Error(`a similarity needs two or more point pairs, got ${n} and ${to.length}`);
  let fx = 0,
    fy = 0,
    tx = 0,
    ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i].x;
    fy += from[i].y;
    tx += to[i].x;
    ty += to[i].y;
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  // with complex numbers z = x + iy: to - t̄ ≈ (p + iq)(from - f̄); p + iq = Σ conj(f) t / Σ |f|²
  let dot = 0,
    cross = 0,
    norm = 0;
  for (let i = 0; i < n; i++) {
    const ax = from[i].x - fx,
      ay = from[i].y - fy,
      bx = to[i].x - tx,
      by = to[i].y - ty;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
    norm += ax * ax + ay * ay;
  }
  if (!(norm > 1e-12)) throw new Error('a similarity needs points that are not all at one place');
  const p = dot / norm;
  const q = cross / norm;
  return { a: p, b: -q, c: tx - p * fx + q * fy, d: q, e: p, f: ty - q * fx - p * fy };
}

/** Uniform scale of a similarity (picture pixels per model pixel). */
export function similarityScale(t: Affine): number {
  return Math.hypot(t.a, t.d);
}

/** The same map between continuous coordinates (pixel i covers [i, i+1)) of maps between pixel centres at integers. */
export function continuousOf(t: Affine): Affine {
  return { ...t, c: t.c + 0.5 - 0.5 * (t.a + t.b), f: t.f + 0.5 - 0.5 * (t.d + t.e) };
}
