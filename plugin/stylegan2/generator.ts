import { toOnnxSharing } from '../graph/onnx';
import type { FeaturePath } from '../core/types';
import type { Graph } from '../graph/ir';
import type { HostTensor } from '../graph/tensor';
import type { Runtime, Session, SessionFeed, SessionOptions } from '../runtime/runtime';
import { blockResolutions, isStyleGan3, numWs } from './config';
import { chooseWindows, windowOffsets, type FeatureWindowRequest, type WindowPlan } from './featureWindows';
import {
  featuresGraph,
  IO,
  mappingGraph,
  synthesisGraph,
  splitVjpGraphs,
  vjpGraph,
  type GeneratorSource,
  type ImageLoss,
  type SplitVjp,
} from './graphs';
import { pasteWindows, splitCotangent } from './windowPaste';

/** A tracking block the forward must run on to: one other than the feature block itself, else none. */
const laterBlock = (featureIdx: number, trackingIdx?: number): number | undefined =>
  trackingIdx === featureIdx ? undefined : trackingIdx;

/** When to window feature steps: 'auto' when it is cheaper, 'on' whenever boxes are given, 'off' never. */
export type WindowPolicy = 'auto' | 'on' | 'off';

/** One differentiable evaluation of the feature map: its value, then on demand the gradient for the optimised rows. */
export interface FeatureStep {
  /** [1, C, h, w]. On the window path only the requested boxes hold values (the rest is zero). */
  feat: HostTensor;
  /** The tracking block's whole map, when one later than the feature block was asked for. */
  tracking?: HostTensor;
  path: FeaturePath;
  /** Gradient for the optimised rows; on the window path the cotangent must be zero outside the boxes. */
  gradient(dFeat: HostTensor): Promise<HostTensor>;
  /** Frees what the forward saved (GPU buffers on a GPU runtime), whether or not gradient() ran. */
  dispose(): void;
}

/**
 * What a forward run saved for its backward run. On a GPU runtime these are GPU buffers, so the caller owns them:
 * dispose() once the backward has run, or once it will not (converged, cancelled, failed).
 */
export interface SavedForGradient {
  readonly feeds: Readonly<Record<string, SessionFeed>>;
  dispose(): void;
}

/**
 * A generator bound to a runtime: builds each graph on first use and keeps its session, so nothing is rebuilt
 * between calls. The single owner of the sessions it creates (release() frees them).
 */
export class Generator {
  private readonly sessions = new Map<string, Promise<Session>>();
  /**
   * A split's graphs, until both its sessions are built: the runtime keeps its own copy of their initializers
   * (onnxruntime-node copies them at creation), so the graphs would hold a second one (a 512 px backward's flipped
   * kernels: ~100 MB) for nothing. The saved tensors' names stay.
   */
  private readonly splits = new Map<string, SplitVjp>();
  private readonly savedNames = new Map<string, SplitVjp['saved']>();
  /** Window plans with compiled sessions, least recently used first, and how many steps each has in flight. */
  private readonly windowPlans: string[] = [];
  private readonly plansInFlight = new Map<string, number>();
  /** Whether featureStep computes on windows; see WindowPolicy. */
  windowPolicy: WindowPolicy = 'auto';

  constructor(
    readonly source: GeneratorSource,
    readonly runtime: Runtime,
  ) {}

  get config() {
    return this.source.config;
  }

  get numWs(): number {
    return numWs(this.source.config);
  }

  private session(key: string, graph: () => Graph, options?: SessionOptions): Promise<Session> {
    let s = this.sessions.get(key);
    if (!s) {
      const { model, externalData } = toOnnxSharing(graph(), EXTERNAL_FROM_BYTES);
      s = this.runtime.createSession(model, { label: key, ...options, externalData });
      this.sessions.set(key, s);
      s.catch(() => this.sessions.delete(key));
    }
    return s;
  }

  /** z [1, z_dim] -> w [1, num_ws, w_dim], truncated toward w_avg by psi. */
  async mapping(z: HostTensor, psi: number): Promise<HostTensor> {
    const s = await this.session('mapping', () => mappingGraph(this.source));
    return (await s.run({ [IO.z]: z, [IO.psi]: { shape: [1], data: new Float32Array([psi]) } }))[IO.w];
  }

  /**
   * ws [1, num_ws, w_dim] -> image [1, C, R, R] in [-1, 1]-ish, optionally with every block's features; with
   * `imageBlock`, the running image after that block instead (see synthesisGraph).
   */
  async synthesize(
    ws: HostTensor,
    opts: { features?: boolean; imageBlock?: number } = {},
  ): Promise<{ img: HostTensor; features: HostTensor[] }> {
    const withFeatures = !!opts.features;
    const ib = opts.imageBlock;
    const s = await this.session(
      `synthesis:${withFeatures}${ib === undefined ? '' : `:${ib}`}`,
      () => synthesisGraph(this.source, { features: withFeatures, imageBlock: ib }),
      { reuseRunMemory: true },
    );
    const out = await s.run({ [IO.ws]: ws });
    const features: HostTensor[] = [];
    for (let i = 0; out[IO.feat(i)]; i++) features.push(out[IO.feat(i)]);
    return { img: out[IO.img], features };
  }

