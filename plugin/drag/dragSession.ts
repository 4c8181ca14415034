import type { DragHyperParameters } from '../core/dragSettings';
import type { HostTensor } from '../graph/tensor';
import {
  allArrived,
  latentOf,
  newEditState,
  type EditModel,
  type EditState,
  type TrackingAnchor,
} from '../core/editState';
import { DragInputError } from '../core/errors';
import type { RunOptions, RunResult } from '../core/session';
import { StateSession } from '../core/stateSession';
import type { FeaturePath, Point, StepReport, StopReason } from '../core/types';
import { editModelOfConfig } from '../stylegan2/config';
import type { FeatureStep, Generator } from '../stylegan2/generator';
import { toRgba8 } from '../stylegan2/imageConversion';
import { Adam } from './adam';
import type { FeatureGeometry } from './bilinear';
import { blockGeometry, dragWindows, trackingBlockFor } from './dragPlan';
import { fixedRegionLoss } from './fixedRegionLoss';
import { MotionSupervision, officialPulls } from './motionSupervision';
import { scaledRadius } from './radii';
import { maskBalance, robustPulls } from './robustSupervision';
import { patchReference, ROBUST_SEARCH_PX, trackPointSubPixel } from './robustTracking';
import { referenceFeature, trackPoint } from './tracking';

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

/** The reference features of the state's tracking anchor; valid while the state keeps that anchor object. */
interface Tracking {
  anchor: TrackingAnchor;
  references: Float64Array[];
  /** The whole anchor feature map, for the mask term; absent when tracking started on windows (taken when needed). */
  f0?: Float32Array;
}

/** The model facts the edit-state functions check against. */
export function editModelOf(gen: Generator): EditModel {
  return editModelOfConfig(gen.config);
}

/**
 * One DragGAN edit run here: the edit state (core/editState, shared with every other engine) plus what
 * only a generator can give, the features and gradients. A step either completes (latent, points and optimiser
 * advance together) or leaves the state as it was, so cancelling is always safe and resumable.
 */
export class DragSession extends StateSession {
  /** Features cached for state.anchor; recomputed whenever the state's anchor is another object. */
  private tracking?: Tracking;
  private readonly geo: FeatureGeometry;
  /** The block the tracker reads (the feature block, or for 'robust' a finer one) and its geometry. */
  private readonly trackingIdx: number;
  private readonly trackGeo: FeatureGeometry;

  /** A new edit on a latent (its hyper-parameters checked here, where they enter). */
  constructor(gen: Generator, w0: HostTensor, hp: DragHyperParameters);
  /** An edit that continues a state whose hyper-parameters were checked where they entered: see restore(). */
  constructor(gen: Generator, state: EditState);
  constructor(
    private readonly gen: Generator,
    start: HostTensor | EditState,
    hpOfNew?: DragHyperParameters,
  ) {
    const model = editModelOf(gen);
    super(hpOfNew ? newEditState(start as HostTensor, hpOfNew, model) : (start as EditState), model);
    const hp = this.state.hp;
    this.geo = blockGeometry(gen.config, hp.featureIdx);
    this.trackingIdx = trackingBlockFor(gen.config, hp);
    this.trackGeo = this.trackingIdx === hp.featureIdx ? this.geo : blockGeometry(gen.config, this.trackingIdx);
  }

  /** Rebuilds a session from snapshot() (or a state from a request); it continues exactly where that state was. */
  static restore(gen: Generator, state: EditState): DragSession {
    return new DragSession(gen, state);
  }

