import { editModelOfLatent, type EditModel, type EditState } from '../core/editState';
import { DragInputError, RemoteError } from '../core/errors';
import type { RunOptions, RunResult } from '../core/session';
import { StateSession } from '../core/stateSession';
import type { StepReport, StopReason } from '../core/types';
import { CallbackFailure } from './callbackFailure';
import { EndpointClient, type EndpointOptions } from './endpointClient';
import { ROUTES, type DragStepsRequest, type PreviewKind, type WireStopReason } from './protocol';
import { decodePoints, decodePreview, decodeStopReason, type Preview } from './replies';
import { decodeDragState, encodeDragState } from './stateCodec';
import { hostCallback, readStreamedReply } from './streamedReply';
import { toRgba8 } from '../stylegan2/imageConversion';
import { readEnum, readInt, readNumber } from './wireReader';

export interface RemoteDragSessionOptions extends EndpointOptions {
  /** The model's id on the endpoint (GET /v1/models). */
  modelId: string;
  /** Where the edit starts (a session's snapshot(), newEditState(), or a saved edit). */
  state: EditState;
  /** The model's shape; by default derived from the latent (num_ws = 2 log2(res) - 2). */
  model?: EditModel;
  /** Steps per request (default 10): how often the state crosses the network, and the most a Stop discards. */
  stepsPerRequest?: number;
}

export interface RemoteRunOptions extends RunOptions {
  /** The preview as the server's PNG (cheaper to carry than onPreview's float image). */
  onPreviewPng?(png: Uint8Array, step: number, size: { width: number; height: number }): void;
}

interface StepsOutcome {
  reason: WireStopReason;
  state: EditState;
  preview?: Preview;
}

/**
 * A DragSession whose steps run on a remote endpoint: the same surface (setPoints, setMask, run, latent, points,
 * snapshot, reset), but the state lives here and each request carries all of it, so any replica can serve any
 * request and a request can be repeated on another replica when one fails (same state in, same state out).
 *
 * A Stop (signal) abandons the request in flight: the session stays at the last state the server returned, so at
 * most `stepsPerRequest` reported steps are undone.
 */
export class RemoteDragSession extends StateSession {
  readonly client: EndpointClient;
  readonly modelId: string;
  private readonly stepsPerRequest: number;

  constructor(o: RemoteDragSessionOptions) {
    super(o.state, o.model ?? editModelOfLatent(o.state.w0));
    this.client = new EndpointClient(o);
    this.modelId = o.modelId;
    this.stepsPerRequest = o.stepsPerRequest ?? 10;
    if (!Number.isInteger(this.stepsPerRequest) || this.stepsPerRequest < 1)
      throw new DragInputError('stepsPerRequest must be a whole number of at least 1');
  }

  /** Runs steps on the endpoint until converged, the step cap, `steps`, or the signal aborts. */
  override run(o: RemoteRunOptions = {}): Promise<RunResult> {
    return super.run(o);
  }

  protected async runSteps(o: RemoteRunOptions): Promise<RunResult> {
    try {
      return await this.loop(o);
    } catch (e) {
      throw e instanceof CallbackFailure ? e.inner : e;
    }
  }

  private async loop(o: RemoteRunOptions): Promise<RunResult> {
    const budget = o.steps ?? Infinity;
    const every = o.previewEvery ?? 0;
    const exact = o.onPreview !== undefined || o.onPreviewImage !== undefined;
    const preview: PreviewKind = exact && o.onPreviewPng ? 'both' : exact ? 'f32' : o.onPreviewPng ? 'png' : 'none';
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
      if (stalled >= 3)
        throw new RemoteError(
          `the endpoint returned ${stalled} times without completing a step (last: ${out.reason}); its time limit may be too short for this model`,
        );
      const last =
        out.reason === 'converged' ||
        out.reason === 'step-cap' ||
        this.state.steps >= this.state.hp.maxSteps ||
        ran >= budget;
      if (out.preview && (last || (every > 0 && out.preview.step % every === 0))) this.deliverPreview(out.preview, o);
      if (out.reason === 'converged') {
        reason = 'converged';
        break;
      }
    }
    return this.result(reason);
  }

  private deliverPreview(p: Preview, o: RemoteRunOptions): void {
    hostCallback(() => {
      if (p.image) o.onPreview?.(p.image, p.step);
      if (p.image && o.onPreviewImage) o.onPreviewImage(toRgba8(p.image), p.step);
      if (p.png) o.onPreviewPng?.(p.png, p.step, { width: p.width, height: p.height });
    });
  }

  /** One drag-steps request; on a retry the events already delivered are not delivered again. */
  private postSteps(steps: number, o: RemoteRunOptions, preview: PreviewKind, every: number): Promise<StepsOutcome> {
    const req: DragStepsRequest = {
      model: this.modelId,
      state: encodeDragState(this.state),
      steps,
      previewEvery: every,
      preview,
    };
    let stepsDelivered = 0;
    let previewsDelivered = 0;
    return this.client.request(
      ROUTES.dragSteps,
      { method: 'POST', body: JSON.stringify(req), signal: o.signal },
      async (res, endpoint) => {
        let stepsSeen = 0;
        let previewsSeen = 0;
        return readStreamedReply<StepsOutcome>(res, endpoint, o.signal, {
          refusedStatus: 500,
          event: (type, ev) => {
            if (type === 'step') {
              if (++stepsSeen <= stepsDelivered) return;
              stepsDelivered = stepsSeen;
              const report: StepReport = {
                step: readInt(ev.step, 'event.step', 0, 1e9),
                points: decodePoints(ev.points, 'event.points'),
                loss: readNumber(ev.loss, 'event.loss', -Infinity, Infinity),
                ms: readNumber(ev.ms, 'event.ms', 0, Infinity),
              };
              if (ev.path !== undefined) report.path = readEnum(ev.path, 'event.path', ['window', 'whole'] as const);
              hostCallback(() => o.onStep?.(report));
            } else if (type === 'preview') {
              if (++previewsSeen <= previewsDelivered) return;
              previewsDelivered = previewsSeen;
              this.deliverPreview(decodePreview(ev.preview, 'event.preview'), o);
            }
          },
          result: (ev) => {
            const out: StepsOutcome = {
              reason: decodeStopReason(ev.reason, 'event.reason'),
              state: decodeDragState(ev.state, 'event.state', this.model),
            };
            if (ev.preview !== undefined) out.preview = decodePreview(ev.preview, 'event.preview');
            return out;
          },
        });
      },
    );
  }
}