  /** The output of block featureIdx only (the truncated graph). */
  async features(ws: HostTensor, featureIdx: number): Promise<HostTensor> {
    const s = await this.session(`features:${featureIdx}`, () => featuresGraph(this.source, featureIdx));
    return (await s.run({ [IO.ws]: ws }))[IO.feat(featureIdx)];
  }

  private split(featureIdx: number, rows: number, window?: WindowPlan, trackingIdx?: number): SplitVjp {
    const key = splitKey(featureIdx, rows, window, trackingIdx);
    let sp = this.splits.get(key);
    if (!sp) {
      sp = splitVjpGraphs(this.source, {
        optimisedRows: rows,
        featureIdx,
        window,
        trackingIdx,
      });
      this.splits.set(key, sp);
      this.savedNames.set(key, sp.saved);
    }
    return sp;
  }

  /** The names the forward saves its tensors under for the backward, without the graphs once those are dropped. */
  private savedOf(featureIdx: number, rows: number, window?: WindowPlan, trackingIdx?: number): SplitVjp['saved'] {
    return (
      this.savedNames.get(splitKey(featureIdx, rows, window, trackingIdx)) ??
      this.split(featureIdx, rows, window, trackingIdx).saved
    );
  }

  /** The backward half's session; once it is built (after the forward's), the split's graphs are let go. */
  private async backwardSession(featureIdx: number, rows: number, window?: WindowPlan, trackingIdx?: number) {
    const key = splitKey(featureIdx, rows, window, trackingIdx);
    const s = await this.session(`vjpb:${key}`, () => this.split(featureIdx, rows, window, trackingIdx).backward);
    if (this.sessions.has(`vjpf:${key}`)) this.splits.delete(key);
    return s;
  }

  /**
   * An image loss and its gradient for ws [1, num_ws, w_dim] in one run, with the image: what an inversion step
   * needs. `feeds` are the loss's own inputs (its target). One graph rather than a forward and a backward run, so the
   * tensors the backward reads (a gigabyte at 512 px) stay inside the runtime, which frees each once read. With
   * `imageBlock`, the loss reads the running image after that block (VjpOptions.imageBlock) and feeds are its size.
   */
  async imageLossGradient(
    ws: HostTensor,
    loss: ImageLoss,
    feeds: Readonly<Record<string, HostTensor>>,
    imageBlock?: number,
  ): Promise<{ img: HostTensor; loss: number; grad: HostTensor }> {
    const rows = this.numWs;
    if (ws.shape.join() !== [1, rows, this.config.w_dim].join())
      throw new Error(`ws must be [1, ${rows}, ${this.config.w_dim}], got [${ws.shape.join(', ')}]`);
    const s = await this.session(
      `loss:${loss.key}${imageBlock === undefined ? '' : `:${imageBlock}`}`,
      () => vjpGraph(this.source, { optimisedRows: rows, imageLoss: loss, imageBlock }),
      { reuseRunMemory: true },
    );
    const out = await s.run({ ...feeds, [IO.wsOpt]: ws });
    return { img: out[IO.img], loss: out[IO.loss].data[0], grad: out[IO.gradWsOpt] };
  }

  /**
   * Forward half of a gradient computation for ws = [wsOpt; wsRest]: block featureIdx's output on the host, and
   * the saved tensors the backward half needs, left on the device.
   */
  async forwardForGradient(
    wsOpt: HostTensor,
    wsRest: HostTensor | undefined,
    featureIdx: number,
    trackingIdx?: number,
  ): Promise<{ value: HostTensor; tracking?: HostTensor; saved: SavedForGradient }> {
    const rows = wsOpt.shape[1];
    const later = laterBlock(featureIdx, trackingIdx);
    const names = this.savedOf(featureIdx, rows, undefined, later);
    const s = await this.session(
      `vjpf:${splitKey(featureIdx, rows, undefined, later)}`,
      () => this.split(featureIdx, rows, undefined, later).forward,
      { deviceOutputs: names.map((t) => t.output) },
    );
    const feeds: Record<string, HostTensor> = { [IO.wsOpt]: wsOpt };
    if (wsRest) feeds[IO.wsRest] = wsRest;
    const { host, device } = await s.runKeeping(feeds);
    const saved: Record<string, SessionFeed> = {};
    for (const { output, input } of names) saved[input] = device[output];
    return {
      value: host[IO.feat(featureIdx)],
      tracking: later === undefined ? undefined : host[IO.feat(later)],
      saved: { feeds: saved, dispose: () => Object.values(device).forEach((t) => t.dispose()) },
    };
  }

