/**
 * Points placed in Photoshop: colour samplers taken in order as handle, target, handle, target ...; and pen paths,
 * where each subpath of exactly two anchors is one handle -> target. Positions are document pixels.
 *
 * Units: ColorSampler.position is documented "in pixels" (ps-reference/classes/colorsampler.md). PathPoint.anchor has
 * no documented unit (classes/pathpoint.md); it is read as pixels, the unit of every UXP DOM coordinate that has one
 * (Guide.coordinate "in pixels", fixed in 24.0 for documents not at 72 ppi; PathItem feather and stroke source), where
 * ExtendScript used points. docs/photoshop.md says how to settle it in Photoshop (finding 5).
 */
import type { Document } from 'photoshop/dom/Document';
import type { HandleTarget, Point } from '../../core/types';

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
