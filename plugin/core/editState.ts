/**
 * The edit as plain data and the pure functions that change it: one implementation shared by the local
 * DragSession, the clients that run steps elsewhere (a worker, a remote endpoint) and the server that restores it.
 * Every function returns a new state and leaves its input alone, so a state that crossed a wire or a worker
 * boundary is as good as one that never left.
 */
import type { DragHyperParameters, ModelShape } from './dragSettings';
import type { HostTensor } from '../graph/tensor';
import { DragInputError } from './errors';
import { checkLimit, validateHyperParameters } from './limits';
import { settingProblem } from './settingProblem';
import type { HandleTarget, MaskInput, Point } from './types';

/** Adam's moments (float64, as the local optimiser keeps them) and its step count. */
export interface OptimiserState {
  m: Float64Array;
  v: Float64Array;
  t: number;
}

/** Where tracking started: the latent and handle positions the reference features were taken from. */
export interface TrackingAnchor {
  latent: Float32Array;
  handles: Point[];
}

/** Everything an edit is: enough for any replica of a stateless server, or a worker, to continue it exactly. */
export interface EditState {
  hp: DragHyperParameters;
  /** [1, num_ws, w_dim]: the latent the edit started from. */
  w0: HostTensor;
  /** The optimised rows (W+ mode) or the one shared w (W mode). */
  params: Float32Array;
  adam: OptimiserState;
  pairs: HandleTarget[];
  /** Handle positions as tracked so far. */
  tracked: Point[];
  steps: number;
  /** Set by the first step; the reference features are recomputed from it, never carried. */
  anchor?: TrackingAnchor;
  /** Fixed region (1 = keep), model resolution, row-major; absent = everything may change. */
  fixed?: Uint8Array;
}

/** The model facts the state functions need. */
export interface EditModel extends ModelShape {
  /** The image's height, the side the radii scale with (the official renderer's square canvas). */
  resolution: number;
  /** The image's width: `resolution` but for rectangular (StyleGAN-Human) generators, half of it. */
  width: number;
  wDim: number;
}

/**
 * The model facts of a generator with these sizes: its feature maps are `numBlocks` (StyleGAN3: one per layer), or
 * when unsaid StyleGAN2's synthesis blocks, 4 px, 8 px, ... resolution.
 */
export function editModelFor(m: {
  numWs: number;
  wDim: number;
  resolution: number;
  width?: number;
  numBlocks?: number;
}): EditModel {
  return {
    numWs: m.numWs,
    wDim: m.wDim,
    resolution: m.resolution,
    width: m.width ?? m.resolution,
    numBlocks: m.numBlocks ?? Math.log2(m.resolution) - 1,
  };
}

/** A latent's model when nothing else says it: num_ws = 2 log2(res) - 2 for the skip architecture. */
export function editModelOfLatent(w0: HostTensor): EditModel {
  if (w0.shape.length !== 3 || w0.shape[0] !== 1)
    throw new DragInputError(`the latent has shape [${w0.shape.join(', ')}]; a W+ latent is [1, num_ws, w_dim]`);
  return editModelFor({ numWs: w0.shape[1], wDim: w0.shape[2], resolution: 2 ** ((w0.shape[1] + 2) / 2) });
}

function initialParams(w0: HostTensor, hp: DragHyperParameters): Float32Array {
  const wd = w0.shape[2];
  // W mode optimises one w (the first row); W+ mode the leading rows independently.
  return w0.data.slice(0, (hp.mode === 'w' ? 1 : hp.optimisedRows) * wd);
}

function freshOptimiser(size: number): OptimiserState {
  return { m: new Float64Array(size), v: new Float64Array(size), t: 0 };
}

function checkLatent(w0: HostTensor, model: EditModel): void {
  if (w0.shape.length !== 3 || w0.shape[0] !== 1 || w0.shape[1] !== model.numWs || w0.shape[2] !== model.wDim) {
    throw new DragInputError(
      `the latent has shape [${w0.shape.join(', ')}]; this model needs [1, ${model.numWs}, ${model.wDim}]`,
    );
  }
  if (w0.data.length !== model.numWs * model.wDim)
    throw new DragInputError(`the latent has ${w0.data.length} values; its shape needs ${model.numWs * model.wDim}`);
}

