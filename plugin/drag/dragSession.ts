import type { HostTensor } from '../graph/tensor';
import { blockResolutions, channelsAt } from '../stylegan2/config';
import type { FeaturePath, Generator } from '../stylegan2/generator';
import { Adam, type AdamState } from './adam';
import { FeatureGeometry } from './bilinear';
import { fixedRegionLoss } from './fixedRegionLoss';
import { lossSupport } from './lossSupport';
import { MotionSupervision } from './motionSupervision';
import type { PreviewBudget } from './previewBudget';
import { scaledRadius } from './radii';
import { referenceFeature, trackPoint } from './tracking';
import { DragInputError, type DragHyperParameters, type HandleTarget, type Point, type StepReport, type StopReason } from './types';
import { fixedRegionOf, validateHyperParameters, validatePairs } from './validation';

export interface RunOptions {
  signal?: AbortSignal;
  /** Steps to run in this call at most (the session's maxSteps caps the total). */
  steps?: number;
  onStep?(report: StepReport): void;
  /** Called with a rendered image every `previewEvery` steps (or when `previewBudget` allows) and at the end. */
  onPreview?(image: HostTensor, step: number): void;
  previewEvery?: number;
  /** Spaces the previews by time instead of `previewEvery`; may be shared by the calls of one drag. */
  previewBudget?: PreviewBudget;
}

export interface RunResult {
  reason: StopReason;
  steps: number;
  points: Point[];
  /** The preview cadence, when a budget set it. */
  previewCadence?: string;
}

export interface Evaluation {
  /** Tracked handle positions. */
  points: Point[];
  tracking: Tracking;
  loss: number;
  /** Gradient for the optimised W+ rows; absent when every handle has arrived. */
  grad?: Float32Array;
  /** Whether the features were computed on windows around the handles or over the whole map. */
  path: FeaturePath;
}

/** Where tracking started: the latent and handle positions the reference features were taken from. */
export interface TrackingAnchor {
  latent: Float32Array;
  handles: Point[];
}

interface Tracking {
  anchor: TrackingAnchor;
  references: Float64Array[];
  /** The whole anchor feature map, for the mask term; absent when tracking started on windows (taken when needed). */
  f0?: Float32Array;
}

/**
 * Everything a session is, as plain data: enough for any replica of a stateless server to continue the edit. The
 * reference features are not carried; they are recomputed from the anchor.
 */
export interface DragState {
  hp: DragHyperParameters;
  w0: HostTensor;
  params: Float32Array;
  adam: AdamState;
  pairs: HandleTarget[];
  tracked: Point[];
  steps: number;
  anchor?: TrackingAnchor;
  /** Fixed region (1 = keep), model resolution, row-major. */
  fixed?: Uint8Array;
}

/**
 * One DragGAN edit: the latent being optimised, the handles as tracked so far, the Adam state. Pure TypeScript
 * over a Generator, so the panel, the CLI and the server share it. A step either completes (latent, points and
 * optimiser advance together) or leaves everything as it was, so cancelling is always safe and resumable.
 */
export class DragSession {
  private readonly w0: HostTensor;
  private params: Float32Array;
  private adam: Adam;
  private pairs: HandleTarget[] = [];
  private tracked: Point[] = [];
  private tracking?: Tracking;
  /** Set by restore(): the anchor whose references must be recomputed before the next step. */
  private pendingAnchor?: TrackingAnchor;
  private fixed?: Uint8Array;
  private stepCount = 0;
  private readonly geo: FeatureGeometry;
  readonly hp: DragHyperParameters;

