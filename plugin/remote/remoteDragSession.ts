import type { DragState, RunOptions, RunResult } from '../drag/dragSession';
import { DragInputError, type DragHyperParameters, type HandleTarget, type Point, type StepReport, type StopReason } from '../drag/types';
import { fixedRegionOf, validatePairs } from '../drag/validation';
import type { HostTensor } from '../graph/tensor';
import { EndpointClient, type EndpointOptions } from './endpointClient';
import { defaultHyperParameters, newDragState } from './initialState';
import { ndjsonLines } from './ndjson';
import { PROTOCOL_VERSION, ROUTES, type DragStepsRequest, type PreviewKind, type WireStopReason } from './protocol';
import { decodePoints, decodePreview, decodeStopReason, type Preview } from './replies';
import { ProtocolMismatchError, RemoteError, RemoteRequestError } from './remoteErrors';
import { RemoteGenerator } from './remoteGenerator';
import { RetryableFailure } from './retryable';
import { decodeDragState, encodeDragState } from './stateCodec';
import { WireError } from './wireError';
import { readEnum, readInt, readNumber, readObject, readString } from './wireReader';

export interface RemoteDragSessionOptions extends EndpointOptions {
  /** The model's id on the endpoint (GET /v1/models). */
  modelId: string;
  /** Where the edit starts (DragSession.snapshot(), newDragState(), or a saved edit). */
  state: DragState;
  /** Steps per request (default 10): how often the state crosses the network, and the most a Stop discards. */
  stepsPerRequest?: number;
  /** The model's resolution; by default derived from the latent (num_ws = 2 log2(res) - 2). */
  resolution?: number;
}

export interface RemoteRunOptions extends RunOptions {
  /** The preview as the server's PNG (cheaper to carry than onPreview's float image). */
  onPreviewPng?(png: Uint8Array, step: number, size: { width: number; height: number }): void;
}

interface StepsOutcome {
  reason: WireStopReason;
  state: DragState;
  preview?: Preview;
}

/** Wraps an exception from the caller's callback so it is never mistaken for a network failure and retried. */
class CallbackFailure extends Error {
  constructor(readonly inner: unknown) {
    super('callback failed');
  }
}

/**
 * A DragSession whose steps run on a remote endpoint: the same surface (setPoints, setMask, run, latent, points,
 * snapshot, reset), but the state lives here and each request carries all of it, so any replica can serve any
 * request and a request can be repeated on another replica when one fails (same state in, same state out).
 *
 * A Stop (signal) abandons the request in flight: the session stays at the last state the server returned, so at
 * most `stepsPerRequest` reported steps are undone.
 */
export class RemoteDragSession {
  private state: DragState;
  private readonly initial: { params: Float32Array };
  private running = false;
  readonly client: EndpointClient;
  readonly modelId: string;
  private readonly resolution: number;
  private readonly stepsPerRequest: number;

  constructor(o: RemoteDragSessionOptions) {
    this.client = new EndpointClient(o);
    this.modelId = o.modelId;
    this.state = copyState(o.state);
    this.initial = { params: newDragState(o.state.w0, o.state.hp).params };
    this.resolution = o.resolution ?? 2 ** ((o.state.w0.shape[1] + 2) / 2);
    this.stepsPerRequest = o.stepsPerRequest ?? 10;
    if (!Number.isInteger(this.stepsPerRequest) || this.stepsPerRequest < 1) throw new DragInputError('stepsPerRequest must be a whole number of at least 1');
  }

  /**
   * A new edit on a latent, with the hyper-parameters the model's card recommends (overridable); checks on the way
   * that the endpoint is reachable, accepts the token and serves the model.
   */
  static async create(o: Omit<RemoteDragSessionOptions, 'state'> & { latent: HostTensor; hp?: Partial<DragHyperParameters>; signal?: AbortSignal }): Promise<RemoteDragSession> {
    const info = await new RemoteGenerator(o).info(o.signal);
    const state = newDragState(o.latent, { ...defaultHyperParameters(info), ...o.hp });
    return new RemoteDragSession({ ...o, state, resolution: info.resolution });
  }

  get hp(): DragHyperParameters {
    return { ...this.state.hp };
  }

  get steps(): number {
    return this.state.steps;
  }

  get points(): Point[] {
    return this.state.tracked.map((p) => ({ ...p }));
  }

  get targets(): Point[] {
    return this.state.pairs.map((p) => ({ ...p.target }));
  }

