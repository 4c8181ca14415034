import { hostTensor, type HostTensor } from '../graph/tensor';
import { Adam } from '../drag/adam';
import type { Generator } from '../stylegan2/generator';
import { multiResolutionL2, multiResolutionL2Loss, TARGET_INPUT } from './pixelLoss';
import { psnr } from './psnr';
import { NormalRandom } from './random';
import { latentNoiseAt, learningRateAt } from './schedule';
import { searchStart } from './startSearch';
import { planSteps, type StepPlan } from './stepPlan';
import { areaDownsample } from './areaDownsample';
import { coarseFit } from './coarseFit';
import { blockResolutions, imageSize, isStyleGan3, widthAt, type GeneratorConfig } from '../stylegan2/config';
import type { InvertOptions, InvertStep } from './types';
import { wStatistics } from './wStatistics';
import { shortPlanSettings } from './shortPlan';
import { Lbfgs, LBFGS_MEMORY } from './lbfgs';

export const INVERT_DEFAULTS = {
  steps: 300,
  wFraction: 0.5,
  lr: 0.1,
  lrWPlus: 0.01,
  rampUp: 0.05,
  rampDown: 0.25,
  noiseFactor: 0.05,
  noiseRamp: 0.75,
  levels: 3,
  wAvgSamples: 512,
  startCandidates: 16,
  startPsi: 0.7,
  seed: 303,
  schedule: 'fast',
  searchResolution: 32,
  coarseResolution: 64,
  coarseShare: 0.4,
  coarseSteps: 30,
} as const;

export interface Projection {
  latent: HostTensor;
  image: HostTensor;
  psnr: number;
  steps: number;
  cancelled: boolean;
}

interface Best {
  ws: Float32Array;
  img: HostTensor;
  psnr: number;
}

/** Steps timed (after the first) before a time budget may re-fit the plan, and how many recent ones set the pace. */
const TIMED_STEPS = 3;
const PACE_WINDOW = 10;
/**
 * A step (the loss and its gradient in one run) costs about this many plain forward passes: the fast schedule's
 * first plan under a time budget. Measured at 512 px on the 2-core machine (load 9): 12 s against 4.2 s.
 */
const STEP_PER_PASS = 3;

/**
 * Projects a target image [1, 3, R, W] (W = R but in a portrait model) into W+, following the official StyleGAN2-ADA projector: start at w_avg
 * (or the best of a few sampled w), Adam with warm-up and cosine ramp-down, latent noise decaying to zero; first
 * one w for all layers (stays on the model's manifold), then every layer on its own (fits detail). The loss is a
 * pixel pyramid instead of VGG (no pretrained network here). Every step's image is scored and the best is
 * returned, so a cancel at any point leaves a usable result. `schedule: 'fast'` (the default) spends a short budget
 * differently and steps W+ by L-BFGS (see InvertSchedule); 'official' is the projector's plan as it is.
 */