  constructor(
    private readonly gen: Generator,
    w0: HostTensor,
    hp: DragHyperParameters,
  ) {
    const n = gen.numWs;
    const wd = gen.config.w_dim;
    if (w0.shape.length !== 3 || w0.shape[0] !== 1 || w0.shape[1] !== n || w0.shape[2] !== wd) {
      throw new DragInputError(`the latent has shape [${w0.shape.join(', ')}]; this model needs [1, ${n}, ${wd}]`);
    }
    validateHyperParameters(hp, n, blockResolutions(gen.config).length);
    this.hp = { ...hp };
    this.w0 = { shape: [...w0.shape], data: w0.data.slice() };
    this.params = this.initialParams();
    this.adam = new Adam(this.params.length, hp.lr);
    const res = gen.config.img_resolution;
    const fres = blockResolutions(gen.config)[hp.featureIdx];
    this.geo = new FeatureGeometry(channelsAt(gen.config, fres), fres, fres, res, res);
  }

  private get resolution(): number {
    return this.gen.config.img_resolution;
  }

  private initialParams(): Float32Array {
    const wd = this.gen.config.w_dim;
    // W mode optimises one w (the first row); W+ mode the leading rows independently.
    return this.w0.data.slice(0, (this.hp.mode === 'w' ? 1 : this.hp.optimisedRows) * wd);
  }

  get steps(): number {
    return this.stepCount;
  }

  get points(): Point[] {
    return this.tracked.map((p) => ({ ...p }));
  }

  get targets(): Point[] {
    return this.pairs.map((p) => ({ ...p.target }));
  }

  /** Replaces the handle -> target pairs. Handles are tracked from here on with fresh reference features. */
  setPoints(pairs: readonly HandleTarget[]): void {
    validatePairs(pairs, this.resolution);
    this.pairs = pairs.map((p) => ({ handle: { x: Math.round(p.handle.x), y: Math.round(p.handle.y) }, target: { ...p.target } }));
    this.tracked = this.pairs.map((p) => ({ ...p.handle }));
    this.tracking = undefined;
    this.pendingAnchor = undefined;
  }

  /** Moves only the targets (the handles keep their tracked positions and references). */
  setTargets(targets: readonly Point[]): void {
    if (targets.length !== this.pairs.length) throw new DragInputError(`expected ${this.pairs.length} targets, got ${targets.length}`);
    validatePairs(targets.map((t, i) => ({ handle: this.tracked[i], target: t })), this.resolution);
    this.pairs = this.pairs.map((p, i) => ({ handle: p.handle, target: { ...targets[i] } }));
  }

  /** The flexible region (1 = may change), at the model's resolution; null removes it. */
  setMask(mask: { width: number; height: number; data: ArrayLike<number> } | null): void {
    this.fixed = mask ? fixedRegionOf(mask, this.resolution) : undefined;
  }

  setLearningRate(lr: number): void {
    validateHyperParameters({ ...this.hp, lr }, this.gen.numWs, blockResolutions(this.gen.config).length);
    this.hp.lr = lr;
    this.adam.lr = lr;
  }

  /** Back to the starting latent and the original handle positions; the optimiser starts afresh. */
  reset(): void {
    this.params = this.initialParams();
    this.adam = new Adam(this.params.length, this.hp.lr);
    this.tracked = this.pairs.map((p) => ({ ...p.handle }));
    this.tracking = undefined;
    this.pendingAnchor = undefined;
    this.stepCount = 0;
  }

  /** The full W+ latent [1, num_ws, w_dim] the optimisation is at. */
  latent(): HostTensor {
    const wd = this.gen.config.w_dim;
    const out = this.w0.data.slice();
    const rows = this.hp.optimisedRows;
    for (let r = 0; r < rows; r++) out.set(this.params.subarray(this.hp.mode === 'w' ? 0 : r * wd, (this.hp.mode === 'w' ? 1 : r + 1) * wd), r * wd);
    return { shape: [...this.w0.shape], data: out };
  }

  private stopDistance(): number {
    return this.hp.stopDistance ?? (this.pairs.length <= 5 ? 1 : 2);
  }

