/**
 * Points placed in Photoshop: colour samplers taken in order as handle, target, handle, target ...; and pen paths,
 * where each subpath of exactly two anchors is one handle -> target. Positions are document pixels.
 */
import type { Document } from 'photoshop/dom/Document';
import type { HandleTarget, Point } from '../../engine/core/types';

export function pairsFromSamplers(doc: Document): HandleTarget[] {
  const pts: Point[] = [];
  for (const s of doc.colorSamplers) pts.push({ x: s.position.x, y: s.position.y });
  const pairs: HandleTarget[] = [];
  for (let i = 0; i + 1 < pts.length; i += 2) pairs.push({ handle: pts[i], target: pts[i + 1] });
  return pairs;
}

export function pairsFromPaths(doc: Document): HandleTarget[] {
  const pairs: HandleTarget[] = [];
  for (const path of doc.pathItems) {
    for (const sub of path.subPathItems) {
      if (sub.pathPoints.length !== 2) continue;
      const [a, b] = [sub.pathPoints[0].anchor, sub.pathPoints[1].anchor];
      pairs.push({ handle: { x: a[0], y: a[1] }, target: { x: b[0], y: b[1] } });
    }
  }
  return pairs;
}
