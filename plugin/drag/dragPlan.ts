import type { Point } from '../core/types';
import type { DragHyperParameters } from '../core/dragSettings';
import { featureShapes, imageSize, type GeneratorConfig } from '../stylegan2/config';
import type { FeatureWindowRequest } from '../stylegan2/featureWindows';
import type { Generator } from '../stylegan2/generator';
import { FeatureGeometry } from './bilinear';
import { lossSupport } from './lossSupport';
import { scaledRadius } from './radii';
import { ROBUST_REACH_PX, robustTrackingBlock } from './robustTracking';

/** A synthesis block's feature map against the image: what the loss and the tracker index with. */
export function blockGeometry(cfg: GeneratorConfig, block: number): FeatureGeometry {
  const { width, height } = imageSize(cfg);
  const f = featureShapes(cfg)[block];
  return new FeatureGeometry(f.channels, f.height, f.width, height, width);
}

/** The block the tracker reads: the feature block, or for 'robust' a finer one. */
export function trackingBlockFor(cfg: GeneratorConfig, hp: DragHyperParameters): number {
  return hp.method === 'robust' ? robustTrackingBlock(cfg, hp.featureIdx) : hp.featureIdx;
}

/**
 * What a drag step reads of the feature map: without a mask, only windows near the handles (exactly; see
 * lossSupport.ts); with one, the whole map (undefined).
 */
export function dragWindows(
  geo: FeatureGeometry,
  hp: DragHyperParameters,
  handles: readonly Point[],
  masked: boolean,
): FeatureWindowRequest | undefined {
  if (masked) return undefined;
  const r1 = scaledRadius(hp.r1, geo.h);
  const r2 = scaledRadius(hp.r2, geo.h);
  // the robust tracker's patch reaches further than a small r2: the windows must hold what it reads
  const reach = hp.method === 'robust' ? Math.max(r2, ROBUST_REACH_PX) : r2;
  return lossSupport(geo, handles, r1, reach);
}

/**
 * Builds ahead the sessions a drag's steps will run for this many handles (their places do not matter) with or
 * without a mask, so that its first step costs what the others do. A host calls it while the user places points.
 */
export async function prepareDragStep(
  gen: Generator,
  hp: DragHyperParameters,
  handles: readonly Point[],
  masked: boolean,
): Promise<void> {
  if (handles.length === 0) return;
  const windows = dragWindows(blockGeometry(gen.config, hp.featureIdx), hp, handles, masked);
  await gen.prepareFeatureStep(hp.optimisedRows, hp.featureIdx, windows, trackingBlockFor(gen.config, hp));
}