  /**
   * The objective at the current latent: features, tracking, then (unless converged) motion supervision, the mask
   * term and the gradient for the optimised rows through the backward graph. Changes nothing.
   */
  async evaluate(signal?: AbortSignal): Promise<Evaluation | undefined> {
    const st = this.state;
    if (st.pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
    const wd = this.gen.config.w_dim;
    const rows = st.hp.optimisedRows;
    const ws = latentOf(st);
    const wsOpt: HostTensor = { shape: [1, rows, wd], data: ws.data.slice(0, rows * wd) };
    const rest = this.gen.numWs - rows;
    const wsRest: HostTensor | undefined =
      rest > 0 ? { shape: [1, rest, wd], data: ws.data.slice(rows * wd) } : undefined;
    const res = this.model.resolution;
    const r1 = scaledRadius(st.hp.r1, res);
    const r2 = scaledRadius(st.hp.r2, res);
    const windows = dragWindows(this.geo, st.hp, st.tracked, !!st.fixed);
    const step = await this.gen.featureStep(wsOpt, wsRest, st.hp.featureIdx, windows, this.trackingIdx);
    // the saved tensors may be GPU buffers: freed on every way out, backward run or not
    try {
      return await this.objective(st, ws, step, r1, r2, signal);
    } finally {
      step.dispose();
    }
  }

  /** evaluate() past the forward run: tracking, the losses and their gradient through the backward graph. */
  private async objective(
    st: EditState,
    ws: HostTensor,
    step: FeatureStep,
    r1: number,
    r2: number,
    signal?: AbortSignal,
  ): Promise<Evaluation | undefined> {
    if (signal?.aborted) return undefined;
    const f = step.feat.data;
    const ft = (step.tracking ?? step.feat).data;

    let tracking = await this.trackingFor(st, ft, ws.data, step.path);
    if (signal?.aborted) return undefined;
    const robust = st.hp.method === 'robust';
    const points = st.tracked.map((p, i) =>
      robust
        ? trackPointSubPixel(this.trackGeo, ft, tracking.references[i], p, Math.min(r2, ROBUST_SEARCH_PX))
        : trackPoint(this.geo, f, tracking.references[i], p, r2),
    );
    if (allArrived(st, points)) return { points, tracking, loss: 0, path: step.path };

    const df = new Float32Array(f.length);
    const targets = st.pairs.map((p) => p.target);
    const pulls = robust ? robustPulls(points, targets, r1) : officialPulls(points, targets, r1);
    let loss = new MotionSupervision(this.geo).accumulate(f, pulls, df);
    if (st.fixed) {
      const f0 =
        tracking.f0 ??
        (await this.gen.features({ shape: [...st.w0.shape], data: tracking.anchor.latent }, st.hp.featureIdx)).data;
      tracking = { ...tracking, f0 };
      loss += fixedRegionLoss(this.geo, f, f0, st.fixed, st.hp.lambda * (robust ? maskBalance(pulls) : 1), df);
    }
    const grad = await step.gradient({ shape: step.feat.shape, data: df });
    if (signal?.aborted) return undefined;
    return { points, tracking, loss, grad: grad.data, path: step.path };
  }

  /**
   * The reference features (of the tracking block, ft: its map at hand): cached for the state's anchor, taken from
   * the anchor's latent, or started here. The mask term's f0 is the feature block's whole map: kept when that is the map at hand, else
   * taken when the mask term first needs it (a map that is only windows, a tracking block of its own).
   */
  private async trackingFor(
    st: EditState,
    ft: Float32Array,
    latent: Float32Array,
    path: FeaturePath,
  ): Promise<Tracking> {
    if (this.tracking && st.anchor && this.tracking.anchor === st.anchor) return this.tracking;
    const anchor = st.anchor ?? { latent: latent.slice(), handles: st.tracked.map((p) => ({ ...p })) };
    const keepF0 = this.trackingIdx === st.hp.featureIdx && (!!st.anchor || path === 'whole');
    // the map at hand is copied only to be kept as f0: the references are copied out of it (16 MB at 512 px)
    const t0 = st.anchor
      ? (await this.gen.features({ shape: [...st.w0.shape], data: anchor.latent }, this.trackingIdx)).data
      : keepF0
        ? ft.slice()
        : ft;
    const reference = st.hp.method === 'robust' ? patchReference : referenceFeature;
    return {
      anchor,
      f0: keepF0 ? t0 : undefined,
      references: anchor.handles.map((p) => reference(this.trackGeo, t0, p)),
    };
  }

  /** One step of the official loop: evaluate, then an Adam update unless every handle has arrived. */
  async step(signal?: AbortSignal): Promise<{ report: StepReport; converged: boolean } | undefined> {
    const t0 = Date.now();
    const st = this.state;
    const e = await this.evaluate(signal);
    if (!e) return undefined;
    let { params, adam, steps } = st;
    if (e.grad) {
      const opt = new Adam(params.length, st.hp.lr);
      opt.restore(adam);
      params = params.slice();
      opt.step(params, st.hp.mode === 'w' ? sumRows(e.grad, st.hp.optimisedRows, this.model.wDim) : e.grad);
      adam = opt.snapshot();
      steps++;
    }
    this.tracking = e.tracking;
    this.state = { ...st, params, adam, steps, tracked: e.points, anchor: e.tracking.anchor };
    return {
      report: { step: steps, points: e.points, loss: e.loss, ms: Date.now() - t0, path: e.path },
      converged: !e.grad,
    };
  }

  /** Renders the current latent for whichever preview callbacks the caller gave (none: no render). */
  private async preview(o: RunOptions): Promise<void> {
    if (!o.onPreview && !o.onPreviewImage) return;
    const t = Date.now();
    const img = (await this.gen.synthesize(this.latent())).img;
    o.onPreview?.(img, this.state.steps);
    o.onPreviewImage?.(toRgba8(img), this.state.steps);
    o.previewBudget?.rendered(t, Date.now());
  }

  /** Runs steps until converged, the step cap, the per-call step budget, or the signal aborts. */
  protected async runSteps(o: RunOptions): Promise<RunResult> {
    const every = o.previewEvery ?? 0;
    o.previewBudget?.begin(Date.now());
    let reason: StopReason = 'step-cap';
    let ran = 0;
    const budget = o.steps ?? Infinity;
    while (this.state.steps < this.state.hp.maxSteps && ran < budget) {
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
      if (o.previewBudget ? o.previewBudget.due(Date.now()) : every > 0 && this.state.steps % every === 0)
        await this.preview(o);
    }
    await this.preview(o);
    return {
      reason,
      steps: this.state.steps,
      points: this.points,
      previewCadence: o.previewBudget?.describe(Date.now()),
    };
  }
}

function sumRows(g: Float32Array, rows: number, wd: number): Float32Array {
  const out = new Float32Array(wd);
  for (let r = 0; r < rows; r++) for (let i = 0; i < wd; i++) out[i] += g[r * wd + i];
  return out;
}
