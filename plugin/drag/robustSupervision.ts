import type { Pull } from './motionSupervision';
import type { Point } from '../core/types';
import { ROBUST_SETTLE_PX } from '../core/editState';
/** A pull's weight is the handle's distance to its target, up to this. */
export const ROBUST_WEIGHT_CAP_PX = 4;
/** Discs are never made smaller than this (the official r1 at 512 px). */
export const ROBUST_MIN_DISC_PX = 3;
/** A disc reaches at most this share of the way to the nearest other handle. */
const DISC_SHARE = 0.5;

/**
 * The 'robust' method's motion supervision: the official loss, with three changes to whom it pulls and how hard.
 * - Settle: a handle within 1 px is not let go (the official loop drops it) but drawn onto its target, to within
 *   ROBUST_SETTLE_PX, by at most its distance, and back when its content overshot.
 * - Weight by distance: each pull counts in proportion to how far its handle still has to go (capped), so the
 *   latent update goes to the handles that lag, which are the ones that decide when the edit ends.
 * - Own discs: a disc reaches at most half way to the nearest other handle, so neighbouring handles (the landmarks
 *   of a face outline) never pull the same features in different directions; with a few handles far apart
 *   nothing changes (the discs stay r1).
 * No extra evaluations: the same features, smaller discs where handles crowd.
 */
export function robustPulls(points: readonly Point[], targets: readonly Point[], r1: number): Pull[] {
  const out: Pull[] = [];
  points.forEach((point, i) => {
    const dx = targets[i].x - point.x;
    const dy = targets[i].y - point.y;
    const norm = Math.hypot(dx, dy);
    if (norm <= ROBUST_SETTLE_PX) return;
    const step = Math.min(1, norm) / (norm + 1e-7);
    let nearest = Infinity;
    points.forEach((o, j) => {
      if (j !== i) nearest = Math.min(nearest, Math.hypot(o.x - point.x, o.y - point.y));
    });
    const radius = Math.min(r1, Math.max(ROBUST_MIN_DISC_PX, DISC_SHARE * nearest));
    out.push({ point, shift: { x: dx * step, y: dy * step }, radius, weight: Math.min(norm, ROBUST_WEIGHT_CAP_PX) });
  });
  return out;
}

/**
 * The factor for lambda under robust pulls: their largest weight. The distance weights make a lagging handle's pull
 * up to ROBUST_WEIGHT_CAP_PX times the official one; the mask must hold against the strongest pull as the default
 * lambda holds against the official one (weight 1), or a masked robust drag would move the outside more.
 */
export function maskBalance(pulls: readonly Pull[]): number {
  return pulls.reduce((a, p) => Math.max(a, p.weight), 1);
}
