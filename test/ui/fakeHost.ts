/** Stand-ins for the panel's surroundings: a Lit controller host, an engine and a host port, all in memory. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunOptions, RunResult } from '../../plugin/drag/dragSession';
import type { DragHyperParameters, HandleTarget, Point, StopReason } from '../../plugin/drag/types';
import type { HostTensor } from '../../plugin/graph/tensor';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { DEFAULT_DRAG, type ModelConfig } from '../../plugin/stylegan2/config';
import type { DragSessionLike } from '../../plugin/drag/dragSessionLike';
import type { DragBackend } from '../../plugin/ui/dragBackend';
import type { EditResult, HostPort, HostSource } from '../../plugin/ui/hostPort';
import type { Rgba } from '../../plugin/ui/rgba';
import type { Settings } from '../../plugin/ui/settings';

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

export const config: ModelConfig = {
  z_dim: 4, c_dim: 0, w_dim: 4, img_resolution: RES, img_channels: 3,
  mapping_kwargs: { num_layers: 2, lr_multiplier: 0.01 },
  synthesis_kwargs: { channel_base: 64, channel_max: 8, conv_clamp: 256, architecture: 'skip' },
  name: 'fake', description: '', license: '', draggan: DEFAULT_DRAG,
};

/** A grey image whose level is the latent's first value, so each latent renders distinctly. */
function imageOf(latent: HostTensor): Rgba {
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
  latent(): HostTensor {
    const d = this.w0.data.slice();
    d[0] += this.steps * 10;
    return { shape: this.w0.shape, data: d };
  }
  /** A preview tensor whose first value is the latent's, so toImage shows the grey level render would. */
  private preview(): HostTensor {
    return { shape: [1, 3, RES, RES], data: new Float32Array(3 * RES * RES).fill(this.latent().data[0]) };
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
      const done = this.tracked.every((p, k) => Math.hypot(this.pairs[k].target.x - p.x, this.pairs[k].target.y - p.y) <= 1);
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
      if (o.onPreview && every > 0 && this.steps % every === 0) o.onPreview(this.preview(), this.steps);
    }
    o.onPreview?.(this.preview(), this.steps);
    return { reason, steps: this.steps, points: this.tracked };
  }
}

export function fakeBackend(stepDelay = 1): DragBackend & { sessions: FakeSession[] } {
  const sessions: FakeSession[] = [];
  return {
    sessions,
    description: 'fake engine',
    config,
    stepsPerCall: 1,
    async generate(seed: number): Promise<HostTensor> {
      return { shape: [1, 6, 4], data: new Float32Array(24).fill(seed) };
    },
    async render(latent: HostTensor): Promise<Rgba> {
      return imageOf(latent);
    },
    toImage: imageOf,
    createSession(w0: HostTensor, hp: DragHyperParameters): DragSessionLike {
      const s = new FakeSession(w0, hp, stepDelay);
      sessions.push(s);
      return s;
    },
    /** "Inverts" a photo to a latent that renders at the photo's grey level. */
    async invert(image: Rgba) {
      return { latent: { shape: [1, 6, 4], data: new Float32Array(24).fill(image.data[0]) }, psnr: 30 };
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
  checkpoint: { name: string; bytes: Uint8Array } | null = null;
  /** The grey level of the photo readSource gives. */
  photoLevel = 100;
  constructor(readonly backend: DragBackend & { sessions: FakeSession[] }) {}
  async listModels() {
    const pkg: ModelPackage = { config, weights: new Map() };
    return [{ id: 'fake', label: 'Fake model', load: async () => pkg }];
  }
  async createBackend(): Promise<DragBackend> {
    if (this.failCreate) throw this.failCreate;
    return this.backend;
  }
  async pickCheckpoint() {
    return this.checkpoint;
  }
  async readSource(): Promise<HostSource> {
    return { image: { width: RES, height: RES, data: new Uint8ClampedArray(RES * RES * 4).fill(this.photoLevel) }, label: 'photo.png (16 x 16)' };
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
