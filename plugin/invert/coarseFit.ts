import { Adam } from '../drag/adam';
import { hostTensor, type HostTensor } from '../graph/tensor';
import { blockResolutions, widthAt } from '../stylegan2/config';
import type { Generator } from '../stylegan2/generator';
import { areaDownsample } from './areaDownsample';
import { multiResolutionL2Loss, TARGET_INPUT } from './pixelLoss';
import { psnr } from './psnr';
import type { NormalRandom } from './random';
import { latentNoiseAt, learningRateAt } from './schedule';

/**
 * How close (PSNR, dB) the low block's running image must be to the downscaled full image for the stage to run.
 * Measured at the start of seeds 2 and 3: the trained 128 px bundled model 15.5-17.7 dB at 16 and 32 px (where 20
 * coarse steps at lr 0.1 gain 2.3-3.6 dB); random-weight models (tiny64, tiny128, ffhq512) -7.8 to 5.2 dB (where the
 * stage loses up to 6 dB).
 */
export const COARSE_AGREEMENT_DB = 10;

export interface CoarseFitOptions {
  /** Steps when there is no time limit. */
  coarseSteps: number;
  /** Time for the stage; undefined: coarseSteps steps. */
  timeMs?: number;
  lr: number;
  rampUp: number;
  rampDown: number;
  noiseFactor: number;
  noiseRamp: number;
  wStd: number;
  rng: NormalRandom;
  levels: number;
  signal?: AbortSignal;
}

/**
 * The fast schedule's coarse stage: one shared w fitted to the target at a low block's resolution, where a step
 * (loss and gradient, the graph stopping at that block) costs a small part of a full one (at 512 px, 64 px: ~1/16).
 * The running image there is not the downscaled final image (the later blocks' ToRGB outputs add to it; in a random
 * model they dominate), so the stage fits running(w) + offset, the offset being what the later blocks added at the
 * start (down(full(start)) - running(start)): the low frequencies of the full image to first order. That holds
 * where the running image already resembles the downscaled one (COARSE_AGREEMENT_DB); elsewhere no step is taken.
 * Returns the fitted w and the steps taken; the caller scores it with a full pass.
 */
export async function coarseFit(
  gen: Generator,
  block: number,
  start: Float32Array,
  startImage: HostTensor,
  target: HostTensor,
  o: CoarseFitOptions,
): Promise<{ w: Float32Array; steps: number }> {
  const began = Date.now();
  if (o.timeMs !== undefined && o.timeMs <= 0) return { w: start.slice(), steps: 0 };
  const n = gen.numWs;
  const wd = gen.config.w_dim;
  const res = blockResolutions(gen.config)[block];
  const width = widthAt(gen.config, res);
  const broadcast = (w: Float32Array) => {
    const ws = new Float32Array(n * wd);
    for (let r = 0; r < n; r++) ws.set(w, r * wd);
    return hostTensor([1, n, wd], ws);
  };
  const running = (await gen.synthesize(broadcast(start), { imageBlock: block })).img;
  const low = areaDownsample(startImage, res, width);
  const aim = areaDownsample(target, res, width);
  // where the later blocks redraw the image (a random model's do: 1-6 dB against the downscaled image, where a trained
  // one's running image is within 15-18 dB of it), a fit at the low block fits the wrong picture: no stage
  if (psnr(running, low) < COARSE_AGREEMENT_DB) return { w: start.slice(), steps: 0 };
  const coarseTarget = hostTensor(
    aim.shape,
    aim.data.map((v, i) => v - (low.data[i] - running.data[i])),
  );
  const loss = multiResolutionL2Loss(o.levels);
  const w = start.slice();
  const adam = new Adam(wd, o.lr);
  let total = o.timeMs === undefined ? o.coarseSteps : Infinity;
  let k = 0;
  for (; k < total; k++) {
    if (o.signal?.aborted) break;
    // t = 0 until the first step has set the pace of a timed stage
    const t = Number.isFinite(total) ? k / total : 0;
    const sigma = latentNoiseAt(t, o.wStd, o.noiseFactor, o.noiseRamp);
    const noisy = Float32Array.from(w, (v) => v + (sigma > 0 ? sigma * o.rng.next() : 0));
    const { grad } = await gen.imageLossGradient(broadcast(noisy), loss, { [TARGET_INPUT]: coarseTarget }, block);
    if (o.timeMs !== undefined) {
      // pace by the mean step so far (the first may include building the graph: the safe side)
      const pace = (Date.now() - began) / (k + 1);
      total = k + 1 + Math.max(0, Math.floor((o.timeMs - (Date.now() - began)) / pace));
    }
    // a short stage cannot resolve the warm-up: read the rate at the step's middle (as the fast schedule does)
    const middle = total * o.rampUp < 1;
    adam.lr = learningRateAt(k / total + (middle ? 0.5 : 1) / total, o.lr, o.rampUp, o.rampDown);
    const g = new Float32Array(wd);
    for (let r = 0; r < n; r++) for (let i = 0; i < wd; i++) g[i] += grad.data[r * wd + i];
    adam.step(w, g);
  }
  return { w, steps: k };
}
