import type { InvertOptions } from './types';

/**
 * The fast schedule's settings for a plan too short for the official projector's (a 512 px model on a CPU: a
 * minute is about 9 steps): a quarter of the steps in W, not half, but at least two, and W+ at twice the official
 * rate. In W+ each layer's w moves on its own, and on a short plan that is where the fit comes from; 0.05
 * overshoots at 512 px, and one W step (its image carries the latent noise) leaves W+ a poor start (4 steps: 18.5
 * against 20.8 dB). Measured at 512 px (FFHQ-shaped, random weights, seed 0, 9 steps, load 8-24): 21.78 dB at step
 * 7 against 19.21 dB after all 9 with the official settings; tiny64 (6 seeds) at least as high at every plan of 3
 * to 25 steps.
 */
export const SHORT_PLAN = {
  /**
   * Plans of `from` steps up to `below` take the settings below. At 4 steps (2 in W either way) the official W+
   * rate did as well: 20.84 dB against 20.73 at 0.02 (512 px, seed 0, load 4-7).
   */
  from: 5,
  below: 30,
  wFraction: 0.25,
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
