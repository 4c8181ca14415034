/**
 * The edit flow behind the panel: model and engine, the source image and latent, Run / Stop / Reset / Undo, the
 * history strip, progress, and errors said in place. Elements only render this state and forward input.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HostTensor } from '../graph/tensor';
import { PreviewBudget } from '../drag/previewBudget';
import type { DragHyperParameters, HandleTarget, Point, StopReason } from '../drag/types';
import { importCheckpoint } from '../model/importCheckpoint';
import type { ModelPackage } from '../model/modelPackage';
import type { DragBackend } from './dragBackend';
import { explainError } from './explainError';
import type { EditResult, HostAction, HostPort, ModelEntry } from './hostPort';
import { MaskController } from './maskController';
import { pngDataUrl } from './pngDataUrl';
import { PointsController } from './pointsController';
import type { Rgba } from './rgba';
import { defaultSettings, mergeSettings, settingsProblem, type Settings } from './settings';
import { DEFAULT_DRAG } from '../stylegan2/config';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface Snapshot {
  latent: HostTensor;
  image: Rgba;
  url: string;
  pairs: HandleTarget[];
  label: string;
}

export interface Progress {
  step: number;
  max: number;
  label: string;
}

/** Frames kept for export; older ones are dropped so a long run cannot exhaust the panel's memory. */
const MAX_FRAMES = 400;