export async function projectTarget(
  gen: Generator,
  target: HostTensor,
  options: InvertOptions = {},
): Promise<Projection> {
  const started = Date.now();
  // an option passed as undefined (a host forwarding what its user left unset) takes the default, not undefined
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as InvertOptions;
  const o = { ...INVERT_DEFAULTS, ...given };
  const res = gen.config.img_resolution;
  const { width } = imageSize(gen.config);
  if (target.shape.join() !== [1, 3, res, width].join())
    throw new Error(`target must be [1, 3, ${res}, ${width}], got [${target.shape.join(', ')}]`);
  if (!Number.isInteger(o.steps) || o.steps < 1)
    throw new Error(`steps must be a positive whole number, got ${o.steps}`);
  const wd = gen.config.w_dim;
  const n = gen.numWs;
  const rng = new NormalRandom(o.seed);
  // warm: from a latent of a neighbouring image (a clip's previous frame), straight into per-layer refinement
  const warm = o.startLatent;
  if (warm && warm.data.length !== n * wd)
    throw new Error(`startLatent must be [1, ${n}, ${wd}], got [${warm.shape.join(', ')}]`);
  let wFraction = warm ? 0 : o.wFraction;
  let lrWPlus = o.lrWPlus;
  const fast = o.schedule === 'fast';
  const stats = warm ? undefined : await wStatistics(gen, o.wAvgSamples, o.startCandidates, o.signal);
  const searchBlock = fast ? lowSearchBlock(gen.config, o.searchResolution) : undefined;
  const searchRes = searchBlock === undefined ? 0 : blockResolutions(gen.config)[searchBlock];
  const searchTarget =
    searchBlock === undefined ? target : areaDownsample(target, searchRes, widthAt(gen.config, searchRes));
  const start = warm
    ? warm.data.slice()
    : await searchStart(gen, searchTarget, stats!.mean, stats!.samples, o.startPsi, o.levels, o.signal, searchBlock);

  const lossGraph = multiResolutionL2Loss(o.levels);
  let plan: StepPlan = planSteps(o.steps, wFraction);
  let best: Best | undefined;
  let done = 0;
  /** Whether params has left the start (a coarse stage or a step): its image is then still to be scored. */
  let moved = false;
  let cancelled = false;
  let params: Float32Array = start.slice();
  let adam = new Adam(params.length, warm ? lrWPlus : o.lr);
  const wPlusOptimiser = o.wPlusOptimiser ?? (fast ? 'lbfgs' : 'adam');
  let lbfgs: Lbfgs | undefined;
  // when each step after the first began, for pacing against a time budget
  const stepStarts: number[] = [];
  let firstStepAt = started;
  /** The fast schedule's timed forward pass (the start's image): what the final image costs. */
  let passMs: number | undefined;
  // the latent fed to the generator this step: params (+ noise), broadcast to every row in the W phase
  const ws = new Float32Array(n * wd);
  // a coarse stage where the model is large enough for it to pay, and it is given time or steps
  const coarseBlock =
    fast && !warm && (o.timeBudgetSeconds === undefined ? o.coarseSteps > 0 : o.coarseShare > 0)
      ? lowSearchBlock(gen.config, o.coarseResolution, 4)
      : undefined;
  if (fast && !o.signal?.aborted) {
    // the start's own image, reported before the first step (at 512 px a step takes many seconds): a picture to
    // show at once, and what a cancel during the first step returns
    const first = perRowLatent(start, n, wd);
    const lookStarted = Date.now();
    const img = (await gen.synthesize(hostTensor([1, n, wd], first))).img;
    passMs = Date.now() - lookStarted;
    best = { ws: first, img, psnr: psnr(img, target) };
    // the fast schedule's coarse stage takes its share of the time left now; the full steps the rest
    const coarseMs =
      coarseBlock === undefined || o.timeBudgetSeconds === undefined
        ? undefined
        : o.coarseShare * (o.timeBudgetSeconds * 1000 - (Date.now() - started) - passMs);
    const fitPlan = (reserveMs: number) => {
      if (o.timeBudgetSeconds === undefined) return;
      // plan from the pass just timed, so even the first step's learning rate belongs to a plan that fits the
      // budget (none, when not even one step fits: the start is then the answer, in time)
      const perStep = STEP_PER_PASS * passMs!;
      const fit = Math.floor((o.timeBudgetSeconds * 1000 - (Date.now() - started) - passMs! - reserveMs) / perStep);
      plan = planSteps(Math.min(o.steps, Math.max(0, fit)), wFraction);
    };
    fitPlan(coarseMs ?? 0);
    // a plan too short for the official settings (decided once, before any step) spends more of it in W+
    const short = warm ? undefined : shortPlanSettings(plan.total, options);
    if (short) {
      ({ wFraction, lrWPlus } = short);
      plan = planSteps(plan.total, wFraction);
    }
    o.onStep?.({
      step: 0,
      total: plan.total,
      phase: wFraction > 0 ? 'w' : 'w+',
      loss: multiResolutionL2(img, target, o.levels).loss,
      psnr: best.psnr,
      bestPsnr: best.psnr,
      best: { latent: hostTensor([1, n, wd], first.slice()), image: img },
    });
    if (coarseBlock !== undefined && !o.signal?.aborted) {
      const coarse = await coarseFit(gen, coarseBlock, start, img, target, {
        ...o,
        wStd: stats!.std,
        rng,
        timeMs: coarseMs,
      });
      if (coarse.steps > 0) {
        params = coarse.w;
        moved = true;
      }
      fitPlan(0);
    }
  }

  for (let k = 0; k < plan.total; k++) {
    if (o.signal?.aborted) {
      cancelled = true;
      break;
    }
    const now = Date.now();
    if (k === 0) firstStepAt = now;
    else stepStarts.push(now);
    if (stepStarts.length > PACE_WINDOW + 1) stepStarts.shift();
    if ((k > TIMED_STEPS || (fast && k > 0)) && o.timeBudgetSeconds !== undefined) {
      // re-fit the plan to the budget at every step, from the last few steps' pace (a shared machine's speed drifts
      // both ways), keeping the final image's forward pass in hand (a step's worth, or the fast schedule's timed
      // pass: at 512 px a third of a step); the first step is not timed when others are: it
      // includes building the graphs. The fast schedule re-fits from the second step on (at 512 px a few steps are
      // the whole budget), pacing by the first step's time until a later one is known: an overestimate, the safe side.
      const perStep = stepStarts.length >= 2 ? (now - stepStarts[0]) / (stepStarts.length - 1) : now - firstStepAt;
      const left = o.timeBudgetSeconds * 1000 - (now - started) - (passMs ?? perStep);
      const fit = Math.min(o.steps, k + Math.max(0, Math.floor(left / perStep)));
      if (fit !== plan.total) plan = planSteps(fit, wFraction, k, plan);
      if (k >= plan.total) break;
    }
    const perRow = k >= plan.wSteps;
    if (perRow && params.length === wd) {
      params = repeatRows(params, n);
      adam = new Adam(params.length, lrWPlus);
    }
    const [phaseStart, phaseLength] = perRow ? [plan.wSteps, plan.total - plan.wSteps] : [0, plan.wSteps];
    const t = (k - phaseStart) / phaseLength;
    // warm-up counts this step as done, so the first step is not wasted at lr 0. That end-of-step rate is 0 at a
    // phase's last step: the fast schedule reads it at the step's middle where the phase is too short to resolve the
    // warm-up (under 1 / rampUp steps; at 512 px on a CPU a phase is a few steps, and a step wasted is many seconds)
    const middle = fast && phaseLength * o.rampUp < 1;
    adam.lr = learningRateAt(t + (middle ? 0.5 : 1) / phaseLength, perRow ? lrWPlus : o.lr, o.rampUp, o.rampDown);
    // W+ refines from a settled w: noise there would only undo the fit
    const sigma = perRow || !stats ? 0 : latentNoiseAt(t, stats.std, o.noiseFactor, o.noiseRamp);
    for (let r = 0; r < n; r++) ws.set(perRow ? params.subarray(r * wd, (r + 1) * wd) : params, r * wd);
    if (sigma > 0) {
      // one noise vector for the shared w, as the official projector adds it before broadcasting
      const noise = Float32Array.from({ length: wd }, () => sigma * rng.next());
      for (let r = 0; r < n; r++) for (let i = 0; i < wd; i++) ws[r * wd + i] += noise[i];
    }

    const { img, loss, grad } = await gen.imageLossGradient(hostTensor([1, n, wd], ws.slice()), lossGraph, {
      [TARGET_INPUT]: target,
    });
    const p = psnr(img, target);
    const previous = best;
    if (!best || p > best.psnr) best = { ws: ws.slice(), img, psnr: p };
    if (o.signal?.aborted) {
      // the image is scored (and kept if best), but the step is not taken
      cancelled = true;
      break;
    }
    if (perRow && wPlusOptimiser === 'lbfgs') {
      // its first step as long as Adam's first (lrWPlus per coordinate); it proposes the next point to score
      lbfgs ??= new Lbfgs(lrWPlus * Math.sqrt(params.length), LBFGS_MEMORY);
      params = lbfgs.next(params, loss, grad.data);
    } else adam.step(params, perRow ? grad.data : sumRows(grad.data, n, wd));
    done++;
    moved = true;
    const report: InvertStep = {
      step: done,
      total: plan.total,
      phase: perRow ? 'w+' : 'w',
      loss,
      psnr: p,
      bestPsnr: best.psnr,
    };
    if (best !== previous) report.best = { latent: hostTensor([1, n, wd], best.ws.slice()), image: best.img };
    o.onStep?.(report);
  }
  if (!best || (!cancelled && moved)) {
    // the last update has not been looked at yet (or nothing has: cancelled before the first step)
    const last = perRowLatent(moved ? params : start, n, wd);
    const img = (await gen.synthesize(hostTensor([1, n, wd], last))).img;
    const p = psnr(img, target);
    const previous = best;
    if (!best || p >= best.psnr) best = { ws: last, img, psnr: p };
    if (previous && p > previous.psnr) {
      // the last step's update (L-BFGS's is a real move, Adam's at a ramped-down rate next to none) is the result:
      // reported as the last step's, so the last best a host was shown is what it gets
      o.onStep?.({
        step: done,
        total: plan.total,
        phase: done > plan.wSteps ? 'w+' : 'w',
        loss: multiResolutionL2(img, target, o.levels).loss,
        psnr: p,
        bestPsnr: p,
        best: { latent: hostTensor([1, n, wd], last.slice()), image: img },
      });
    }
  }
  return { latent: hostTensor([1, n, wd], best.ws), image: best.img, psnr: best.psnr, steps: done, cancelled };
}

function repeatRows(w: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * w.length);
  for (let r = 0; r < n; r++) out.set(w, r * w.length);
  return out;
}

function perRowLatent(params: Float32Array, n: number, wd: number): Float32Array {
  return params.length === wd ? repeatRows(params, n) : params.slice();
}

function sumRows(g: Float32Array, n: number, wd: number): Float32Array {
  const out = new Float32Array(wd);
  for (let r = 0; r < n; r++) for (let i = 0; i < wd; i++) out[i] += g[r * wd + i];
  return out;
}

/**
 * The block whose running image scores the fast schedule's start candidates: the one at `resolution` px where that
 * is at most a sixteenth of the model's (a pass there costs about 1/50 of a full one at 512 px); none (the full
 * image) for smaller models, whose full passes are cheap.
 */
export function lowSearchBlock(cfg: GeneratorConfig, resolution: number, ratio = 16): number | undefined {
  // StyleGAN3 has no running image
  if (resolution * ratio > cfg.img_resolution || isStyleGan3(cfg)) return undefined;
  const k = blockResolutions(cfg).indexOf(resolution);
  return k < 0 ? undefined : k;
}
