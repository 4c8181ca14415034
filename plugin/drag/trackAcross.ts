import type { HostTensor } from '../graph/tensor';
import type { Point } from '../core/types';
import type { Generator } from '../stylegan2/generator';
import { blockGeometry } from './dragPlan';
import { referenceFeature, trackPoint } from './tracking';

/**
 * Carries points from one latent's image to another's with the model's own features, as DragGAN tracks a handle
 * between steps: each point's feature (block featureIdx) in the first image, found again in the second as the
 * nearest feature within `radius` image pixels of `near` (the points themselves unless given). Used across a clip's
 * frames, where the same content moves a little from frame to frame.
 */
export async function trackAcross(
  gen: Generator,
  featureIdx: number,
  from: HostTensor,
  points: readonly Point[],
  to: HostTensor,
  radius: number,
  near: readonly Point[] = points,
): Promise<Point[]> {
  const geo = blockGeometry(gen.config, featureIdx);
  const [f0, f1] = [(await gen.features(from, featureIdx)).data, (await gen.features(to, featureIdx)).data];
  return points.map((p, i) =>
    trackPoint(geo, f1, referenceFeature(geo, f0, p), { x: Math.round(near[i].x), y: Math.round(near[i].y) }, radius),
  );
}
