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
import { engineWords } from './engineWords';
import { explainError } from './explainError';
import { drawSeed } from './fieldValues';
import type { EditResult, HostAction, HostPort, HostSource, ModelEntry } from './hostPort';
import type { FramedFace } from '../engine/photoFaces';
import type { Affine } from '../faces/affine';
import type { FaceParts } from '../faces/faceParts';
import { presetPairs, type PresetName } from '../faces/presets';
import { MaskController } from './maskController';
import { imageUrl, releaseImageUrls } from './imageUrl';
import { START_LOCAL_ENGINE } from './localEngineHelp';
import { sourceSizeNote } from './sourceSizeNote';
import { PointsController } from './pointsController';
import { DragPreparer } from './dragPreparer';
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

/**
 * Below this PSNR an inversion is not the picture any more (the issue measured 13.8-18.7 dB for photos in the
 * bundled model; its own faces come back above 25): the status says so and what would help.
 */
export const LOW_PSNR_DB = 20;

/** Faces found in the host's picture for a face model, before inversion: the user picks one, or the square. */
export interface FacePick {
  source: HostSource;
  found: FramedFace[];
  index: number;
  /** The shown face's crop, as the preview shows it. */
  url: string;
}

/** The face the edit started from: where presets go, and the way back into the host's picture. */
export interface EditedFace {
  parts: FaceParts;
  toPhoto: Affine;
  photo: Image8;
}

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
  /** The seed field is empty: each Generate draws a new seed (said in the status line and the history). */
  randomSeed = false;
  /** What is running now ("Generating", "Dragging" ...); null when idle. */
  busy: string | null = null;
  error: string | null = null;
  /** For a message about something the user has to change (no points yet, a bad field): whether it is fixed now. */
  private errorGone?: () => boolean;
  status = '';
  progress: Progress | null = null;
  /** The image being edited and its latent. */
  current?: Snapshot;
  /** Where the edit started, for Reset. */
  origin?: Snapshot;
  /** Whether `origin` is the inversion of an image the host read (so the host can composite the edit onto it). */
  private originFromHost = false;
  /** Faces found in the picture just read, waiting for the user's pick; null otherwise. */
  facePick: FacePick | null = null;
  /** The face the current edit started from (presets are offered while it is set). */
  face: EditedFace | null = null;
  /** Earlier results, oldest first; Undo steps back through them. */
  history: Snapshot[] = [];
  frames: Image8[] = [];
  /** The step the last of `frames` shows. */
  private frameStep = -1;
  lastStop: StopReason | null = null;
  readonly points: PointsController;
  readonly mask: MaskController;
  private engineHandle?: { key: string; engine: Engine };
  /** The image last applied or saved by the host: nothing is lost by starting afresh from it. */
  private keptCurrent?: Snapshot;
  /** A question waiting for the user before the edit is dropped (confirmDrop); null when none. */
  confirmation: { message: string; yes: string } | null = null;
  private answerWith?: (yes: boolean) => void;
  /** The engine (engineKey) that has made an image: its first Generate, much slower, shows its stages. */
  private warmKey?: string;
  /** The engine stored as the user's choice: one that has started, so a choice that fails does not return at the next start. */
  private storedBackend: Settings['backend'] = 'wasm';
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
    new DragPreparer(host, () => ({ engine: this.engineHandle?.engine, handles: this.points.pairs.map((p) => p.handle), masked: () => !this.mask.isEmpty, hp: this.hyperParameters(), busy: this.busy !== null }));
  }

  hostConnected(): void {}

  /**
   * After each render: image URLs no longer shown or kept (previews a run moved past) give their pixels back, and a
   * message whose cause the user has fixed since goes away.
   */
  hostUpdated(): void {
    releaseImageUrls([this.current?.url, this.origin?.url, ...this.history.map((h) => h.url), this.mask.liveUrl, this.facePick?.url]);
    if (this.error && this.errorGone?.()) {
      this.error = null;
      this.errorGone = undefined;
      this.update();
    }
  }

  /** Shows a message about something the user has to change; it goes once `gone` says it is fixed. */
  private ask(message: string, gone: () => boolean): void {
    this.error = message;
    this.errorGone = gone;
    this.update();
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
    this.errorGone = undefined;
    // a failed action leaves the status as it was, not on its own "Starting the engine…" or "Reading x.pkl…"
    const statusBefore = this.status;
    this.update();
    try {
      await fn();
    } catch (e) {
      this.error = explainError(e, label, this.port.pageOrigin);
      this.errorGone = undefined;
      this.status = statusBefore;
    } finally {
      this.busy = null;
      this.progress = null;
      this.update();
    }
  }

  async init(): Promise<void> {
    this.settings = mergeSettings(this.settings, await this.port.loadSettings());
    this.storedBackend = this.settings.backend;
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
      if (!this.localServerUrl) throw new UserFixableError(`no local engine answers on this computer: ${START_LOCAL_ENGINE} again (or choose another engine there)`);
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
    this.face = this.facePick = null;
    this.history = [];
    this.frames = [];
    this.status = `${engine.model.name}${engine.model.domain ? ` (draws ${engine.model.domain})` : ''}: ${engine.model.resolution} px, computed on ${engineWords(engine.description)}`;
  }

  async selectModel(id: string): Promise<void> {
    const entry = this.models.find((m) => m.id === id);
    if (!entry || id === this.modelId) return;
    if (!(await this.confirmDrop('Another model', 'Switch model'))) return this.update();
    await this.guard('Loading the model', () => this.loadModel(entry));
  }

  /** The host's models changed (Get models…): re-read them; open `id` (asked first, like a switch), or the first when the open one is gone. */
  async modelsChanged(id?: string): Promise<void> {
    if (servedBackend(this.settings.backend)) return;
    const listed = [...(await this.port.listModels()), ...this.imported];
    const next = listed.find((m) => m.id === (id ?? this.modelId)) ?? listed[0];
    this.models = listed;
    if (!next || next.id === this.modelId || (id && !(await this.confirmDrop('Another model', 'Switch model')))) return this.update();
    await this.guard('Loading the model', () => this.loadModel(next));
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

  /**
   * Stores the change; another engine (or endpoint) restarts from the model list, and the promise ends with that. An
   * engine choice is stored once it has started: one that cannot start is not what the panel opens with next time.
   */
  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const before = this.settings;
    const next = { ...this.settings, ...patch };
    // an endpoint's models are other models: the edit cannot come along
    const toEndpoint = next.backend !== before.backend && (servedBackend(next.backend) || servedBackend(before.backend));
    if (toEndpoint && !(await this.confirmDrop('Another engine', 'Switch engine'))) return this.update();
    this.settings = next;
    this.port.saveSettings({ ...this.settings, backend: this.storedBackend });
    this.update();
    const s = this.settings;
    const remote = s.backend === 'remote';
    const endpointChanged = s.backend !== before.backend && (servedBackend(s.backend) || servedBackend(before.backend));
    const started = () => {
      this.storedBackend = s.backend;
      this.port.saveSettings(this.settings);
    };
    if (endpointChanged || (remote && (s.remoteUrl !== before.remoteUrl || s.remoteToken !== before.remoteToken))) {
      // to or from an endpoint (or another one): its models are other models, so start over from the list
      if (!remote || /^https?:\/\/./.test(s.remoteUrl)) {
        await this.guard('Starting the engine', async () => {
          // picked by the user: look for it again (it may have been started since)
          if (s.backend === 'local-server') await this.findLocalServer();
          await this.loadModels();
          started();
        });
      }
    } else if (s.backend !== before.backend && this.modelId) {
      // the same model on another local engine: the edit carries over
      await this.guard('Starting the engine', async () => {
        await this.engine();
        started();
      });
    } else if (s.backend !== before.backend) started();
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
    this.status = engine.notes.length ? `Note: ${engine.notes.join('; ')}` : `Computing on ${engineWords(engine.description)}`;
    return engine;
  }

  private snapshot(latent: HostTensor, image: Image8, label: string): Snapshot {
    return { latent, image, url: imageUrl(image), pairs: this.points.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })), label };
  }

  /** A new source image: its own points and mask start empty (the old ones belong to the previous image). */
  private begin(latent: HostTensor, image: Image8, label: string, fromHost = false, face: EditedFace | null = null): void {
    this.originFromHost = fromHost;
    this.face = face;
    this.facePick = null;
    this.points.clear();
    this.mask.clear();
    this.current = this.origin = this.snapshot(latent, image, label);
    this.history = [];
    this.frames = [];
    this.lastStop = null;
  }

  /** Runs one stage of `of` with a progress bar at it, its label counting the seconds so a slow stage shows it is alive. */
  private async stage<T>(index: number, of: number, label: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const show = () => {
      this.progress = { step: index, max: of, label: `${label} (${index + 1} of ${of})… ${Math.floor((Date.now() - t0) / 1000)} s` };
      this.update();
    };
    show();
    const timer = setInterval(show, 1000);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Before something that starts the edit afresh: where there is work to lose (a drag, or an image the host's photo
   * was inverted into), the user is asked; true to go on. A question still open when another comes is declined.
   */
  private async confirmDrop(what: string, yes: string): Promise<boolean> {
    // a stopped drag's last image first: the question is about the edit as it ended, which then stays as shown
    await this.settling;
    const drags = this.history.length;
    if ((drags === 0 && !this.originFromHost) || this.current === this.keptCurrent) return true;
    this.answerWith?.(false);
    const lost = drags ? `the edited image and its ${drags} earlier result${drags === 1 ? '' : 's'}` : 'the image read from the host';
    return new Promise((resolve) => {
      this.confirmation = { message: `${what} starts afresh: ${lost} will be gone, and Undo cannot bring ${drags ? 'them' : 'it'} back. Use ${this.port.applyLabel} first to keep the edit.`, yes };
      this.answerWith = resolve;
      this.update();
    });
  }

  /** The user's answer to `confirmation`. */
  answer(yes: boolean): void {
    const resolve = this.answerWith;
    this.answerWith = undefined;
    this.confirmation = null;
    this.update();
    resolve?.(yes);
  }

  /** A seed typed in the field, or null for an empty one: a new seed at each Generate. */
  async setSeed(seed: number | null): Promise<void> {
    this.randomSeed = seed === null;
    if (seed === null) return this.update();
    await this.updateSettings({ seed });
  }

  async generate(): Promise<void> {
    // no model runs (its engine failed to start): the message that says why stays up
    if (!this.model) return;
    const problem = settingsProblem(this.settings);
    if (problem) return this.ask(problem, () => settingsProblem(this.settings) === undefined);
    const seed = this.randomSeed ? drawSeed() : this.settings.seed;
    await this.guard('Generating', async () => {
      // the first image on an engine builds its graphs and runtime sessions (seconds on a CPU): said stage by stage
      const cold = this.warmKey !== this.engineKey();
      const staged = <T>(i: number, label: string, fn: () => Promise<T>): Promise<T> => (cold ? this.stage(i, 3, `First image: ${label}`, fn) : fn());
      const engine = await staged(0, 'starting the engine', () => this.engine());
      const latent = await staged(1, 'preparing the model (once per engine)', () => engine.generate(seed, this.settings.psi));
      const image = await staged(2, 'drawing it', () => engine.render(latent));
      this.warmKey = this.engineKey();
      this.begin(latent, image, `seed ${seed}, psi ${this.settings.psi}`);
      this.status = `Seed ${seed}, computed on ${engineWords(engine.description)}`;
    });
  }

  /** What the model draws, for messages ("cartoon faces, 128 px demo"), from its card. */
  private get domain(): string {
    return this.model?.domain || this.model?.name || 'this model';
  }

  /**
   * Reads the host's picture. For a face model (its card asks for an alignment) the faces in it are found and the
   * first one's aligned crop is shown for the user to invert, pick another, or fall back to the square; otherwise,
   * or when there is no face (said in the status), the square is inverted at once.
   */
  async useHostSource(): Promise<void> {
    const read = this.port.readSource;
    if (!read) return;
    await this.guard('Reading the image', async () => {
      // the host's image first: a host that cannot give one says so before an engine is started for nothing
      const src = await read.call(this.port, this.resolution);
      // asked once the image is there (a file that cannot be opened asks nothing)
      if (!(await this.confirmDrop(`Opening ${src.label}`, 'Open it'))) return;
      const engine = await this.engine();
      this.facePick = null;
      if (engine.model.alignment !== 'none' && engine.findFaces && src.photo) {
        this.status = `Looking for faces in ${src.label}…`;
        this.update();
        const p = src.photo;
        const found = await engine.findFaces({ width: p.width, height: p.height, data: p.data });
        if (found.length > 0) return this.showFace({ source: src, found, index: 0, url: '' }, 0);
        await this.invertSource(src.image, src.label, src.mask);
        this.status +=
          `${sizeNote(src, this.resolution)}. No face was found in it: ${engine.model.name} draws ${this.domain}, so the square was inverted as it is. ` +
          'For an edit of a face, open a picture that shows one (at least a fifth of its shorter side across), or select around the face';
        return;
      }
      await this.invertSource(src.image, src.label, src.mask);
      this.status += sizeNote(src, this.resolution);
    });
  }

  private showFace(pick: FacePick, index: number): void {
    const f = pick.found[index];
    this.facePick = { ...pick, index, url: imageUrl(f.image) };
    const n = pick.found.length;
    this.status = `Face ${index + 1} of ${n} in ${pick.source.label} (confidence ${f.confidence.toFixed(2)}), shown as it will be inverted.`;
  }

  /** The next face found (they are offered best first). */
  nextFace(): void {
    const pick = this.facePick;
    if (!pick || pick.found.length < 2 || this.busy) return;
    this.showFace(pick, (pick.index + 1) % pick.found.length);
    this.update();
  }

  /** Inverts the face shown; presets are offered afterwards, and Apply carries the edit back into the picture. */
  async invertFace(): Promise<void> {
    const pick = this.facePick;
    const f = pick?.found[pick.index];
    if (!pick || !f || !pick.source.photo) return;
    const photo = pick.source.photo;
    await this.guard('Inverting the face', () => this.invertSource(f.image, `face ${pick.index + 1} of ${pick.source.label}`, undefined, { parts: f.parts, toPhoto: f.toPhoto, photo }));
  }

  /** Falls back to the square the host read (the selection, or the picture's centred square). */
  async useSquare(): Promise<void> {
    const pick = this.facePick;
    if (!pick) return;
    await this.guard('Reading the image', () => this.invertSource(pick.source.image, pick.source.label, pick.source.mask));
  }

  private async invertSource(image: Image8, label: string, mask?: Uint8Array, face: EditedFace | null = null): Promise<void> {
    const engine = await this.engine();
    const abort = new AbortController();
    this.abort = abort;
    this.progress = { step: 0, max: this.settings.invertSteps, label: `Inverting ${label}` };
    this.update();
    try {
      const inv = await engine.invert(
        { width: image.width, height: image.height, channels: 4, data: image.data },
        {
          steps: this.settings.invertSteps,
          signal: abort.signal,
          onProgress: (p) => {
            this.progress = { step: p.step, max: p.steps, label: `Inverting ${label}${p.psnr ? `, PSNR ${p.psnr.toFixed(1)} dB` : ''}` };
            this.update();
          },
        },
      );
      const result = inv.image ?? (await engine.render(inv.latent));
      this.begin(inv.latent, result, label, true, face);
      if (mask) this.mask.set(mask);
      const how = inv.cancelled ? `stopped after ${inv.steps} steps, keeping the best fit` : `inverted in ${inv.steps} steps`;
      this.status = `${label}: ${how}, ${inv.psnr.toFixed(1)} dB PSNR`;
      if (inv.psnr < LOW_PSNR_DB) {
        this.status +=
          `. That is too low to edit: ${engine.model.name} draws ${this.domain}, and this picture is far from that. ` +
          'A model made for this kind of picture (an FFHQ model for photographed faces), or a tighter selection around the subject, would help.';
      }
    } finally {
      this.abort = undefined;
    }
  }

  /** Places a preset's handle -> target pairs on the face being edited, after any points already there. */
  addPreset(name: PresetName): void {
    if (!this.face || this.running) return;
    const res = this.resolution;
    const pairs = presetPairs(this.face.parts, { preset: name }, { width: res, height: res });
    this.points.set([...this.points.pairs, ...pairs.map((p) => ({ handle: p.handle, target: p.target }))]);
    this.status = `${name}: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} placed; move or delete them, then Run.`;
    this.update();
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

  /** What stops a drag from starting, said as what to do; undefined when it can start. */
  private runProblem(): string | undefined {
    return settingsProblem(this.settings) ?? (!this.current ? 'Generate an image (or read one from the host) first.' : this.points.pairs.length === 0 ? 'Place at least one handle and target: click the image once for a handle, again for its target.' : undefined);
  }

  async run(): Promise<void> {
    const problem = this.runProblem();
    if (problem) return this.ask(problem, () => this.runProblem() === undefined);
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
      this.error = explainError(e, 'Rendering the result', this.port.pageOrigin);
      this.errorGone = undefined;
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
    this.ask(`${what} was not opened: ${this.busy.toLowerCase()} is still under way. Wait for it (or Stop), then try again.`, () => !this.busy);
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
    const face = this.face;
    const engine = this.engineHandle?.engine;
    const composite = engine?.composite;
    const inPhoto =
      face && reconstruction && composite
        ? () => composite.call(engine, { width: face.photo.width, height: face.photo.height, data: face.photo.data }, face.toPhoto, reconstruction, c.image)
        : undefined;
    return { image: c.image, ...(reconstruction ? { reconstruction } : {}), ...(inPhoto ? { inPhoto } : {}), latent: c.latent, pairs: this.points.pairs, tracked: this.points.pairs.map((p) => p.handle), frames: this.frames };
  }

  async apply(): Promise<void> {
    await this.settling;
    const r = this.result();
    if (!r) return this.ask('Nothing to apply yet: generate an image and drag it first.', () => !!this.current);
    await this.guard(this.port.applyLabel, async () => {
      await this.port.apply(r);
      this.keptCurrent = this.current;
      this.status = `${this.port.applyLabel}: done.`;
    });
  }

  async extra(action: HostAction): Promise<void> {
    await this.settling;
    const r = this.result();
    if (!r) return this.ask('Nothing to save yet: generate an image first.', () => !!this.current);
    await this.guard(action.label, () => action.run(r));
  }
}

/** A note on a very small, large or long source, as a sentence to append to the status ('' when none). */
function sizeNote(src: HostSource, resolution: number): string {
  const note = src.size && sourceSizeNote(src.size.width, src.size.height, resolution);
  return note ? `. ${note}` : '';
}