export class EditController implements ReactiveController {
  models: ModelEntry[] = [];
  modelId = '';
  pkg?: ModelPackage;
  settings: Settings = defaultSettings(DEFAULT_DRAG);
  /** What is running now ("Generating", "Dragging" ...); null when idle. */
  busy: string | null = null;
  error: string | null = null;
  status = '';
  progress: Progress | null = null;
  /** The image being edited and its latent. */
  current?: Snapshot;
  /** Where the edit started, for Reset. */
  origin?: Snapshot;
  /** Earlier results, oldest first; Undo steps back through them. */
  history: Snapshot[] = [];
  frames: Rgba[] = [];
  lastStop: StopReason | null = null;
  readonly points: PointsController;
  readonly mask: MaskController;
  private backend?: DragBackend;
  private backendKey = '';
  private abort?: AbortController;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly port: HostPort,
  ) {
    host.addController(this);
    this.points = new PointsController(host, () => this.resolution);
    this.mask = new MaskController(host, this.resolution);
  }

  hostConnected(): void {}

  get resolution(): number {
    return this.pkg?.config.img_resolution ?? 256;
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  private update(): void {
    this.host.requestUpdate();
  }

  /** Runs an action with the busy flag set and any failure shown in place. */
  private async guard(label: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = label;
    this.error = null;
    this.update();
    try {
      await fn();
    } catch (e) {
      this.error = explainError(e, label);
    } finally {
      this.busy = null;
      this.progress = null;
      this.update();
    }
  }

  async init(): Promise<void> {
    await this.guard('Loading models', async () => {
      this.models = await this.port.listModels();
      if (this.models.length === 0) throw new Error('no model is installed; import an official StyleGAN2 .pkl');
      await this.loadModel(this.models[0]);
    });
  }

  private async loadModel(entry: ModelEntry): Promise<void> {
    this.status = `Loading ${entry.label}…`;
    this.update();
    const pkg = await entry.load();
    await this.backend?.release();
    this.backend = undefined;
    this.pkg = pkg;
    this.modelId = entry.id;
    this.settings = mergeSettings(defaultSettings(pkg.config.draggan), this.port.loadSettings());
    this.mask.resize(pkg.config.img_resolution);
    this.points.clear();
    this.current = this.origin = undefined;
    this.history = [];
    this.status = `${pkg.config.name}: ${pkg.config.img_resolution} px`;
  }

  async selectModel(id: string): Promise<void> {
    const entry = this.models.find((m) => m.id === id);
    if (!entry || id === this.modelId) return;
    await this.guard('Loading the model', () => this.loadModel(entry));
  }

  async importCheckpoint(): Promise<void> {
    const pick = this.port.pickCheckpoint;
    if (!pick) return;
    await this.guard('Importing the checkpoint', async () => {
      const file = await pick.call(this.port);
      if (!file) return;
      this.status = `Reading ${file.name}…`;
      this.update();
      await yieldToEventLoop();
      const pkg = importCheckpoint(file.bytes, { name: file.name.replace(/\.pkl$/i, '') });
      const entry: ModelEntry = { id: `import:${file.name}:${this.models.length}`, label: `${pkg.config.name} (${pkg.config.img_resolution} px, imported)`, load: async () => pkg };
      this.models = [...this.models, entry];
      await this.loadModel(entry);
    });
  }

  updateSettings(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
    this.port.saveSettings(this.settings);
    this.update();
  }

  /** The engine for the current model and backend setting, started on first use and kept. */
  private async engine(): Promise<DragBackend> {
    if (!this.pkg) throw new Error('no model is loaded');
    const s = this.settings;
    const key = `${this.modelId}|${s.backend}|${s.remoteUrl}|${s.remoteToken}`;
    if (!this.backend || this.backendKey !== key) {
      await this.backend?.release();
      this.backend = undefined;
      this.status = 'Starting the engine…';
      this.update();
      this.backend = await this.port.createBackend(this.pkg, s);
      this.backendKey = key;
    }
    return this.backend;
  }

  private snapshot(latent: HostTensor, image: Rgba, label: string): Snapshot {
    return { latent, image, url: pngDataUrl(image), pairs: this.points.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })), label };
  }

  private begin(latent: HostTensor, image: Rgba, label: string): void {
    this.current = this.origin = this.snapshot(latent, image, label);
    this.history = [];
    this.frames = [];
    this.lastStop = null;
  }

  async generate(): Promise<void> {
    const problem = settingsProblem(this.settings);
    if (problem) {
      this.error = problem;
      return this.update();
    }
    await this.guard('Generating', async () => {
      const engine = await this.engine();
      this.status = `Generating seed ${this.settings.seed}…`;
      this.update();
      const latent = await engine.generate(this.settings.seed, this.settings.psi);
      const image = await engine.render(latent);
      this.points.clear();
      this.begin(latent, image, `seed ${this.settings.seed}, psi ${this.settings.psi}`);
      this.status = `Seed ${this.settings.seed} on ${engine.description}`;
    });
  }

  async useHostSource(): Promise<void> {
    const read = this.port.readSource;
    if (!read) return;
    await this.guard('Reading the image', async () => {
      const engine = await this.engine();
      const src = await read.call(this.port, this.resolution);
      if (!engine.invert) {
        throw new Error('this build has no GAN inversion yet, so a photo cannot be edited; use Generate (seed) meanwhile');
      }
      const abort = new AbortController();
      this.abort = abort;
      try {
        const inv = await engine.invert(src.image, {
          steps: this.settings.invertSteps,
          signal: abort.signal,
          onProgress: (p) => {
            this.progress = { step: p.step, max: p.steps, label: `Inverting ${src.label}${p.psnr ? `, PSNR ${p.psnr.toFixed(1)} dB` : ''}` };
            this.update();
          },
        });
        const image = await engine.render(inv.latent);
        this.begin(inv.latent, image, src.label);
        if (src.mask) this.mask.set(src.mask);
        this.status = `${src.label}${inv.psnr ? `: inverted at ${inv.psnr.toFixed(1)} dB PSNR` : ''}`;
      } finally {
        this.abort = undefined;
      }
    });
  }

  async importHostPoints(): Promise<void> {
    const read = this.port.readPoints;
    if (!read) return;
    await this.guard('Reading points', async () => {
      const pairs = await read.call(this.port, this.resolution);
      if (pairs.length === 0) throw new Error('no points found: add colour samplers in pairs (handle, then target) or a pen path of two-point subpaths');
      this.points.set(pairs);
      this.status = `${pairs.length} point pair${pairs.length === 1 ? '' : 's'} from ${this.port.name}`;
    });
  }

  private hyperParameters(): DragHyperParameters {
    const s = this.settings;
    const d = this.pkg?.config.draggan ?? DEFAULT_DRAG;
    return { lr: s.lr, r1: s.r1, r2: s.r2, lambda: s.lambda, featureIdx: d.feature_idx, optimisedRows: 6, mode: s.mode, maxSteps: s.maxSteps };
  }

  async run(): Promise<void> {
    const problem = settingsProblem(this.settings) ?? (!this.current ? 'Generate an image (or read one from the host) first.' : this.points.pairs.length === 0 ? 'Place at least one handle and target: click the image once for a handle, again for its target.' : undefined);
    if (problem) {
      this.error = problem;
      return this.update();
    }
    if (!this.current) return;
    // the snapshot to return to on Undo carries the points as placed for this drag
    const start: Snapshot = { ...this.current, pairs: this.points.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })) };
    if (this.current === this.origin) this.origin = start;
    await this.guard('Dragging', async () => {
      const engine = await this.engine();
      const session = engine.createSession(start.latent, this.hyperParameters());
      session.setPoints(this.points.pairs);
      session.setMask(this.mask.forSession());
      const abort = new AbortController();
      this.abort = abort;
      this.points.locked = true;
      this.frames = [];
      const max = this.settings.maxSteps;
      const every = Math.max(1, Math.round(this.settings.previewEvery));
      let steps = 0;
      let reason: StopReason = 'step-cap';
      let tracked: Point[] = this.points.pairs.map((p) => p.handle);
      const t0 = Date.now();
      // A preview is a whole synthesis, several windowed steps' worth: spaced by time as well as by the setting.
      const budget = new PreviewBudget();
      budget.begin(t0);
      this.progress = { step: 0, max, label: 'Dragging' };
      this.update();
      try {
        // one step per call, yielding between them, so the panel repaints and Stop gets through
        for (;;) {
          const perCall = engine.stepsPerCall;
          // a local run() renders a preview at the end of every call, so it gets a callback only when one is due
          const due = perCall > 1 || ((steps + 1) % every === 0 && budget.due(Date.now()));
          const r = await session.run({
            signal: abort.signal,
            steps: perCall,
            previewEvery: every,
            previewBudget: budget,
            onStep: (rep) => {
              tracked = rep.points;
              this.points.showTracked(rep.points);
              this.progress = { step: rep.step, max, label: `Step ${rep.step} · loss ${rep.loss.toFixed(3)} · ${rep.ms} ms` };
            },
            onPreview: due ? (img) => this.showFrame(engine.toImage(img)) : undefined,
          });
          steps = r.steps;
          tracked = r.points;
          if (r.reason !== 'step-cap' || r.steps >= max) {
            reason = r.reason;
            break;
          }
          await yieldToEventLoop();
        }
      } finally {
        this.abort = undefined;
        this.points.locked = false;
      }
      const latent = session.latent();
      const image = await engine.render(latent);
      this.showFrame(image);
      this.history = [...this.history, start];
      this.points.advanceHandles(tracked);
      this.current = this.snapshot(latent, image, `drag ${this.history.length}`);
      this.lastStop = reason;
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      this.status = reason === 'converged' ? `Done: every handle reached its target in ${steps} steps (${secs} s).` : reason === 'cancelled' ? `Stopped after ${steps} steps.` : `Reached the step cap (${steps} steps, ${secs} s); Run again to continue.`;
    });
  }

  private showFrame(image: Rgba): void {
    if (!this.current) return;
    this.frames = [...this.frames.slice(-(MAX_FRAMES - 1)), image];
    this.current = { ...this.current, image, url: pngDataUrl(image) };
    this.update();
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Back to where the edit started (the source image and its points). */
  reset(): void {
    if (this.running || !this.origin) return;
    if (this.current !== this.origin) this.history = [...this.history, this.current ?? this.origin];
    this.current = this.origin;
    this.points.set(this.origin.pairs);
    this.status = 'Reset to the source image.';
    this.update();
  }

  /** Undoes the last drag. */
  undo(): void {
    if (this.running || this.history.length === 0) return;
    const prev = this.history[this.history.length - 1];
    this.history = this.history.slice(0, -1);
    this.current = prev;
    this.points.set(prev.pairs);
    this.status = `Back to ${prev.label}.`;
    this.update();
  }

  /** Shows an earlier result from the strip; the one being left joins the strip. */
  restore(index: number): void {
    const snap = this.history[index];
    if (this.running || !snap || !this.current) return;
    this.history = [...this.history.filter((_, i) => i !== index), this.current];
    this.current = snap;
    this.points.set(snap.pairs);
    this.update();
  }

  private result(): EditResult | undefined {
    const c = this.current;
    if (!c) return undefined;
    return { image: c.image, latent: c.latent, pairs: this.points.pairs, tracked: this.points.pairs.map((p) => p.handle), frames: this.frames };
  }

  async apply(): Promise<void> {
    const r = this.result();
    if (!r) {
      this.error = 'Nothing to apply yet: generate an image and drag it first.';
      return this.update();
    }
    await this.guard(this.port.applyLabel, async () => {
      await this.port.apply(r);
      this.status = `${this.port.applyLabel}: done.`;
    });
  }

  async extra(action: HostAction): Promise<void> {
    const r = this.result();
    if (!r) {
      this.error = 'Nothing to save yet: generate an image first.';
      return this.update();
    }
    await this.guard(action.label, () => action.run(r));
  }
}
