import type { FeatureGeometry } from './bilinear';
import { FeaturePatch, PatchTaps } from './featurePatch';
import type { Point } from '../core/types';
import { featureShapes, type GeneratorConfig } from '../stylegan2/config';

/** The robust tracker's search radius in image pixels (capped by r2). */
export const ROBUST_SEARCH_PX = 2;

/** The patch: the handle and four points around it, 4 image pixels away (one cell of the bundled model's 32 px tracking block). */
const SPREAD = 4;
const OFFSETS: readonly [number, number][] = [
  [0, 0],
  [-SPREAD, 0],
  [SPREAD, 0],
  [0, -SPREAD],
  [0, SPREAD],
];

/** How far from a handle (image pixels) the tracker reads: the search, the patch's spread, the sub-pixel neighbours. */
export const ROBUST_REACH_PX = ROBUST_SEARCH_PX + SPREAD + 1;

const clampTo = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));

/** The features of a small cross-shaped patch around pixel (y, x), channel-major per point, written into out. */
function samplePatch(geo: FeatureGeometry, f: Float32Array, y: number, x: number, out: Float64Array): Float64Array {
  const c = geo.channels;
  const v = new Float64Array(c);
  OFFSETS.forEach(([oy, ox], k) => {
    geo.sample(f, geo.pixelTaps(clampTo(y + oy, geo.h), clampTo(x + ox, geo.w)), v);
    out.set(v, k * c);
  });
  return out;
}

/**
 * The block the robust tracker reads: the first from the feature block on whose map is at least a quarter of the
 * image's side, the official feature block's scale (block 5 of a 512 px model). A coarser feature block suits
 * motion supervision on a small model (the bundled one uses the 16 px block of 128 px), but each of its cells
 * mixes a moved feature with the still ones around it, so a tracker reading it reports the content short of where
 * it went (validation: docs/landmark-benchmark.md). The finer block runs on in the same forward pass, with no
 * gradient through it.
 */
export function robustTrackingBlock(cfg: GeneratorConfig, featureIdx: number): number {
  const res = featureShapes(cfg).map((f) => f.height);
  let k = featureIdx;
  while (k < res.length - 1 && res[k] * 4 < cfg.img_resolution) k++;
  return k;
}

/** The robust method's reference: the initial features of the patch around the rounded handle. */
export function patchReference(geo: FeatureGeometry, f0: Float32Array, p: Point): Float64Array {
  return samplePatch(geo, f0, Math.round(p.y), Math.round(p.x), new Float64Array(OFFSETS.length * geo.channels));
}

/**
 * The 'robust' method's point tracking. The official tracker matches one feature vector over a wide square (r2)
 * at whole pixels; on smooth feature maps the best match slides ahead of (or behind) the content, a handle can
 * jump to a look-alike several pixels away in one step, and, quantised, it never sits exactly on a fractional
 * target. Content moves well under a pixel per step, so this one matches a small patch (the handle and four
 * points around it, which pins the match to the content's layout) over a small square around the handle
 * (`radius`, at most r2), then refines the best pixel to sub-pixel precision with a parabola through its
 * neighbours' costs.
 */
export function trackPointSubPixel(
  geo: FeatureGeometry,
  f: Float32Array,
  reference: Float64Array,
  p: Point,
  radius: number,
): Point {
  const cy = Math.round(p.y);
  const cx = Math.round(p.x);
  const reach = radius + SPREAD + 1;
  const patch = new FeaturePatch(geo, f, cy - reach, cy + reach, cx - reach, cx + reach);
  const taps = new PatchTaps();
  const c = geo.channels;
  const cost = (y: number, x: number): number => {
    let d = 0;
    OFFSETS.forEach(([oy, ox], k) => {
      d += patch.squaredDistance(patch.pixel(clampTo(y + oy, geo.h), clampTo(x + ox, geo.w), taps), reference, k * c);
    });
    return d;
  };
  let best = Infinity;
  let by = cy;
  let bx = cx;
  for (let y = Math.max(cy - radius, 0); y < Math.min(cy + radius + 1, geo.h); y++) {
    for (let x = Math.max(cx - radius, 0); x < Math.min(cx + radius + 1, geo.w); x++) {
      const d = cost(y, x);
      if (d < best) {
        best = d;
        by = y;
        bx = x;
      }
    }
  }
  const offset = (lo: number, hi: number): number => {
    const curv = lo - 2 * best + hi;
    return curv > 0 ? Math.max(-0.5, Math.min(0.5, (lo - hi) / (2 * curv))) : 0;
  };
  const dy = by > 0 && by < geo.h - 1 ? offset(cost(by - 1, bx), cost(by + 1, bx)) : 0;
  const dx = bx > 0 && bx < geo.w - 1 ? offset(cost(by, bx - 1), cost(by, bx + 1)) : 0;
  return { x: bx + dx, y: by + dy };
}
