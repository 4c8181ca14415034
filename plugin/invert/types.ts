import type { CropBox } from '../codecs/image8';
import type { HostTensor } from '../graph/tensor';

/** One optimisation step as reported to the host. */
export interface InvertStep {
  /** 1-based step number, out of `total`; 0 for the fast schedule's report of the start's image, before any step. */
  step: number;
  total: number;
  /** 'w': one w shared by every layer; 'w+': each layer's w on its own. */
  phase: 'w' | 'w+';
  /** The multi-resolution pixel loss at this step's latent. */
  loss: number;
  /** PSNR (dB) of this step's image against the target. */
  psnr: number;
  /** The best PSNR so far (what a cancel now would return). */
  bestPsnr: number;
  /** Present when this step found a new best: its latent and image, what a cancel now would return. */
  best?: { latent: HostTensor; image: HostTensor };
}

/**
 * 'official': the StyleGAN2-ADA projector's plan. 'fast': the same steps, made to pay where a full pass is dear (a
 * 512 px model on a CPU, where the official plan has time for a handful of steps): the start candidates scored on a
 * low block's running image, the start's image reported at once (a first picture within seconds), no step
 * spent at a learning rate of zero at the end of a phase, a plan of 5 to 29 steps spent mostly in W+
 * (shortPlan.ts), and W+ stepped by L-BFGS instead of Adam (lbfgs.ts).
 */
export type InvertSchedule = 'official' | 'fast';

/**
 * How the W+ phase steps: 'adam' (the official projector's, with its learning-rate ramps) or 'lbfgs' (curvature from
 * the last steps, backtracking when a step does not lower the loss: far more per step where steps are few; the fast
 * schedule's).
 */
export type WPlusOptimiser = 'adam' | 'lbfgs';

export const INVERT_SCHEDULES: readonly InvertSchedule[] = ['official', 'fast'];

export interface InvertOptions {
  /** Which plan (default 'fast': L-BFGS fits far better in the same steps, see lbfgs.ts). */
  schedule?: InvertSchedule;
  /**
   * 'fast' schedule: the start candidates are scored on the running image at this many px (default 32) where that
   * is at most a sixteenth of the model's resolution (512 px and up); elsewhere on the full image.
   */
  searchResolution?: number;
  /**
   * 'fast' schedule: first fit one w on the running image at this many px (default 64) where that is at most a
   * quarter of the model's resolution (see coarseFit.ts), for `coarseShare` of a time budget (default 0.4) or
   * `coarseSteps` steps (default 30) without one.
   */
  coarseResolution?: number;
  coarseShare?: number;
  coarseSteps?: number;
  /** Total steps, W and W+ phases together (default 300). */
  steps?: number;
  /** Share of the steps spent in W before refining in W+ (default 0.5, the fast schedule's short plans 0.25; 1 = W only). */
  wFraction?: number;
  /** Peak learning rate in W (official projector: 0.1). */
  lr?: number;
  /**
   * Peak learning rate in W+, smaller: W+ fits fast and drifts off the model's manifold if pushed (the fast
   * schedule's short plans: 0.02). With L-BFGS: the size of its first step per coordinate (later steps are sized by the
   * curvature it measures).
   */
  lrWPlus?: number;
  /** W+ phase optimiser (default: 'lbfgs' in the fast schedule, 'adam' in the official one). */
  wPlusOptimiser?: WPlusOptimiser;
  /** Learning-rate warm-up and ramp-down, as shares of each phase (official: 0.05 and 0.25). */
  rampUp?: number;
  rampDown?: number;
  /** Latent noise at the start, as a share of w_std, and where it reaches zero (official: 0.05, 0.75). */
  noiseFactor?: number;
  noiseRamp?: number;
  /** Levels of the pixel loss pyramid (default 3: R, R/2, R/4). */
  levels?: number;
  /** Seeds for measuring w_avg and w_std (default 512). */
  wAvgSamples?: number;
  /** Sampled w tried as starting points besides w_avg (default 16), each pulled toward w_avg by startPsi (0.7). */
  startCandidates?: number;
  startPsi?: number;
  /** Seed of the latent noise (default 303, the official projector's). */
  seed?: number;
  /**
   * A W+ latent [1, num_ws, w_dim] of a neighbouring image (a clip's previous frame) to start from: no start search
   * and no W phase, every step refines per layer. Far fewer steps then reach the same fit.
   */
  startLatent?: HostTensor;
  /**
   * Wall-clock budget for the whole projection: after a few steps are timed, the plan is shortened (schedules
   * re-fitted) so the run ends in time. Undefined = run every step.
   */
  timeBudgetSeconds?: number;
  signal?: AbortSignal;
  onStep?(report: InvertStep): void;
}

export interface InvertResult {
  /** The best W+ latent found, [1, num_ws, w_dim]: hand it to a DragSession. */
  latent: HostTensor;
  /** Its image [1, 3, R, R] in [-1, 1]. */
  image: HostTensor;
  /** The target it was fitted to [1, 3, R, R] (the cropped, resized input). */
  target: HostTensor;
  /** Where the target was cut from the input image. */
  crop: CropBox;
  psnr: number;
  /** Steps completed. */
  steps: number;
  /** True when the signal stopped it early; the result is still the best so far. */
  cancelled: boolean;
}
