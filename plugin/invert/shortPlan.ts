import type { InvertOptions } from './types';

/**
 * The fast schedule's settings for a plan too short for the official projector's split (a 512 px model on a CPU: a
 * minute is about 30 steps): a tenth of the steps in W, not half, but at least two, and W+ (L-BFGS) starting with a
 * step twice the official rate. In W+ each layer's w moves on its own, and L-BFGS fits far more per step there than
 * Adam in W; one W step (its image carries the latent noise) leaves W+ a poor start (4 steps: 18.5 against 20.8 dB).
 * Measured with L-BFGS (stop 33): 512 px FFHQ-shaped random weights, seed 0, 30 steps: W share 0.5 25.54 dB, 0.25
 * 26.64, 0.1 27.48; tiny64 and the bundled model (seeds 2, 3, 5), 30 and 100 steps: 0.1 and 0.25 above 0.5 by 1-6
 * dB (0.1 best on average); at 300 steps tiny64 (random weights) liked 0.5 better (45-52 against 38-48 dB) while the
 * trained bundled model still liked 0.1 (41.6-57.7 against 40.6-56.9): hence short plans end below 200 steps.
 */
export const SHORT_PLAN = {
  /**
   * Plans of `from` steps up to `below` take the settings below. At 4 steps (2 in W either way) the official W+
   * rate did as well: 20.84 dB against 20.73 at 0.02 (512 px, seed 0, load 4-7).
   */
  from: 5,
  below: 200,
  wFraction: 0.1,
  minWSteps: 2,
  lrWPlus: 0.02,
} as const;

/**
 * What a plan of `total` steps uses for its W share and W+ rate: SHORT_PLAN's where the plan is short, except where
 * the caller chose a value itself; undefined where the plan is not short (the defaults stand).
 */
export function shortPlanSettings(
  total: number,
  given: Pick<InvertOptions, 'wFraction' | 'lrWPlus'>,
): { wFraction: number; lrWPlus: number } | undefined {
  if (total < SHORT_PLAN.from || total >= SHORT_PLAN.below) return undefined;
  const wFraction = Math.max(SHORT_PLAN.wFraction, SHORT_PLAN.minWSteps / Math.max(1, total));
  return { wFraction: given.wFraction ?? wFraction, lrWPlus: given.lrWPlus ?? SHORT_PLAN.lrWPlus };
}