/** A new edit on a latent: the optimised rows start at w0, the optimiser at zero, no points yet. */
export function newEditState(w0: HostTensor, hp: DragHyperParameters, model: EditModel): EditState {
  checkLatent(w0, model);
  validateHyperParameters(hp, model);
  const params = initialParams(w0, hp);
  return {
    hp: { ...hp },
    w0: { shape: [...w0.shape], data: w0.data.slice() },
    params,
    adam: freshOptimiser(params.length),
    pairs: [],
    tracked: [],
    steps: 0,
  };
}

function checkPoint(p: Point, what: string, res: number, width: number): void {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y))
    throw new DragInputError(`${what} has a non-finite coordinate (${p.x}, ${p.y}); give numbers in pixels`);
  if (p.x < 0 || p.y < 0 || p.x > width - 1 || p.y > res - 1) {
    const within =
      width === res
        ? `x and y must be within 0..${res - 1} at the model's ${res} px resolution`
        : `x must be within 0..${width - 1} and y within 0..${res - 1} in the model's ${width} x ${res} px image`;
    throw new DragInputError(`${what} (${p.x}, ${p.y}) is outside the image: ${within}`);
  }
}

/** Rejects points the drag loop cannot use, with a message that says what to change. */
export function validatePairs(pairs: readonly HandleTarget[], res: number, width = res): void {
  if (pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
  checkLimit('points', pairs.length);
  pairs.forEach((p, i) => {
    checkPoint(p.handle, `handle ${i + 1}`, res, width);
    checkPoint(p.target, `target ${i + 1}`, res, width);
  });
}

const copyPoint = (p: Point): Point => ({ x: p.x, y: p.y });
const copyPairs = (pairs: readonly HandleTarget[]): HandleTarget[] =>
  pairs.map((p) => ({ handle: copyPoint(p.handle), target: copyPoint(p.target) }));

/** New handle -> target pairs: handles snap to whole pixels and are tracked from here on with fresh references. */
export function withPairs(s: EditState, pairs: readonly HandleTarget[], model: EditModel): EditState {
  validatePairs(pairs, model.resolution, model.width);
  const next = pairs.map((p) => ({
    handle: { x: Math.round(p.handle.x), y: Math.round(p.handle.y) },
    target: copyPoint(p.target),
  }));
  return { ...s, pairs: next, tracked: next.map((p) => copyPoint(p.handle)), anchor: undefined };
}

/** Moves only the targets; the handles keep their tracked positions and references. */
export function withTargets(s: EditState, targets: readonly Point[], model: EditModel): EditState {
  if (targets.length !== s.pairs.length)
    throw new DragInputError(`expected ${s.pairs.length} targets, got ${targets.length}`);
  validatePairs(
    targets.map((t, i) => ({ handle: s.tracked[i], target: t })),
    model.resolution,
    model.width,
  );
  return { ...s, pairs: s.pairs.map((p, i) => ({ handle: p.handle, target: copyPoint(targets[i]) })) };
}

/** A flexible-region mask must cover the model's image exactly; returns the fixed region (1 = keep). */
export function fixedRegionOf(mask: MaskInput, res: number, width = res): Uint8Array | undefined {
  if (mask.width !== width || mask.height !== res) {
    throw new DragInputError(
      `the mask is ${mask.width}x${mask.height} but the model's image is ${width}x${res}; resize the mask to match`,
    );
  }
  if (mask.data.length !== width * res)
    throw new DragInputError(`the mask has ${mask.data.length} values; expected ${width * res}`);
  const fixed = new Uint8Array(width * res);
  let anyFixed = false;
  let anyFlexible = false;
  for (let i = 0; i < fixed.length; i++) {
    const flexible = mask.data[i] > 0.5;
    fixed[i] = flexible ? 0 : 1;
    anyFixed ||= !flexible;
    anyFlexible ||= flexible;
  }
  // As in the official renderer, a mask that is all flexible or all fixed constrains nothing.
  return anyFixed && anyFlexible ? fixed : undefined;
}

/** The flexible region (1 = may change) at the model's resolution; null removes it. */
export function withMask(s: EditState, mask: MaskInput | null, model: EditModel): EditState {
  return { ...s, fixed: mask ? fixedRegionOf(mask, model.resolution, model.width) : undefined };
}

export function withLearningRate(s: EditState, lr: number, model: EditModel): EditState {
  const problem = settingProblem('lr', lr, model);
  if (problem) throw new DragInputError(problem);
  return { ...s, hp: { ...s.hp, lr } };
}

/** Back to the starting latent and the original handle positions; the optimiser starts afresh. */
export function resetEdit(s: EditState): EditState {
  const params = initialParams(s.w0, s.hp);
  return {
    ...s,
    params,
    adam: freshOptimiser(params.length),
    tracked: s.pairs.map((p) => copyPoint(p.handle)),
    anchor: undefined,
    steps: 0,
  };
}

/** The full W+ latent [1, num_ws, w_dim] the optimisation is at. */
export function latentOf(s: EditState): HostTensor {
  const wd = s.w0.shape[2];
  const out = s.w0.data.slice();
  const shared = s.hp.mode === 'w';
  for (let r = 0; r < s.hp.optimisedRows; r++)
    out.set(s.params.subarray(shared ? 0 : r * wd, (shared ? 1 : r + 1) * wd), r * wd);
  return { shape: [...s.w0.shape], data: out };
}

/**
 * How close the robust method draws a handle onto its target (plugin/drag/robustSupervision.ts). Its tracker is
 * sub-pixel, so with up to 5 points it stops there rather than at the official 1 px: on a move of a few pixels (a
 * preset on a 128 px face: 3 px) 1 px short is a third of the way left undone.
 */
export const ROBUST_SETTLE_PX = 0.5;

/**
 * The distance at which a handle counts as arrived: the official 1 px for up to 5 points (the robust method's
 * ROBUST_SETTLE_PX), else 2.
 */
export function stopDistanceOf(s: EditState): number {
  if (s.hp.stopDistance !== undefined) return s.hp.stopDistance;
  if (s.pairs.length > 5) return 2;
  return s.hp.method === 'robust' ? ROBUST_SETTLE_PX : 1;
}

export function allArrived(s: EditState, points: readonly Point[]): boolean {
  const d = stopDistanceOf(s);
  return points.every((p, i) => Math.hypot(s.pairs[i].target.x - p.x, s.pairs[i].target.y - p.y) <= d);
}

/** A deep copy: nothing of the result aliases the input. */
export function copyEditState(s: EditState): EditState {
  return {
    hp: { ...s.hp },
    w0: { shape: [...s.w0.shape], data: s.w0.data.slice() },
    params: s.params.slice(),
    adam: { m: s.adam.m.slice(), v: s.adam.v.slice(), t: s.adam.t },
    pairs: copyPairs(s.pairs),
    tracked: s.tracked.map(copyPoint),
    steps: s.steps,
    anchor: s.anchor && { latent: s.anchor.latent.slice(), handles: s.anchor.handles.map(copyPoint) },
    fixed: s.fixed?.slice(),
  };
}

/**
 * Checks that a state's parts fit together and fit the model it will run on. Its hyper-parameters are not checked
 * again: they were checked once where they entered (newEditState, or the wire's decoder for a request).
 */
export function checkEditState(s: EditState, model: EditModel): void {
  checkLatent(s.w0, model);
  const size = initialParams(s.w0, s.hp).length;
  if (s.params.length !== size)
    throw new DragInputError(`the state's latent has ${s.params.length} values; this model and mode need ${size}`);
  if (s.adam.m.length !== s.params.length || s.adam.v.length !== s.params.length)
    throw new DragInputError('the optimiser state does not match the latent');
  if (!Number.isInteger(s.adam.t) || s.adam.t < 0 || !Number.isInteger(s.steps) || s.steps < 0)
    throw new DragInputError('the step counts must be whole numbers of at least 0');
  if (s.tracked.length !== s.pairs.length)
    throw new DragInputError('the state has a different number of tracked points and pairs');
  const res = model.resolution;
  if (s.fixed && s.fixed.length !== res * model.width)
    throw new DragInputError(`the state's mask has ${s.fixed.length} values; expected ${res * model.width}`);
  if (s.anchor && (s.anchor.latent.length !== s.w0.data.length || s.anchor.handles.length !== s.pairs.length)) {
    throw new DragInputError('the tracking anchor does not match the latent or the points');
  }
  if (s.pairs.length) {
    validatePairs(s.pairs, res, model.width);
    validatePairs(
      s.tracked.map((t, i) => ({ handle: t, target: s.pairs[i].target })),
      res,
      model.width,
    );
  }
}
