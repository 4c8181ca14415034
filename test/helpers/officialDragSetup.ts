/**
 * How the official DragGAN renderer ran the drags our reference recipes recorded (models/recipes): its points, given
 * as [row, column], and its settings: lambda 20, the first 6 W+ rows optimised, no early stop, 10 steps.
 */
import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import type { HandleTarget } from '../../plugin/core/types';

type Yx = readonly number[];

/** The recipe's handle -> target pairs in x = column, y = row. */
export function officialPairs(meta: { handles: readonly Yx[]; targets: readonly Yx[] }): HandleTarget[] {
  return meta.handles.map(([hy, hx], i) => ({
    handle: { x: hx, y: hy },
    target: { x: meta.targets[i][1], y: meta.targets[i][0] },
  }));
}

/** The renderer's settings with the recipe's learning rate, radii and feature block (and any other change). */
export function officialSettings(
  own: Pick<DragHyperParameters, 'lr' | 'r1' | 'r2' | 'featureIdx'> & Partial<DragHyperParameters>,
): DragHyperParameters {
  return { lambda: 20, optimisedRows: 6, mode: 'w+', maxSteps: 10, stopDistance: 0, ...own };
}