  /** Replaces the handle -> target pairs; tracking restarts from the handles (as DragSession.setPoints). */
  setPoints(pairs: readonly HandleTarget[]): void {
    validatePairs(pairs, this.resolution);
    this.state.pairs = pairs.map((p) => ({ handle: { x: Math.round(p.handle.x), y: Math.round(p.handle.y) }, target: { ...p.target } }));
    this.state.tracked = this.state.pairs.map((p) => ({ ...p.handle }));
    this.state.anchor = undefined;
  }

  /** Moves only the targets; the handles keep their tracked positions and references. */
  setTargets(targets: readonly Point[]): void {
    if (targets.length !== this.state.pairs.length) throw new DragInputError(`expected ${this.state.pairs.length} targets, got ${targets.length}`);
    validatePairs(targets.map((t, i) => ({ handle: this.state.tracked[i], target: t })), this.resolution);
    this.state.pairs = this.state.pairs.map((p, i) => ({ handle: p.handle, target: { ...targets[i] } }));
  }

  /** The flexible region (1 = may change), at the model's resolution; null removes it. */
  setMask(mask: { width: number; height: number; data: ArrayLike<number> } | null): void {
    this.state.fixed = mask ? fixedRegionOf(mask, this.resolution) : undefined;
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new DragInputError(`learning rate must be a positive number, got ${lr}`);
    this.state.hp.lr = lr;
  }

  /** Back to the starting latent and the original handles; the optimiser starts afresh. */
  reset(): void {
    const n = this.initial.params.length;
    this.state.params = this.initial.params.slice();
    this.state.adam = { m: new Float64Array(n), v: new Float64Array(n), t: 0 };
    this.state.tracked = this.state.pairs.map((p) => ({ ...p.handle }));
    this.state.anchor = undefined;
    this.state.steps = 0;
  }

  /** The full W+ latent [1, num_ws, w_dim] the optimisation is at (as DragSession.latent). */
  latent(): HostTensor {
    const { w0, params, hp } = this.state;
    const wd = w0.shape[2];
    const out = w0.data.slice();
    for (let r = 0; r < hp.optimisedRows; r++) out.set(params.subarray(hp.mode === 'w' ? 0 : r * wd, (hp.mode === 'w' ? 1 : r + 1) * wd), r * wd);
    return { shape: [...w0.shape], data: out };
  }

  snapshot(): DragState {
    return copyState(this.state);
  }

