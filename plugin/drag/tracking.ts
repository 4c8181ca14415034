import type { FeatureGeometry } from './bilinear';
import { FeaturePatch, PatchTaps } from './featurePatch';
import type { Point } from '../core/types';

/**
 * Point tracking by nearest-neighbour feature matching, as the official renderer does it: within the square of
 * radius r around the handle (clipped to the image), the pixel whose up-sampled feature is closest in L2 to the
 * handle's reference feature; ties go to the first in row-major order.
 */
export function trackPoint(geo: FeatureGeometry, f: Float32Array, reference: Float64Array, p: Point, r: number): Point {
  const top = Math.max(p.y - r, 0);
  const bottom = Math.min(p.y + r + 1, geo.h);
  const left = Math.max(p.x - r, 0);
  const right = Math.min(p.x + r + 1, geo.w);
  const patch = new FeaturePatch(
    geo,
    f,
    Math.floor(top),
    Math.ceil(bottom - 1),
    Math.floor(left),
    Math.ceil(right - 1),
  );
  const taps = new PatchTaps();
  let best = Infinity;
  let bestPoint = p;
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const d = patch.squaredDistance(patch.pixel(y, x, taps), reference);
      if (d < best) {
        best = d;
        bestPoint = { x, y };
      }
    }
  }
  return bestPoint;
}

/** The reference feature of a handle: the up-sampled initial feature map at the rounded handle position. */
export function referenceFeature(geo: FeatureGeometry, f0: Float32Array, p: Point): Float64Array {
  return geo.sample(f0, geo.pixelTaps(Math.round(p.y), Math.round(p.x)));
}
