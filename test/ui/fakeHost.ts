/** Stand-ins for the panel's surroundings: a Lit controller host, an engine and a host port, all in memory. */
import type { Image8 } from '../../plugin/codecs/image8';
import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunOptions, RunResult, DragSessionLike } from '../../plugin/core/session';
import { DRAG_DEFAULTS, modelHyperParameters } from '../../plugin/core/defaults';
import type { EditState } from '../../plugin/core/editState';
import type { HandleTarget, Point, StopReason } from '../../plugin/core/types';
import type { Engine, ModelSummary } from '../../plugin/engine/engine';
import type { HostTensor } from '../../plugin/graph/tensor';
import { byteSourceOf } from '../../plugin/model/byteSource';
import { importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import type { ModelSource } from '../../plugin/engine/modelSource';
import type { EditResult, HostPort, HostSource, PickedCheckpoint } from '../../plugin/ui/hostPort';
import type { LocalBackend, Settings } from '../../plugin/ui/settings';

export class FakeControllerHost implements ReactiveControllerHost {
  updates = 0;
  controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  readonly updateComplete = Promise.resolve(true);
}

export const RES = 16;

export const model: ModelSummary = {
  id: 'fake',
  name: 'fake',
  description: 'a fake model',
  license: 'none',
  resolution: RES,
  numWs: 6,
  wDim: 4,
  zDim: 4,
  defaults: modelHyperParameters(DRAG_DEFAULTS.model, { numWs: 6, numBlocks: Math.log2(RES) - 1 }),
  alignment: 'none',
  faceModel: 'photo',
  domain: '',
};

/** A grey image whose level is the latent's first value, so each latent renders distinctly. */
function imageOf(latent: HostTensor): Image8 {
  const data = new Uint8ClampedArray(RES * RES * 4).fill(Math.max(0, Math.min(255, Math.round(latent.data[0]))));
  return { width: RES, height: RES, data };
}

/** Moves each handle 1 px toward its target per step; the latent counts the steps. */
export class FakeSession implements DragSessionLike {
  pairs: HandleTarget[] = [];
  tracked: Point[] = [];
  mask: unknown = null;
  steps = 0;
  constructor(
    private readonly w0: HostTensor,
    readonly hp: DragHyperParameters,
    private readonly stepDelay: number,
  ) {}
  setPoints(p: readonly HandleTarget[]): void {
    this.pairs = p.map((x) => ({ handle: { ...x.handle }, target: { ...x.target } }));
    this.tracked = this.pairs.map((x) => ({ ...x.handle }));
  }
  setMask(m: unknown): void {
    this.mask = m;
  }
  get points(): Point[] {
    return this.tracked;
  }
  get targets(): Point[] {
    return this.pairs.map((p) => p.target);
  }
  setTargets(t: readonly Point[]): void {
    this.pairs = this.pairs.map((p, i) => ({ handle: p.handle, target: { ...t[i] } }));
  }
  setLearningRate(lr: number): void {
    this.hp.lr = lr;
  }
  reset(): void {
    this.steps = 0;
    this.tracked = this.pairs.map((x) => ({ ...x.handle }));
  }
  snapshot(): EditState {
    throw new Error('the fake session keeps no edit state');
  }
  latent(): HostTensor {
    const d = this.w0.data.slice();
    d[0] += this.steps * 10;
    return { shape: this.w0.shape, data: d };
  }
  /** The image render would give for the current latent. */
  private preview(): Image8 {
    return imageOf(this.latent());
  }
  /** As DragSession: a preview every `previewEvery` steps, and one more at the end of every call. */
  async run(o: RunOptions): Promise<RunResult> {
    const every = o.previewEvery ?? 0;
    let reason: StopReason = 'step-cap';
    for (let i = 0; i < (o.steps ?? Infinity) && this.steps < this.hp.maxSteps; i++) {
      if (o.signal?.aborted) {
        reason = 'cancelled';
        break;
      }
      await new Promise((r) => setTimeout(r, this.stepDelay));
      const done = this.tracked.every(
        (p, k) => Math.hypot(this.pairs[k].target.x - p.x, this.pairs[k].target.y - p.y) <= 1,
      );
      if (done) {
        reason = 'converged';
        break;
      }
      this.tracked = this.tracked.map((p, k) => {
        const t = this.pairs[k].target;
        const d = Math.hypot(t.x - p.x, t.y - p.y);
        return d <= 1 ? { ...t } : { x: p.x + (t.x - p.x) / d, y: p.y + (t.y - p.y) / d };
      });
      this.steps++;
      o.onStep?.({ step: this.steps, points: this.tracked, loss: 1 / this.steps, ms: this.stepDelay });
      if (o.onPreviewImage && every > 0 && this.steps % every === 0) o.onPreviewImage(this.preview(), this.steps);
    }
    o.onPreviewImage?.(this.preview(), this.steps);
    return { reason, steps: this.steps, points: this.tracked };
  }
}

export function fakeEngine(stepDelay = 1): Engine & { sessions: FakeSession[] } {
  const sessions: FakeSession[] = [];
  return {
    sessions,
    description: 'fake engine',
    notes: [],
    model,
    stepsPerCall: 1,
    async generate(seed: number): Promise<HostTensor> {
      return { shape: [1, 6, 4], data: new Float32Array(24).fill(seed) };
    },
    async render(latent: HostTensor): Promise<Image8> {
      // a render takes about a step, as a synthesis does
      await new Promise((r) => setTimeout(r, stepDelay));
      return imageOf(latent);
    },
    async openDrag(w0: HostTensor, hp: Partial<DragHyperParameters> = {}) {
      const s = new FakeSession(w0, { ...model.defaults, ...hp }, stepDelay);
      sessions.push(s);
      return s;
    },
    /** The panel never resumes a state; a fake that could would only copy the state's fields. */
    async resumeDrag() {
      throw new Error('the fake engine does not resume drags');
    },
    /** "Inverts" a photo to a latent that renders at the photo's grey level. */
    async invert(image) {
      return {
        latent: { shape: [1, 6, 4], data: new Float32Array(24).fill(image.data[0]) },
        psnr: 30,
        steps: 4,
        cancelled: false,
      };
    },
    /** Content stays where it was: every point is found where it is asked for. */
    async track(_from: HostTensor, points: readonly Point[]): Promise<Point[]> {
      return points.map((p) => ({ ...p }));
    },
    async release() {},
  };
}

export class FakePort implements HostPort {
  readonly name = 'Fake host';
  readonly applyLabel = 'Apply';
  applied: EditResult[] = [];
  stored: Partial<Settings> = {};
  /** When set, starting an engine fails with it (a missing backend, an unreachable endpoint). */
  failCreate: Error | null = null;
  /** What "Import .pkl…" picks; null: the user cancels. */
  checkpoint: PickedCheckpoint | null = null;
  /** The grey level of the photo readSource gives. */
  photoLevel = 100;
  constructor(readonly engine: Engine & { sessions: FakeSession[] }) {}
  async listModels() {
    return [
      {
        id: 'fake',
        label: 'Fake model',
        source: { kind: 'package' as const, load: () => Promise.reject(new Error('the fake engine needs no package')) },
      },
    ];
  }
  async localBackends(): Promise<LocalBackend[]> {
    return ['wasm'];
  }
  /** A checkpoint goes through the real importer, so a broken .pkl fails as it would in a host. */
  async openEngine(source: ModelSource): Promise<Engine> {
    if (this.failCreate) throw this.failCreate;
    if (source.kind === 'checkpoint') await importCheckpointFrom(byteSourceOf(source.file));
    return this.engine;
  }
  async pickCheckpoint() {
    return this.checkpoint;
  }
  async readSource(): Promise<HostSource> {
    return {
      image: { width: RES, height: RES, data: new Uint8ClampedArray(RES * RES * 4).fill(this.photoLevel) },
      label: 'photo.png (16 x 16)',
    };
  }
  async readPoints(): Promise<HandleTarget[]> {
    return [{ handle: { x: 2, y: 2 }, target: { x: 5, y: 2 } }];
  }
  async apply(r: EditResult): Promise<void> {
    this.applied.push(r);
  }
  loadSettings(): Partial<Settings> {
    return this.stored;
  }
  saveSettings(s: Settings): void {
    this.stored = s;
  }
}
