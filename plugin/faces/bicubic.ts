/**
 * Keys' cubic convolution weights (a = -0.5, Catmull-Rom) for the four taps around a sample at fraction t in [0, 1):
 * t = 0 gives exactly (0, 1, 0, 0), the pixel itself.
 */
export function cubicWeights(t: number, w: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  w[0] = -0.5 * t3 + t2 - 0.5 * t;
  w[1] = 1.5 * t3 - 2.5 * t2 + 1;
  w[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  w[3] = 0.5 * t3 - 0.5 * t2;
}
