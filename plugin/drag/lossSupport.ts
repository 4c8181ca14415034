import type { FeatureBox, FeatureWindowRequest } from '../stylegan2/featureWindows';
import type { FeatureGeometry } from './bilinear';
import type { Point } from '../core/types';

/**
 * How far from a handle p (image pixels) a drag step without a mask reads: tracking searches the square of radius
 * r2 around p; motion supervision reads the disc around the tracked point p' (within r2 of p), whose pixels q have
 * |grid(q) - p'| < r1 with the official grid within [q, q + 1], so |q - p'| <= r1, and the unit shift's bilinear
 * neighbours q - 1 .. q + 1. The feature pixels read are those the up-sampling taps of these image pixels touch
 * (both taps, even at weight 0).
 */
export function lossSupportRadius(r1: number, r2: number): number {
  return r1 + r2 + 1;
}

function featureSpan(taps: FeatureGeometry['rowTaps'], lo: number, hi: number): [number, number] {
  return [taps[lo].i0, taps[hi].i1 + 1];
}

function box(geo: FeatureGeometry, p: Point, r: number): FeatureBox {
  const [y0, y1] = featureSpan(geo.rowTaps, Math.max(0, Math.floor(p.y - r)), Math.min(geo.h - 1, Math.ceil(p.y + r)));
  const [x0, x1] = featureSpan(geo.colTaps, Math.max(0, Math.floor(p.x - r)), Math.min(geo.w - 1, Math.ceil(p.x + r)));
  return { y0, y1, x0, x1 };
}

/** One box per handle, and a static bound on their side for any (integer) handle position. */
export function lossSupport(
  geo: FeatureGeometry,
  handles: readonly Point[],
  r1: number,
  r2: number,
): FeatureWindowRequest {
  const r = lossSupportRadius(r1, r2);
  let size = 0;
  for (let y = 0; y < geo.h; y++) {
    const [a, b] = featureSpan(geo.rowTaps, Math.max(0, y - r), Math.min(geo.h - 1, y + r));
    size = Math.max(size, b - a);
  }
  for (let x = 0; x < geo.w; x++) {
    const [a, b] = featureSpan(geo.colTaps, Math.max(0, x - r), Math.min(geo.w - 1, x + r));
    size = Math.max(size, b - a);
  }
  return { size, boxes: handles.map((p) => box(geo, p, r)) };
}