  private converged(points: readonly Point[]): boolean {
    const d = this.stopDistance();
    return points.every((p, i) => Math.hypot(this.pairs[i].target.x - p.x, this.pairs[i].target.y - p.y) <= d);
  }

  /**
   * The objective at the current latent: features, tracking, then (unless converged) motion supervision, the mask
   * term and the gradient for the optimised rows through the backward graph. Changes nothing.
   */
  async evaluate(signal?: AbortSignal): Promise<Evaluation | undefined> {
    if (this.pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
    const wd = this.gen.config.w_dim;
    const rows = this.hp.optimisedRows;
    const ws = this.latent();
    const wsOpt: HostTensor = { shape: [1, rows, wd], data: ws.data.slice(0, rows * wd) };
    const rest = this.gen.numWs - rows;
    const wsRest: HostTensor | undefined = rest > 0 ? { shape: [1, rest, wd], data: ws.data.slice(rows * wd) } : undefined;
    const r1 = scaledRadius(this.hp.r1, this.resolution);
    const r2 = scaledRadius(this.hp.r2, this.resolution);
    // Without a mask the loss and tracking read the features only near the handles: windows may do (exactly).
    const windows = this.fixed ? undefined : lossSupport(this.geo, this.tracked, r1, r2);
    const step = await this.gen.featureStep(wsOpt, wsRest, this.hp.featureIdx, windows);
    if (signal?.aborted) return undefined;
    const f = step.feat.data;

    let tracking = this.tracking ?? (await this.startTracking(f, ws.data, step.path));
    if (signal?.aborted) return undefined;
    const points = this.tracked.map((p, i) => trackPoint(this.geo, f, tracking.references[i], p, r2));
    if (this.converged(points)) return { points, tracking, loss: 0, path: step.path };

    const df = new Float32Array(f.length);
    const motion = new MotionSupervision(this.geo, r1);
    let loss = motion.accumulate(f, points.map((point, i) => ({ point, target: this.pairs[i].target })), df);
    if (this.fixed) {
      const f0 = tracking.f0 ?? (await this.gen.features({ shape: [...this.w0.shape], data: tracking.anchor.latent }, this.hp.featureIdx)).data;
      tracking = { ...tracking, f0 };
      loss += fixedRegionLoss(this.geo, f, f0, this.fixed, this.hp.lambda, df);
    }
    const grad = await step.gradient({ shape: step.feat.shape, data: df });
    if (signal?.aborted) return undefined;
    return { points, tracking, loss, grad: grad.data, path: step.path };
  }

  private async startTracking(f: Float32Array, latent: Float32Array, path: FeaturePath): Promise<Tracking> {
    const anchor = this.pendingAnchor ?? { latent: latent.slice(), handles: this.tracked.map((p) => ({ ...p })) };
    const f0 = this.pendingAnchor
      ? (await this.gen.features({ shape: [...this.w0.shape], data: anchor.latent }, this.hp.featureIdx)).data
      : f.slice();
    return { anchor, f0: this.pendingAnchor || path === 'whole' ? f0 : undefined, references: anchor.handles.map((p) => referenceFeature(this.geo, f0, p)) };
  }

  /** A copy of the whole state, for a stateless server round trip or a saved edit. */
  snapshot(): DragState {
    const anchor = this.tracking?.anchor ?? this.pendingAnchor;
    return {
      hp: { ...this.hp },
      w0: { shape: [...this.w0.shape], data: this.w0.data.slice() },
      params: this.params.slice(),
      adam: this.adam.snapshot(),
      pairs: this.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })),
      tracked: this.points,
      steps: this.stepCount,
      anchor: anchor && { latent: anchor.latent.slice(), handles: anchor.handles.map((p) => ({ ...p })) },
      fixed: this.fixed?.slice(),
    };
  }

  /** Rebuilds a session from snapshot(); it continues exactly where the snapshot was taken. */
  static restore(gen: Generator, state: DragState): DragSession {
    const s = new DragSession(gen, state.w0, state.hp);
    const res = gen.config.img_resolution;
    if (state.params.length !== s.params.length) throw new DragInputError(`the state's latent has ${state.params.length} values; this model and mode need ${s.params.length}`);
    if (state.adam.m.length !== s.params.length || state.adam.v.length !== s.params.length) throw new DragInputError('the optimiser state does not match the latent');
    if (state.tracked.length !== state.pairs.length) throw new DragInputError('the state has a different number of tracked points and pairs');
    if (state.fixed && state.fixed.length !== res * res) throw new DragInputError(`the state's mask has ${state.fixed.length} values; expected ${res * res}`);
    if (state.anchor && (state.anchor.latent.length !== s.w0.data.length || state.anchor.handles.length !== state.pairs.length)) {
      throw new DragInputError('the tracking anchor does not match the latent or the points');
    }
    if (state.pairs.length) validatePairs(state.pairs, res);
    validatePairs(state.tracked.map((t, i) => ({ handle: t, target: state.pairs[i].target })), res);
    s.params = state.params.slice();
    s.adam.restore(state.adam);
    s.pairs = state.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } }));
    s.tracked = state.tracked.map((p) => ({ ...p }));
    s.stepCount = state.steps;
    s.pendingAnchor = state.anchor && { latent: state.anchor.latent.slice(), handles: state.anchor.handles.map((p) => ({ ...p })) };
    s.fixed = state.fixed?.slice();
    return s;
  }

  /** One step of the official loop: evaluate, then an Adam update unless every handle has arrived. */
  async step(signal?: AbortSignal): Promise<{ report: StepReport; converged: boolean } | undefined> {
    const t0 = Date.now();
    const e = await this.evaluate(signal);
    if (!e) return undefined;
    if (e.grad) {
      const wd = this.gen.config.w_dim;
      this.adam.step(this.params, this.hp.mode === 'w' ? sumRows(e.grad, this.hp.optimisedRows, wd) : e.grad);
      this.stepCount++;
    }
    this.tracking = e.tracking;
    this.pendingAnchor = undefined;
    this.tracked = e.points;
    return { report: { step: this.stepCount, points: e.points, loss: e.loss, ms: Date.now() - t0, path: e.path }, converged: !e.grad };
  }

  /** Runs steps until converged, the step cap, the per-call step budget, or the signal aborts. */
  async run(o: RunOptions = {}): Promise<RunResult> {
    const every = o.previewEvery ?? 0;
    o.previewBudget?.begin(Date.now());
    let reason: StopReason = 'step-cap';
    let ran = 0;
    const budget = o.steps ?? Infinity;
    while (this.stepCount < this.hp.maxSteps && ran < budget) {
      if (o.signal?.aborted) {
        reason = 'cancelled';
        break;
      }
      const r = await this.step(o.signal);
      if (!r) {
        reason = 'cancelled';
        break;
      }
      if (r.converged) {
        reason = 'converged';
        o.onStep?.(r.report);
        break;
      }
      ran++;
      o.onStep?.(r.report);
      if (o.onPreview && (o.previewBudget ? o.previewBudget.due(Date.now()) : every > 0 && this.stepCount % every === 0)) await this.preview(o);
    }
    if (o.onPreview) await this.preview(o);
    return { reason, steps: this.stepCount, points: this.points, previewCadence: o.previewBudget?.describe(Date.now()) };
  }

  private async preview(o: RunOptions): Promise<void> {
    const t = Date.now();
    o.onPreview?.((await this.gen.synthesize(this.latent())).img, this.stepCount);
    o.previewBudget?.rendered(t, Date.now());
  }
}

function sumRows(g: Float32Array, rows: number, wd: number): Float32Array {
  const out = new Float32Array(wd);
  for (let r = 0; r < rows; r++) for (let i = 0; i < wd; i++) out[i] += g[r * wd + i];
  return out;
}
