import { toOnnx } from '../graph/onnx';
import type { Graph } from '../graph/ir';
import type { HostTensor } from '../graph/tensor';
import type { Runtime, Session, SessionFeed, SessionOptions } from '../runtime/runtime';
import { numWs } from './config';
import { featuresGraph, IO, mappingGraph, synthesisGraph, splitVjpGraphs, type GeneratorSource, type SplitVjp } from './graphs';

/** What a gradient is taken of: a synthesis block's output (by index) or the image. */
export type GradientTarget = number | 'image';

const targetKey = (t: GradientTarget): string => (t === 'image' ? 'img' : `f${t}`);

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
  private readonly splits = new Map<string, SplitVjp>();

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
      s = this.runtime.createSession(toOnnx(graph()), { label: key, ...options });
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

  /** ws [1, num_ws, w_dim] -> image [1, C, R, R] in [-1, 1]-ish, optionally with every block's features. */
  async synthesize(ws: HostTensor, opts: { features?: boolean } = {}): Promise<{ img: HostTensor; features: HostTensor[] }> {
    const withFeatures = !!opts.features;
    const s = await this.session(`synthesis:${withFeatures}`, () => synthesisGraph(this.source, { features: withFeatures }));
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

  private split(target: GradientTarget, rows: number): SplitVjp {
    const key = `${targetKey(target)}:${rows}`;
    let sp = this.splits.get(key);
    if (!sp) {
      sp = splitVjpGraphs(this.source, { optimisedRows: rows, ...(target === 'image' ? { image: true } : { featureIdx: target }) });
      this.splits.set(key, sp);
    }
    return sp;
  }

  /**
   * Forward half of a gradient computation for ws = [wsOpt; wsRest]: the target's value (a block's feature map, or
   * the image) on the host, and the saved tensors the backward half needs, left on the device.
   */
  async forwardForGradient(wsOpt: HostTensor, wsRest: HostTensor | undefined, target: GradientTarget): Promise<{ value: HostTensor; saved: SavedForGradient }> {
    const rows = wsOpt.shape[1];
    const sp = this.split(target, rows);
    const s = await this.session(`vjpf:${targetKey(target)}:${rows}`, () => sp.forward, { deviceOutputs: sp.saved.map((t) => t.output) });
    const feeds: Record<string, HostTensor> = { [IO.wsOpt]: wsOpt };
    if (wsRest) feeds[IO.wsRest] = wsRest;
    const { host, device } = await s.runKeeping(feeds);
    const saved: Record<string, SessionFeed> = {};
    for (const { output, input } of sp.saved) saved[input] = device[output];
    return {
      value: host[target === 'image' ? IO.img : IO.feat(target)],
      saved: { feeds: saved, dispose: () => Object.values(device).forEach((t) => t.dispose()) },
    };
  }

  /** Backward half: the gradient for the optimised rows given the target's cotangent. */
  async backwardFromSaved(saved: SavedForGradient, cotangent: HostTensor, target: GradientTarget, rows: number): Promise<HostTensor> {
    const sp = this.split(target, rows);
    const s = await this.session(`vjpb:${targetKey(target)}:${rows}`, () => sp.backward);
    return (await s.run({ ...saved.feeds, [target === 'image' ? IO.dImg : IO.dFeat]: cotangent }))[IO.gradWsOpt];
  }

  /** The drag loop's forward half: the feature map of block featureIdx. */
  async featuresForGradient(wsOpt: HostTensor, wsRest: HostTensor | undefined, featureIdx: number): Promise<{ feat: HostTensor; saved: SavedForGradient }> {
    const { value, saved } = await this.forwardForGradient(wsOpt, wsRest, featureIdx);
    return { feat: value, saved };
  }

  async gradientFromFeatures(saved: SavedForGradient, dFeat: HostTensor, featureIdx: number, rows: number): Promise<HostTensor> {
    return this.backwardFromSaved(saved, dFeat, featureIdx, rows);
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => (await p).release()));
  }
}
