/**
 * An engine in a Web Worker, driven from the page: the page's main thread only posts messages, so Generate, a
 * drag and an inversion never block it. The drag state lives on the page (StateSession) and crosses to the worker
 * with each run, so a Stop answers at once with the last completed step.
 */
import type { Image8 } from '../codecs/image8';
import { UserFixableError } from '../core/errors';
import type { HostTensor } from '../graph/tensor';
import type { EditModel, EditState } from '../core/editState';
import { editModelFor, newEditState } from '../core/editState';
import type { RunOptions, RunResult } from '../core/session';
import { StateSession } from '../core/stateSession';
import type { Point } from '../core/types';
import type { Engine, InversionProgress, InversionResult, TuningResult } from './engine';
import type { ModelSource } from './modelSource';
import type { FramedFace, PhotoComposite } from './photoFaces';
import type { FaceSearchControl } from '../faces/facesInPhoto';
import {
  errorOf,
  type DragReply,
  type FromWorker,
  type OpenReply,
  type ToWorker,
  type WorkerEvent,
  type WorkerRequest,
} from './workerProtocol';

/** A Worker, as far as the engine uses one (the DOM's Worker satisfies it). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  addEventListener(type: 'message', listener: (e: { data: FromWorker }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string }) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
  onEvent?(e: WorkerEvent): void;
}

/** Request/reply over the worker's messages, with cancel by id. */
class WorkerChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private broken?: Error;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (e) => this.receive(e.data));
    worker.addEventListener('error', (e) =>
      this.fail(
        new UserFixableError(`the engine's worker failed${e.message ? `: ${e.message}` : ''}; reload the page`),
      ),
    );
  }

  private receive(m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return; // answered already (a Stop that did not wait)
    if ('event' in m) return p.onEvent?.(m.event);
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(errorOf(m.error));
  }

  private fail(e: Error): void {
    this.broken = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /**
   * Sends a request. On abort the worker is told to stop; `onAbort` may settle the call at once (return a value)
   * instead of waiting for the worker's answer.
   */
  call<T>(
    req: WorkerRequest,
    o: { onEvent?(e: WorkerEvent): void; signal?: AbortSignal; onAbort?(): T | undefined } = {},
  ): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent: o.onEvent });
      const abort = () => {
        this.worker.postMessage({ op: 'cancel', id });
        const early = o.onAbort?.();
        if (early !== undefined && this.pending.delete(id)) resolve(early);
      };
      if (o.signal?.aborted) abort();
      else o.signal?.addEventListener('abort', abort, { once: true });
      this.worker.postMessage({ id, ...req });
    });
  }

  terminate(): void {
    this.fail(new Error('the engine was released'));
    this.worker.terminate();
  }
}

class WorkerDragSession extends StateSession {
  constructor(
    private readonly channel: WorkerChannel,
    state: EditState,
    model: EditModel,
  ) {
    super(state, model);
  }

  protected async runSteps(o: RunOptions): Promise<RunResult> {
    const reply = await this.channel.call<DragReply | 'stopped'>(
      {
        op: 'drag',
        state: this.snapshot(),
        steps: o.steps,
        previewEvery: o.previewEvery,
        preview: o.onPreviewImage !== undefined,
        paced: o.previewBudget !== undefined,
      },
      {
        signal: o.signal,
        onEvent: (e) => {
          if (e.kind === 'step') {
            this.state = e.state;
            o.onStep?.(e.report);
          } else if (e.kind === 'preview') o.onPreviewImage?.(e.image, e.step);
        },
        // the state of the last completed step is already here: a Stop need not wait for the step in flight
        onAbort: () => 'stopped',
      },
    );
    if (reply === 'stopped') return this.result('cancelled');
    this.state = reply.state;
    return reply.result;
  }
}

