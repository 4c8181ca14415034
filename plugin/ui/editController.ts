/**
 * The edit flow behind the panel: model and engine, the source image and latent, Run / Stop / Reset / Undo, the
 * history strip, progress, and errors said in place. Elements only render this state and forward input.
 */
import type { Image8 } from '../codecs/image8';
import type { DragHyperParameters } from '../engine/core/dragSettings';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UserFixableError } from '../engine/core/errors';
import type { HandleTarget, Point, StopReason } from '../engine/core/types';
import type { Engine, ModelSummary } from '../engine/engine';
import { remoteEngine, remoteModels } from '../engine/remoteEngine';
import type { HostTensor } from '../graph/tensor';
import { PreviewBudget } from '../drag/previewBudget';
import { explainError } from './explainError';
import type { EditResult, HostAction, HostPort, ModelEntry } from './hostPort';
import { MaskController } from './maskController';
import { imageUrl, releaseImageUrls } from './imageUrl';
import { PointsController } from './pointsController';
import { defaultSettings, dragSettingsOf, mergeSettings, servedBackend, settingsProblem, type LocalBackend, type Settings } from './settings';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface Snapshot {
  latent: HostTensor;
  image: Image8;
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
  /** The model the engine runs (resolution, defaults); undefined until an engine has started. */
  model?: ModelSummary;
  settings: Settings = defaultSettings();
  /** The engines this host runs itself (wasm; WebGPU where the browser has an adapter). */
  localBackends: LocalBackend[] = ['wasm'];
  /** `draggan serve` on this computer as the host last found it (null: none answered). */
  localServerUrl: string | null = null;
  /** What the local engine runs on, as it reported ("CPU, 8 threads"); undefined from a server that does not say. */
  localServerEngine: string | undefined;
  /** What is really running and why it is not what was asked for, for Settings. */
  engineInfo: { description: string; notes: readonly string[] } | null = null;
  /** What is running now ("Generating", "Dragging" ...); null when idle. */
  busy: string | null = null;
  error: string | null = null;
  status = '';
  progress: Progress | null = null;
  /** The image being edited and its latent. */
  current?: Snapshot;
  /** Where the edit started, for Reset. */
  origin?: Snapshot;
  /** Whether `origin` is the inversion of an image the host read (so the host can composite the edit onto it). */
  private originFromHost = false;
  /** Earlier results, oldest first; Undo steps back through them. */
  history: Snapshot[] = [];
  frames: Image8[] = [];
  /** The step the last of `frames` shows. */
  private frameStep = -1;
  lastStop: StopReason | null = null;
  readonly points: PointsController;
  readonly mask: MaskController;
  private engineHandle?: { key: string; engine: Engine };
  /** Checkpoints imported this session: they stay in the picker when the engine changes. */
  private imported: ModelEntry[] = [];
  private abort?: AbortController;
  /** The final image of a stopped drag, still being rendered: what Apply and the downloads wait for. */
  private settling?: Promise<void>;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly port: HostPort,
  ) {
    host.addController(this);
    this.points = new PointsController(host, () => this.resolution);
    this.mask = new MaskController(host, this.resolution);
  }

  hostConnected(): void {}

  /** After each render: image URLs no longer shown or kept (previews a run moved past) give their pixels back. */
  hostUpdated(): void {
    releaseImageUrls([this.current?.url, this.origin?.url, ...this.history.map((h) => h.url), this.mask.liveUrl]);
  }

  get resolution(): number {
    return this.model?.resolution ?? 256;
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  private update(): void {
    this.host.requestUpdate();
  }

  /** Runs an action with the busy flag set and any failure shown in place (the status line says it failed). */
  private async guard(label: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = label;
    this.error = null;
    // a failed action leaves the status as it was, not on its own "Starting the engine…" or "Reading x.pkl…"
    const statusBefore = this.status;
    this.update();
    try {
      await fn();
    } catch (e) {
      this.error = explainError(e, label);
      this.status = statusBefore;
    } finally {
      this.busy = null;
      this.progress = null;
      this.update();
    }
  }

  async init(): Promise<void> {
    this.settings = mergeSettings(this.settings, await this.port.loadSettings());
    await this.guard('Loading models', async () => {
      this.localBackends = await this.port.localBackends();
      // a local engine that runs is used by itself, unless the user chose an endpoint; one that stopped is not
      const found = await this.findLocalServer();
      if (found && this.settings.backend !== 'remote') this.settings = { ...this.settings, backend: 'local-server' };
      else if (!found && this.settings.backend === 'local-server') this.settings = { ...this.settings, backend: this.localBackends[0] ?? 'wasm' };
      await this.loadModels();
    });
  }

  /** Asks the host for `draggan serve` on this computer; remembers the answer for the engine and Settings. */
  private async findLocalServer(): Promise<string | null> {
    const found = (await this.port.findLocalServer?.()) ?? null;
    this.localServerUrl = found?.url ?? null;
    this.localServerEngine = found?.engine;
    return this.localServerUrl;
  }

  /** The picker's models: the host's own, or the endpoint's when the engine is remote. */
  private async loadModels(): Promise<void> {
    this.models = [];
    this.modelId = '';
    this.model = undefined;
    if (servedBackend(this.settings.backend)) {
      this.status = `Asking ${this.remoteOptions().endpoints[0]} for its models…`;
      this.update();
      const served = await remoteModels(this.remoteOptions());
      this.models = served.map((m) => ({ id: m.id, label: `${m.name} (${m.resolution} px, on the endpoint)` }));
      if (this.models.length === 0) throw new UserFixableError('the remote endpoint serves no models');
    } else {
      this.models = [...(await this.port.listModels()), ...this.imported];
      if (this.models.length === 0) throw new UserFixableError('no model is installed; import an official StyleGAN2 .pkl');
    }
    await this.loadModel(this.models[0]);
  }

  private remoteOptions() {
    if (this.settings.backend === 'local-server') {
      if (!this.localServerUrl) throw new UserFixableError('no local engine answers on this computer: start it with npm run serve (see the README), or choose another engine in Settings');
      return { endpoints: [this.localServerUrl], label: 'Local engine' };
    }
    return { endpoints: [this.settings.remoteUrl.replace(/\/+$/, '')], token: this.settings.remoteToken || undefined };
  }

  /** Starts the engine on a model; the edit starts afresh (the points and the image belong to the old model). */
  private async loadModel(entry: ModelEntry): Promise<void> {
    this.modelId = entry.id;
    const engine = await this.engine();
    this.model = engine.model;
    // the model's defaults under the stored values; the engine stays the one running (a found local engine is not stored)
    this.settings = { ...mergeSettings(defaultSettings(engine.model.defaults), await this.port.loadSettings()), backend: this.settings.backend };
    this.mask.resize(engine.model.resolution);
    this.points.clear();
    this.current = this.origin = undefined;
    this.originFromHost = false;
    this.history = [];
    this.frames = [];
    this.status = `${engine.model.name}: ${engine.model.resolution} px on ${engine.description}`;
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
      this.status = `Importing ${file.name}…`;
      this.update();
      await yieldToEventLoop();
      const entry: ModelEntry = this.port.importCheckpoint
        ? await this.port.importCheckpoint(file)
        : { id: `import:${file.name}:${this.models.length}`, label: `${file.name} (imported)`, source: { kind: 'checkpoint', name: file.name, file: file.file } };
      const previous = this.models;
      if (servedBackend(this.settings.backend)) this.settings = { ...this.settings, backend: this.localBackends[0] ?? 'wasm' };
      this.models = [...previous, entry];
      try {
        await this.loadModel(entry);
      } catch (e) {
        this.models = previous;
        throw e;
      }
      // a host that keeps imports lists them itself from now on
      if (!this.port.importCheckpoint) this.imported = [...this.imported, entry];
      entry.label = `${this.model?.name ?? file.name} (${this.resolution} px, imported)`;
    });
  }

  /** Stores the change; another engine (or endpoint) restarts from the model list, and the promise ends with that. */
  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const before = this.settings;
    this.settings = { ...this.settings, ...patch };
    this.port.saveSettings(this.settings);
    this.update();
    const s = this.settings;
    const remote = s.backend === 'remote';
    const endpointChanged = s.backend !== before.backend && (servedBackend(s.backend) || servedBackend(before.backend));
    if (endpointChanged || (remote && (s.remoteUrl !== before.remoteUrl || s.remoteToken !== before.remoteToken))) {
      // to or from an endpoint (or another one): its models are other models, so start over from the list
      if (!remote || /^https?:\/\/./.test(s.remoteUrl)) {
        await this.guard('Starting the engine', async () => {
          // picked by the user: look for it again (it may have been started since)
          if (s.backend === 'local-server') await this.findLocalServer();
          await this.loadModels();
        });
      }
    } else if (s.backend !== before.backend && this.modelId) {
      // the same model on another local engine: the edit carries over
      await this.guard('Starting the engine', async () => {
        await this.engine();
      });
    }
  }

  private engineKey(): string {
    const s = this.settings;
    return JSON.stringify([this.modelId, s.backend, s.backend === 'remote' ? [s.remoteUrl, s.remoteToken] : s.backend === 'local-server' ? [this.localServerUrl] : []]);
  }

  /** The engine for the current model and engine setting, started on first use and kept. */
  private async engine(): Promise<Engine> {
    const key = this.engineKey();
    if (this.engineHandle?.key === key) return this.engineHandle.engine;
    const old = this.engineHandle;
    this.engineHandle = undefined;
    this.engineInfo = null;
    await old?.engine.release();
    const entry = this.models.find((m) => m.id === this.modelId);
    if (!entry) throw new UserFixableError('no model is selected; pick one in the model list');
    this.status = 'Starting the engine…';
    this.update();
    const s = this.settings;
    let engine: Engine;
    if (servedBackend(s.backend)) engine = await remoteEngine({ ...this.remoteOptions(), modelId: entry.id });
    else if (!entry.source) throw new UserFixableError('this model is on the remote endpoint; choose the remote engine in Settings');
    else engine = await this.port.openEngine(entry.source, this.localBackends.includes(s.backend) ? s.backend : 'wasm');
    this.engineHandle = { key, engine };
    this.engineInfo = { description: engine.description, notes: engine.notes };
    this.status = engine.notes.length ? `Note: ${engine.notes.join('; ')}` : `Running on ${engine.description}`;
    return engine;
  }

  private snapshot(latent: HostTensor, image: Image8, label: string): Snapshot {
    return { latent, image, url: imageUrl(image), pairs: this.points.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })), label };
  }

  /** A new source image: its own points and mask start empty (the old ones belong to the previous image). */
  private begin(latent: HostTensor, image: Image8, label: string, fromHost = false): void {
    this.originFromHost = fromHost;
    this.points.clear();
    this.mask.clear();
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
    const seed = this.settings.seed;
    await this.guard('Generating', async () => {
      const engine = await this.engine();
      this.status = `Generating seed ${seed}…`;
      this.update();
      const latent = await engine.generate(seed, this.settings.psi);
      const image = await engine.render(latent);
      this.begin(latent, image, `seed ${seed}, psi ${this.settings.psi}`);
      this.status = `Seed ${seed} on ${engine.description}`;
    });
  }

  async useHostSource(): Promise<void> {
    const read = this.port.readSource;
    if (!read) return;
    await this.guard('Reading the image', async () => {
      // the host's image first: a host that cannot give one says so before an engine is started for nothing
      const src = await read.call(this.port, this.resolution);
      const engine = await this.engine();
      const abort = new AbortController();
      this.abort = abort;
      this.progress = { step: 0, max: this.settings.invertSteps, label: `Inverting ${src.label}` };
      this.update();
      try {
        const inv = await engine.invert(
          { width: src.image.width, height: src.image.height, channels: 4, data: src.image.data },
          {
            steps: this.settings.invertSteps,
            signal: abort.signal,
            onProgress: (p) => {
              this.progress = { step: p.step, max: p.steps, label: `Inverting ${src.label}${p.psnr ? `, PSNR ${p.psnr.toFixed(1)} dB` : ''}` };
              this.update();
            },
          },
        );
        const image = inv.image ?? (await engine.render(inv.latent));
        this.begin(inv.latent, image, src.label, true);
        if (src.mask) this.mask.set(src.mask);
        const how = inv.cancelled ? `stopped after ${inv.steps} steps, keeping the best fit` : `inverted in ${inv.steps} steps`;
        this.status = `${src.label}: ${how}, ${inv.psnr.toFixed(1)} dB PSNR`;
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
      if (pairs.length === 0) throw new UserFixableError('no points found: add colour samplers in pairs (handle, then target) or a pen path of two-point subpaths');
      this.points.set(pairs);
      this.status = `${pairs.length} point pair${pairs.length === 1 ? '' : 's'} from ${this.port.name}`;
    });
  }

  /** The settings' overrides of the model's defaults (the engine fills in and validates the rest). */
  private hyperParameters(): Partial<DragHyperParameters> {
    return dragSettingsOf(this.settings);
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
      const session = await engine.openDrag(start.latent, this.hyperParameters());
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
      /** The last preview and the step it shows: the final image when it is of the final step. */
      let shown: { image: Image8; step: number } | undefined;
      const t0 = Date.now();
      // A preview is a whole synthesis, several windowed steps' worth: spaced by time as well as by the setting.
      const budget = new PreviewBudget();
      budget.begin(t0);
      this.progress = { step: 0, max, label: 'Dragging' };
      this.update();
      try {
        // an engine on this thread runs a step per call, yielding between them, so the panel repaints and Stop gets through
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
              this.update();
            },
            onPreviewImage: due
              ? (image, step) => {
                  shown = { image, step };
                  this.showFrame(image, step);
                }
              : undefined,
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
      const upToDate = shown?.step === steps ? shown.image : undefined;
      // after a Stop the panel is free at once: the last preview stands in until the final image is rendered
      const stopped = reason === 'cancelled' && !upToDate && this.current;
      const image = upToDate ?? (stopped ? this.current!.image : await engine.render(latent));
      if (!upToDate && !stopped) this.showFrame(image, steps);
      this.history = [...this.history, start];
      this.points.advanceHandles(tracked);
      this.current = this.snapshot(latent, image, `drag ${this.history.length}`);
      if (stopped) this.settling = this.renderLater(engine, this.current, steps);
      this.lastStop = reason;
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      this.status = reason === 'converged' ? `Done: every handle reached its target in ${steps} steps (${secs} s).` : reason === 'cancelled' ? `Stopped after ${steps} steps.` : `Reached the step cap (${steps} steps, ${secs} s); Run again to continue.`;
    });
  }

  /** Replaces a stand-in image by the latent's own (and records it as the run's last frame), unless the user has moved on. */
  private async renderLater(engine: Engine, snap: Snapshot, step: number): Promise<void> {
    try {
      const image = await engine.render(snap.latent);
      if (this.current === snap) this.showFrame(image, step);
    } catch (e) {
      this.error = explainError(e, 'Rendering the result');
      this.update();
    }
  }

  /**
   * A preview during a run. A step can arrive twice (a session previews a due step and again at the end of its call;
   * the final render repeats the last step): the later image replaces that step's frame instead of repeating it.
   */
  private showFrame(image: Image8, step: number): void {
    if (!this.current) return;
    const again = this.frames.length > 0 && step === this.frameStep;
    this.frames = again ? [...this.frames.slice(0, -1), image] : [...this.frames.slice(-(MAX_FRAMES - 1)), image];
    this.frameStep = step;
    this.current = { ...this.current, image, url: imageUrl(image) };
    this.update();
  }

  stop(): void {
    this.abort?.abort();
  }

  /** For input that arrives while an action runs (a file dropped on the page): says why it is not taken; true when busy. */
  refuseWhileBusy(what: string): boolean {
    if (!this.busy) return false;
    this.error = `${what} was not opened: ${this.busy.toLowerCase()} is still under way. Wait for it (or Stop), then try again.`;
    this.update();
    return true;
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
    const reconstruction = this.originFromHost ? this.origin?.image : undefined;
    return { image: c.image, ...(reconstruction ? { reconstruction } : {}), latent: c.latent, pairs: this.points.pairs, tracked: this.points.pairs.map((p) => p.handle), frames: this.frames };
  }

  async apply(): Promise<void> {
    await this.settling;
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
    await this.settling;
    const r = this.result();
    if (!r) {
      this.error = 'Nothing to save yet: generate an image first.';
      return this.update();
    }
    await this.guard(action.label, () => action.run(r));
  }
}