  /** Backward half: the gradient for the optimised rows given the features' cotangent (trackingIdx: as the forward's). */
  async backwardFromSaved(
    saved: SavedForGradient,
    cotangent: HostTensor,
    featureIdx: number,
    rows: number,
    trackingIdx?: number,
  ): Promise<HostTensor> {
    const later = laterBlock(featureIdx, trackingIdx);
    const s = await this.backwardSession(featureIdx, rows, undefined, later);
    return (await s.run({ ...saved.feeds, [IO.dFeat]: cotangent }))[IO.gradWsOpt];
  }

  /**
   * The drag loop's feature evaluation. With boxes (what the loss and tracking will read), the blocks from some
   * resolution on run on one window per box, exactly (see featureWindows.ts), when the policy allows and, under
   * 'auto', when that is cheaper than the whole map; otherwise the whole feature map. A tracking block later than
   * the feature block (trackingIdx) runs on in the same pass, on whole maps. The forward's saved tensors stay on the
   * device until the step's dispose().
   */
  async featureStep(
    wsOpt: HostTensor,
    wsRest: HostTensor | undefined,
    featureIdx: number,
    request?: FeatureWindowRequest,
    trackingIdx?: number,
  ): Promise<FeatureStep> {
    const rows = wsOpt.shape[1];
    const later = laterBlock(featureIdx, trackingIdx);
    const plan = this.windowPlanFor(featureIdx, request, later);
    if (!plan || !request) {
      const { value, tracking, saved } = await this.forwardForGradient(wsOpt, wsRest, featureIdx, later);
      return {
        feat: value,
        tracking,
        path: 'whole',
        gradient: (d) => this.backwardFromSaved(saved, d, featureIdx, rows, later),
        dispose: () => saved.dispose(),
      };
    }
    const key = splitKey(featureIdx, rows, plan);
    this.useWindowPlan(key);
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      this.plansInFlight.set(key, (this.plansInFlight.get(key) ?? 1) - 1);
    };
    try {
      return await this.windowStep(key, plan, request, wsOpt, wsRest, featureIdx, done);
    } catch (e) {
      done();
      throw e;
    }
  }

  /** The window plan featureStep takes for this request, or none (the whole map). */
  private windowPlanFor(
    featureIdx: number,
    request: FeatureWindowRequest | undefined,
    later: number | undefined,
  ): WindowPlan | undefined {
    if (later !== undefined || !request || request.boxes.length === 0 || this.windowPolicy === 'off') return undefined;
    // StyleGAN3's layers resample through long low-pass filters at every layer (12 to 24 taps at up to 4x): a window's
    // halo would cover most of the map, so its steps always take the whole map.
    if (isStyleGan3(this.config)) return undefined;
    // The window plans (featureWindows.ts) crop square maps; a rectangular generator's steps take the whole map.
    if (this.config.square === false) return undefined;
    const choice = chooseWindows(this.config, featureIdx, request.size, request.boxes.length);
    return choice.cheaper || this.windowPolicy === 'on' ? choice.plan : undefined;
  }

  /**
   * Builds ahead what featureStep will need for a request of this shape (the boxes' count and size; where they are
   * does not matter): the forward and backward sessions of its window plan, or of the whole map, each run once.
   * That is a first step's extra cost (seconds at 512 px); done while the user places points, the first step costs
   * what the others do. A plan built here counts as used for KEPT_WINDOW_PLANS.
   */
  async prepareFeatureStep(
    rows: number,
    featureIdx: number,
    request: FeatureWindowRequest | undefined,
    trackingIdx?: number,
  ): Promise<void> {
    const later = laterBlock(featureIdx, trackingIdx);
    const plan = this.windowPlanFor(featureIdx, request, later);
    const tracking = plan ? undefined : later;
    const names = this.savedOf(featureIdx, rows, plan, tracking);
    const key = splitKey(featureIdx, rows, plan, tracking);
    // in flight while it builds and runs, so that another plan built meanwhile cannot release its sessions
    if (plan) this.useWindowPlan(key);
    try {
      const fwd = await this.session(`vjpf:${key}`, () => this.split(featureIdx, rows, plan, tracking).forward, {
        deviceOutputs: names.map((t) => t.output),
      });
      const bwd = await this.backwardSession(featureIdx, rows, plan, tracking);
      // One run of each on zeros: a session's first run costs about two more steps (its allocations), paid here too.
      const wd = this.config.w_dim;
      const zeros = (shape: number[]): HostTensor => ({
        shape,
        data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
      });
      const feeds: Record<string, HostTensor> = { [IO.wsOpt]: zeros([1, rows, wd]) };
      if (rows < this.numWs) feeds[IO.wsRest] = zeros([1, this.numWs - rows, wd]);
      if (plan) feeds[IO.winOffsets] = zeros([plan.count, plan.sizes.length, 2]);
      const { host, device } = await fwd.runKeeping(feeds);
      try {
        const saved: Record<string, SessionFeed> = {};
        for (const { output, input } of names) saved[input] = device[output];
        await bwd.run({ ...saved, [IO.dFeat]: zeros([...host[IO.feat(featureIdx)].shape]) });
      } finally {
        Object.values(device).forEach((t) => t.dispose());
      }
    } finally {
      if (plan) this.plansInFlight.set(key, (this.plansInFlight.get(key) ?? 1) - 1);
    }
  }

  /** The window path of featureStep; `done` is called once the step's saved tensors are disposed. */
  private async windowStep(
    key: string,
    plan: WindowPlan,
    request: FeatureWindowRequest,
    wsOpt: HostTensor,
    wsRest: HostTensor | undefined,
    featureIdx: number,
    done: () => void,
  ): Promise<FeatureStep> {
    const rows = wsOpt.shape[1];
    const names = this.savedOf(featureIdx, rows, plan);
    const fwd = await this.session(`vjpf:${key}`, () => this.split(featureIdx, rows, plan).forward, {
      deviceOutputs: names.map((t) => t.output),
    });
    const offsets = windowOffsets(this.config, featureIdx, plan, request.boxes);
    const nb = plan.sizes.length;
    const feeds: Record<string, HostTensor> = {
      [IO.wsOpt]: wsOpt,
      [IO.winOffsets]: { shape: [plan.count, nb, 2], data: offsets },
    };
    if (wsRest) feeds[IO.wsRest] = wsRest;
    const { host, device } = await fwd.runKeeping(feeds);
    const saved: Record<string, SessionFeed> = {};
    for (const { output, input } of names) saved[input] = device[output];
    // The feature windows start at twice the last block's input offsets.
    const last = new Float32Array(2 * plan.count);
    for (let i = 0; i < plan.count; i++)
      for (let a = 0; a < 2; a++) last[2 * i + a] = 2 * offsets[(i * nb + nb - 1) * 2 + a];
    const windows = { values: host[IO.feat(featureIdx)], offsets: last, boxes: request.boxes };
    return {
      feat: pasteWindows(windows, blockResolutions(this.config)[featureIdx]),
      path: 'window',
      gradient: async (dFeat) => {
        const bwd = await this.backwardSession(featureIdx, rows, plan);
        return (await bwd.run({ ...saved, [IO.dFeat]: splitCotangent(windows, dFeat) }))[IO.gradWsOpt];
      },
      dispose: () => {
        Object.values(device).forEach((t) => t.dispose());
        done();
      },
    };
  }

  /**
   * Marks a window plan used and in flight (a step, or a build ahead) and releases the sessions of the least recently used plans past
   * KEPT_WINDOW_PLANS that have no step in flight: each plan (one per handle count and window size) compiles its own
   * sessions with their own copy of the weights, so a user adding handles one by one would otherwise keep them all.
   */
  private useWindowPlan(key: string): void {
    const at = this.windowPlans.indexOf(key);
    if (at >= 0) this.windowPlans.splice(at, 1);
    this.windowPlans.push(key);
    this.plansInFlight.set(key, (this.plansInFlight.get(key) ?? 0) + 1);
    for (let i = 0; this.windowPlans.length > KEPT_WINDOW_PLANS && i < this.windowPlans.length - 1; ) {
      const old = this.windowPlans[i];
      if ((this.plansInFlight.get(old) ?? 0) > 0) {
        i++;
        continue;
      }
      this.windowPlans.splice(i, 1);
      this.plansInFlight.delete(old);
      this.splits.delete(old);
      this.savedNames.delete(old);
      for (const name of [`vjpf:${old}`, `vjpb:${old}`]) {
        const session = this.sessions.get(name);
        this.sessions.delete(name);
        void session?.then((x) => x.release()).catch(() => undefined);
      }
    }
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => (await p).release()));
  }
}

/** Initializers this large go to the runtime as they are, not copied into the model bytes (toOnnxSharing). */
const EXTERNAL_FROM_BYTES = 1 << 16;

/** Window plans whose sessions stay compiled; see useWindowPlan. */
export const KEPT_WINDOW_PLANS = 3;

/** later: a tracking block other than the target (laterBlock), or none. */
function splitKey(featureIdx: number, rows: number, w?: WindowPlan, later?: number): string {
  return `f${featureIdx}:${rows}${w ? `:w${w.startBlock}.${w.sizes.join('.')}.${w.count}` : ''}${later === undefined ? '' : `:t${later}`}`;
}
