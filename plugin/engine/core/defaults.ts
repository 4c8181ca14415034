import type { DragHyperParameters } from './types';

/** A model's DragGAN defaults as its model.json carries them (the `draggan` section). */
export interface DragDefaults {
  /** Synthesis block whose output is the DragGAN feature map (5 = the 128x128 block). */
  feature_idx: number;
  lr: number;
  /** Radii at 512 px; scaled to the model's resolution at run time. */
  r1: number;
  r2: number;
  lambda: number;
}

/**
 * The one table of defaults every host uses (CLI, server, panel, pages): the official DragGAN renderer's values,
 * which a model's own `draggan` section overrides per model.
 */
export const DRAG_DEFAULTS = {
  /** What a model.json without a `draggan` section gets. */
  model: { feature_idx: 5, lr: 0.001, r1: 3, r2: 12, lambda: 20 } as Readonly<DragDefaults>,
  /** Leading W+ rows optimised (official: 6; fewer where the model has fewer). */
  optimisedRows: 6,
  /** Step cap (the paper's evaluation uses 300). */
  maxSteps: 300,
  mode: 'w+' as DragHyperParameters['mode'],
  /** Truncation for a seed's latent (official GUI: 0.7). */
  psi: 0.7,
  seed: 0,
  /** GAN inversion steps for a photo. */
  invertSteps: 300,
  /** A panel preview every this many steps (rendering costs about a step). */
  previewEvery: 2,
} as const;

/**
 * The mask weight for a model whose card gives r1 but no lambda. The fixed-region term is a mean over the whole
 * image and motion supervision a mean over the r1 disc; a wider disc moves a larger share of the image, which a
 * hold as strong as the official one freezes (on the bundled model, r1 64 at lambda 20, a masked drag did not
 * move). So lambda falls with the radius from the official pair (r1 3 at 512 px, lambda 20) as (3 / r1)^(2/3):
 * 2.6 at r1 64, next to the 3 the landmark benchmark's masked variant validated there (docs/landmark-benchmark.md).
 */
export function defaultLambda(r1: number): number {
  const d = DRAG_DEFAULTS.model;
  return d.lambda * (d.r1 / Math.max(r1, d.r1)) ** (2 / 3);
}

/** The hyper-parameters a model's card recommends, with any overrides (check them with validateHyperParameters). */
export function hyperParametersFor(model: { draggan: DragDefaults; numWs: number }, overrides: Partial<DragHyperParameters> = {}): DragHyperParameters {
  const d = model.draggan;
  return {
    lr: d.lr,
    r1: d.r1,
    r2: d.r2,
    lambda: d.lambda,
    featureIdx: d.feature_idx,
    optimisedRows: Math.min(DRAG_DEFAULTS.optimisedRows, model.numWs),
    mode: DRAG_DEFAULTS.mode,
    maxSteps: DRAG_DEFAULTS.maxSteps,
    ...overrides,
  };
}