  /** Runs steps on the endpoint until converged, the step cap, `steps`, or the signal aborts. */
  async run(o: RemoteRunOptions = {}): Promise<RunResult> {
    if (this.running) throw new DragInputError('this session is already running');
    if (this.state.pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
    this.running = true;
    try {
      return await this.loop(o);
    } catch (e) {
      throw e instanceof CallbackFailure ? e.inner : e;
    } finally {
      this.running = false;
    }
  }

  private async loop(o: RemoteRunOptions): Promise<RunResult> {
    const budget = o.steps ?? Infinity;
    const every = o.previewEvery ?? 0;
    const preview: PreviewKind = o.onPreview && o.onPreviewPng ? 'both' : o.onPreview ? 'f32' : o.onPreviewPng ? 'png' : 'none';
    let ran = 0;
    let reason: StopReason = 'step-cap';
    let stalled = 0;
    while (this.state.steps < this.state.hp.maxSteps && ran < budget) {
      if (o.signal?.aborted) return this.result('cancelled');
      const n = Math.min(this.stepsPerRequest, budget - ran, this.state.hp.maxSteps - this.state.steps);
      const before = this.state.steps;
      let out: StepsOutcome;
      try {
        out = await this.postSteps(n, o, preview, every);
      } catch (e) {
        if (o.signal?.aborted) return this.result('cancelled');
        throw e;
      }
      this.state = out.state;
      ran += this.state.steps - before;
      stalled = this.state.steps === before && out.reason !== 'converged' ? stalled + 1 : 0;
      // a server that keeps stopping without a step (time limit too short for one step) would loop forever
      if (stalled >= 3) throw new RemoteError(`the endpoint returned ${stalled} times without completing a step (last: ${out.reason}); its time limit may be too short for this model`);
      const last = out.reason === 'converged' || out.reason === 'step-cap' || this.state.steps >= this.state.hp.maxSteps || ran >= budget;
      if (out.preview && (last || (every > 0 && out.preview.step % every === 0))) this.deliverPreview(out.preview, o);
      if (out.reason === 'converged') {
        reason = 'converged';
        break;
      }
    }
    return this.result(reason);
  }

  private result(reason: StopReason): RunResult {
    return { reason, steps: this.state.steps, points: this.points };
  }

  private deliverPreview(p: Preview, o: RemoteRunOptions): void {
    try {
      if (p.image) o.onPreview?.(p.image, p.step);
      if (p.png) o.onPreviewPng?.(p.png, p.step, { width: p.width, height: p.height });
    } catch (e) {
      throw new CallbackFailure(e);
    }
  }

  /** One drag-steps request; on a retry the events already delivered are not delivered again. */
  private postSteps(steps: number, o: RemoteRunOptions, preview: PreviewKind, every: number): Promise<StepsOutcome> {
    const req: DragStepsRequest = { model: this.modelId, state: encodeDragState(this.state), steps, previewEvery: every, preview };
    let stepsDelivered = 0;
    let previewsDelivered = 0;
    return this.client.request(ROUTES.dragSteps, { method: 'POST', body: JSON.stringify(req), signal: o.signal }, async (res, endpoint) => {
      let stepsSeen = 0;
      let previewsSeen = 0;
      try {
        for await (const line of ndjsonLines(res)) {
          const ev = readObject(JSON.parse(line) as unknown, 'event');
          const type = readString(ev.type, 'event.type', 20);
          if (type === 'start') {
            if (ev.protocol !== PROTOCOL_VERSION) throw new ProtocolMismatchError(`the endpoint ${endpoint} speaks DragGAN protocol ${String(ev.protocol)}, this client speaks ${PROTOCOL_VERSION}`);
          } else if (type === 'step') {
            if (++stepsSeen <= stepsDelivered) continue;
            stepsDelivered = stepsSeen;
            const report: StepReport = { step: readInt(ev.step, 'event.step', 0, 1e9), points: decodePoints(ev.points, 'event.points'), loss: readNumber(ev.loss, 'event.loss', -Infinity, Infinity), ms: readNumber(ev.ms, 'event.ms', 0, Infinity) };
            if (ev.path !== undefined) report.path = readEnum(ev.path, 'event.path', ['window', 'whole'] as const);
            try {
              o.onStep?.(report);
            } catch (e) {
              throw new CallbackFailure(e);
            }
          } else if (type === 'preview') {
            if (++previewsSeen <= previewsDelivered) continue;
            previewsDelivered = previewsSeen;
            this.deliverPreview(decodePreview(ev.preview, 'event.preview'), o);
          } else if (type === 'result') {
            const out: StepsOutcome = { reason: decodeStopReason(ev.reason, 'event.reason'), state: decodeDragState(ev.state, 'event.state') };
            if (ev.preview !== undefined) out.preview = decodePreview(ev.preview, 'event.preview');
            return out;
          } else if (type === 'error') {
            const err = readObject(ev.error, 'event.error');
            const message = `${endpoint}: ${String(err.message)}`;
            if (ev.retryable === true) throw new RetryableFailure(message, 'busy');
            throw new RemoteRequestError(`the endpoint rejected the request: ${String(err.message)}`, 500, String(err.code));
          }
        }
      } catch (e) {
        if (e instanceof CallbackFailure || e instanceof RemoteError || e instanceof RetryableFailure) throw e;
        if (o.signal?.aborted) throw e;
        // a broken connection, a cut line (SyntaxError) or a garbled event: the replica failed; try another
        const what = e instanceof WireError ? `a malformed event (${e.message})` : `the stream broke off (${e instanceof Error ? e.message : String(e)})`;
        throw new RetryableFailure(`${endpoint}: ${what}`, 'network');
      }
      throw new RetryableFailure(`${endpoint}: the stream ended before the result`, 'network');
    });
  }
}

function copyState(s: DragState): DragState {
  return {
    hp: { ...s.hp },
    w0: { shape: [...s.w0.shape], data: s.w0.data.slice() },
    params: s.params.slice(),
    adam: { m: s.adam.m.slice(), v: s.adam.v.slice(), t: s.adam.t },
    pairs: s.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })),
    tracked: s.tracked.map((p) => ({ ...p })),
    steps: s.steps,
    anchor: s.anchor && { latent: s.anchor.latent.slice(), handles: s.anchor.handles.map((p) => ({ ...p })) },
    fixed: s.fixed?.slice(),
  };
}