/** Starts the engine in the worker (it loads the model itself) and returns the page's handle on it. */
export async function workerEngine(
  worker: WorkerLike,
  source: Exclude<ModelSource, { kind: 'package' }>,
  backend: string,
  faces?: string,
): Promise<Engine> {
  const channel = new WorkerChannel(worker);
  let opened: OpenReply;
  try {
    opened = await channel.call<OpenReply>({ op: 'open', source, backend, faces });
  } catch (e) {
    channel.terminate();
    throw e;
  }
  const m = opened.model;
  const editModel = editModelFor(m);
  const progress = (on?: (p: InversionProgress) => void) => (e: WorkerEvent) => {
    if (e.kind === 'progress') on?.(e.progress);
  };
  return {
    description: opened.description,
    notes: opened.notes,
    model: m,
    // Stop reaches the worker at any step, so one call may run the whole drag
    stepsPerCall: 100000,
    generate: (seed, psi, signal) => channel.call<HostTensor>({ op: 'generate', seed, psi }, { signal }),
    render: (latent, signal) => channel.call<Image8>({ op: 'render', latent }, { signal }),
    invert(image, o = {}) {
      // the best fit so far is here with each improvement, so a Stop keeps it without waiting for the step in flight
      let best: (InversionProgress & { best: NonNullable<InversionProgress['best']> }) | undefined;
      return channel.call<InversionResult>(
        {
          op: 'invert',
          image,
          steps: o.steps,
          timeBudgetSeconds: o.timeBudgetSeconds,
          schedule: o.schedule,
          startLatent: o.startLatent,
        },
        {
          signal: o.signal,
          onEvent: (e) => {
            if (e.kind !== 'progress') return;
            if (e.progress.best) best = { ...e.progress, best: e.progress.best };
            o.onProgress?.(e.progress);
          },
          onAbort: () =>
            best && {
              latent: best.best.latent,
              image: best.best.image,
              psnr: best.psnr ?? 0,
              steps: best.step,
              cancelled: true,
            },
        },
      );
    },
    async openDrag(w0, hp = {}) {
      return new WorkerDragSession(channel, newEditState(w0, { ...m.defaults, ...hp }, editModel), editModel);
    },
    async resumeDrag(state) {
      return new WorkerDragSession(channel, state, editModel);
    },
    // a clip's handles carried from frame to frame (engine/clipDrag.ts), where the model's features are
    track: (from, points, to, t = {}) =>
      channel.call<Point[]>({
        op: 'track',
        from,
        points: points.map((p) => ({ ...p })),
        to,
        near: t.near?.map((p) => ({ ...p })),
        radius: t.radius,
      }),
    prepareDrag: (handles, masked, hp = {}) =>
      channel.call<void>({ op: 'prepareDrag', handles: handles.map((p) => ({ ...p })), masked, hp }),
    ...(opened.canTune
      ? {
          tune: (
            latent: HostTensor,
            image: Parameters<Engine['invert']>[0],
            o: { steps?: number; signal?: AbortSignal; onProgress?(p: InversionProgress): void } = {},
          ) =>
            channel.call<TuningResult>(
              { op: 'tune', latent, image, steps: o.steps },
              { signal: o.signal, onEvent: progress(o.onProgress) },
            ),
        }
      : {}),
    ...(opened.canFindFaces
      ? {
          findFaces: (photo: Image8, control: FaceSearchControl = {}) =>
            channel.call<FramedFace[]>(
              { op: 'faces', photo },
              {
                signal: control.signal,
                onEvent: (e) => {
                  if (e.kind === 'faceSearch') control.onProgress?.(e.progress);
                },
                // a stopped search has nothing to keep: the page is free at once
                onAbort: () => [],
              },
            ),
        }
      : {}),
    // in the worker: a full-size composite takes seconds, which the page's thread must not spend
    composite: (photo, toPhoto, reconstruction, edited) =>
      channel.call<PhotoComposite>({ op: 'composite', photo, toPhoto, reconstruction, edited }),
    // in the worker too: encoding a drag's frames takes seconds
    encodeVideo: (frames) => channel.call<Uint8Array>({ op: 'encodeVideo', frames }),
    async release() {
      channel.terminate();
    },
  };
}
