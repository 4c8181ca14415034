/**
 * The official StyleGAN2-ADA projector's schedules, as functions of the phase's progress t in [0, 1).
 * Learning rate: linear warm-up over the first `rampUp`, cosine ramp-down over the last `rampDown`.
 */
export function learningRateAt(t: number, base: number, rampUp: number, rampDown: number): number {
  const down = 0.5 - 0.5 * Math.cos(Math.min(1, (1 - t) / rampDown) * Math.PI);
  const up = rampUp > 0 ? Math.min(1, t / rampUp) : 1;
  return base * down * up;
}

/**
 * Standard deviation of the noise added to the latent: starts at `factor` of the spread of W and decays
 * quadratically to zero at `rampLength`, so early steps explore and late steps settle.
 */
export function latentNoiseAt(t: number, wStd: number, factor: number, rampLength: number): number {
  return wStd * factor * Math.max(0, 1 - t / rampLength) ** 2;
}
