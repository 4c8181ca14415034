import {
  DRAG_SETTINGS,
  dragSettings,
  type DragDefaults,
  type DragHyperParameters,
  type ModelShape,
} from './dragSettings';

/** A setting's table default, cut to what the model allows. */
export function settingDefault(name: keyof typeof DRAG_SETTINGS, model: ModelShape): number | string | undefined {
  const s = DRAG_SETTINGS[name] as (typeof DRAG_SETTINGS)[keyof typeof DRAG_SETTINGS];
  if (!('default' in s)) return undefined;
  return 'modelMax' in s ? Math.min(s.default, s.modelMax(model)) : s.default;
}

/** What a model.json without a `draggan` section gets: the table's defaults, as model.json spells them. */
function modelJsonDefaults(): DragDefaults {
  const out: Record<string, unknown> = {};
  for (const [, s] of dragSettings()) if (s.modelJson !== undefined) out[s.modelJson] = s.default;
  return out as DragDefaults;
}

/**
 * The one table of defaults every host uses (CLI, server, panel, pages): the official DragGAN renderer's values
 * (from DRAG_SETTINGS), which a model's own `draggan` section overrides per model.
 */
export const DRAG_DEFAULTS = {
  /** What a model.json without a `draggan` section gets. */
  model: modelJsonDefaults() as Readonly<DragDefaults>,
  /** Truncation for a seed's latent (official GUI: 0.7). */
  psi: 0.7,
  seed: 0,
  /** GAN inversion steps for a photo. */
  invertSteps: 300,
  /** A panel preview every this many steps (rendering costs about a step). */
  previewEvery: 2,
  /**
   * How the panel and the pages play a drag's frames in a video or a frame animation (both are played in a loop):
   * eased, and forward then back (engine/frameTimeline.ts; the CLI's --ease and --loop).
   */
  ease: true,
  loop: true,
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

/**
 * Every setting's default for a model: its card's value (model.json `draggan`, already checked when the card was
 * read) where it has one, else the table's, cut to what the model allows. Optional settings stay unset.
 */
export function modelHyperParameters(draggan: DragDefaults, model: ModelShape): DragHyperParameters {
  const card = draggan as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, s] of dragSettings()) {
    if (s.optional) continue;
    out[name] =
      s.modelJson !== undefined && card[s.modelJson] !== undefined ? card[s.modelJson] : settingDefault(name, model);
  }
  return out as DragHyperParameters;
}
