/**
 * The edit flow behind the panel: Generate, reading the host's picture (its faces for a face model), inversion, Run /
 * Stop, Apply. It drives smaller controllers that hold the rest: the action under way and the status line
 * (PanelTask), the model and engine (EngineController), the edit's images (EditHistory), the points, the mask, the
 * faces of a photo (FaceController), the question before an edit is dropped. Elements only render this state and forward input.
 */
import { playedFrames } from '../engine/frameTimeline';
import type { Image8 } from '../codecs/image8';
import type { DragHyperParameters } from '../core/dragSettings';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UserFixableError } from '../core/errors';
import type { StopReason } from '../core/types';
import type { Engine, InversionResult, ModelSummary } from '../engine/engine';
import type { HostTensor } from '../graph/tensor';
import { dragLoop } from './dragLoop';
import { DropQuestion } from './dropQuestion';
import { EditHistory, type Snapshot } from './editHistory';
import { EngineController } from './engineController';
import { engineWords } from './engineWords';
import { explainError } from './explainError';
import { drawSeed } from './fieldValues';
import type { EditResult, HostAction, HostPort, ModelEntry } from './hostPort';
import { FaceController, type EditedFace } from './faceController';
import { MaskController } from './maskController';
import { releaseImageUrls } from './imageUrl';
import { PanelTask, type Progress } from './panelTask';
import { sizeSentence } from './sourceSizeNote';
import { PointsController } from './pointsController';
import { DragPreparer } from './dragPreparer';
import { dragSettingsOf, settingsProblem, type LocalBackend, type Settings } from './settings';

export type { Snapshot } from './editHistory';
export type { Progress } from './panelTask';

/**
 * Below this PSNR an inversion is not the picture any more (the issue measured 13.8-18.7 dB for photos in the
 * bundled model; its own faces come back above 25): the status says so and what would help.
 */
export const LOW_PSNR_DB = 20;

export class EditController implements ReactiveController {
  readonly task: PanelTask;
  readonly engines: EngineController;
  readonly edits: EditHistory;
  readonly points: PointsController;
  readonly mask: MaskController;
  readonly faces: FaceController;
  private readonly question: DropQuestion;
  /** The seed field is empty: each Generate draws a new seed (said in the status line and the history). */
  randomSeed = false;
  private abort?: AbortController;
  /** The final image of a stopped drag, still being rendered: what Apply and the downloads wait for. */
  private settling?: Promise<void>;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly port: HostPort,
  ) {
    host.addController(this);
    this.task = new PanelTask(host, (e, doing) => explainError(e, doing, port.pageOrigin));
    this.question = new DropQuestion(host);
    this.engines = new EngineController(host, port, this.task, {
      confirmDrop: (what, yes) => this.confirmDrop(what, yes),
      modelLoaded: (model) => this.modelLoaded(model),
    });
    this.points = new PointsController(host, () => ({ width: this.width, height: this.resolution }));
    this.mask = new MaskController(host, this.width, this.resolution);
    this.edits = new EditHistory(host, this.points);
    this.faces = new FaceController(host, {
      task: this.task,
      points: this.points,
      size: () => ({ width: this.width, height: this.resolution }),
      running: () => this.running,
      domain: () => this.domain,
      invert: async (image, label, mask, face) => {
        await this.invertSource(image, label, mask, face);
      },
    });
    new DragPreparer(host, () => ({
      engine: this.engines.running,
      handles: this.points.pairs.map((p) => p.handle),
      masked: () => !this.mask.isEmpty,
      hp: this.hyperParameters(),
      busy: this.busy !== null,
    }));
  }

  // What the elements read, from the controllers that hold it.
  get models(): ModelEntry[] {
    return this.engines.models;
  }
  get modelId(): string {
    return this.engines.modelId;
  }
  get model(): ModelSummary | undefined {
    return this.engines.model;
  }
  get settings(): Settings {
    return this.engines.settings;
  }
  get localBackends(): LocalBackend[] {
    return this.engines.localBackends;
  }
  get localServerUrl(): string | null {
    return this.engines.localServerUrl;
  }
  get localServerEngine(): string | undefined {
    return this.engines.localServerEngine;
  }
  get engineInfo(): { description: string; notes: readonly string[] } | null {
    return this.engines.engineInfo;
  }
  get busy(): string | null {
    return this.task.busy;
  }
  get error(): string | null {
    return this.task.error;
  }
  get status(): string {
    return this.task.status;
  }
  get progress(): Progress | null {
    return this.task.progress;
  }
  get current(): Snapshot | undefined {
    return this.edits.current;
  }
  get origin(): Snapshot | undefined {
    return this.edits.origin;
  }
  get history(): Snapshot[] {
    return this.edits.results;
  }
  get frames(): Image8[] {
    return this.edits.frames;
  }
  get lastStop(): StopReason | null {
    return this.edits.lastStop;
  }
  /** A question waiting for the user before the edit is dropped (confirmDrop); null when none. */
  get confirmation(): { message: string; yes: string } | null {
    return this.question.shown;
  }

  /** The model's image height (and width, for a square model). */
  get resolution(): number {
    return this.model?.resolution ?? 256;
  }

  /** The model's image width: a portrait (StyleGAN-Human) model's is half its height. */
  get width(): number {
    return this.model?.width ?? this.resolution;
  }

  get running(): boolean {
    return this.abort !== undefined || this.faces.searching;
  }

  hostConnected(): void {}

  /**
   * After each render: image URLs no longer shown or kept (previews a run moved past) give their pixels back, and a
   * message whose cause the user has fixed since goes away.
   */
  hostUpdated(): void {
    releaseImageUrls([...this.edits.urls, this.mask.liveUrl, this.faces.pick?.url]);
    this.task.dropFixedMessage();
  }

  init(): Promise<void> {
    return this.engines.init();
  }

  selectModel(id: string): Promise<void> {
    return this.engines.selectModel(id);
  }

  importCheckpoint(): Promise<void> {
    return this.engines.importCheckpoint();
  }

  modelsChanged(id?: string): Promise<void> {
    return this.engines.modelsChanged(id);
  }

  updateSettings(patch: Partial<Settings>): Promise<void> {
    return this.engines.updateSettings(patch);
  }

  /** A model has started: the points, the mask and the images belong to the old one. */
  private modelLoaded(model: ModelSummary): void {
    this.mask.resize(model.width ?? model.resolution, model.resolution);
    this.points.clear();
    this.edits.clear();
    this.faces.begin(null);
  }

  /** A new source image: its own points and mask start empty (the old ones belong to the previous image). */
  private begin(
    latent: HostTensor,
    image: Image8,
    label: string,
    fromHost = false,
    face: EditedFace | null = null,
  ): void {
    this.faces.begin(face);
    this.points.clear();
    this.mask.clear();
    this.edits.begin(latent, image, label, fromHost);
  }

  /**
   * Before something that starts the edit afresh: where there is work to lose (a drag, or an image the host's photo
   * was inverted into), the user is asked; true to go on. A question still open when another comes is declined.
   */
  async confirmDrop(what: string, yes: string): Promise<boolean> {
    // a stopped drag's last image first: the question is about the edit as it ended, which then stays as shown
    await this.settling;
    const lost = this.edits.workToLose;
    if (lost === undefined) return true;
    const them = this.edits.results.length ? 'them' : 'it';
    return this.question.ask(
      `${what} starts afresh: ${lost} will be gone, and Undo cannot bring ${them} back. Use ${this.port.applyLabel} first to keep the edit.`,
      yes,
    );
  }

  /** The user's answer to `confirmation`. */
  answer(yes: boolean): void {
    this.question.answer(yes);
  }

  /** A seed typed in the field, or null for an empty one: a new seed at each Generate. */
  async setSeed(seed: number | null): Promise<void> {
    this.randomSeed = seed === null;
    if (seed === null) return this.host.requestUpdate();
    await this.updateSettings({ seed });
  }

  async generate(): Promise<void> {
    // no model runs (its engine failed to start): the message that says why stays up
    if (!this.model) return;
    const problem = settingsProblem(this.settings);
    if (problem) return this.task.ask(problem, () => settingsProblem(this.settings) === undefined);
    if (!(await this.confirmDrop('A new image', 'Generate'))) return this.host.requestUpdate();
    const seed = this.randomSeed ? drawSeed() : this.settings.seed;
    await this.task.run('Generating', async () => {
      // the first image on an engine builds its graphs and runtime sessions (seconds on a CPU): said stage by stage
      const cold = !this.engines.warm;
      const staged = <T>(i: number, label: string, fn: () => Promise<T>): Promise<T> =>
        cold ? this.task.stage(i, 3, `First image: ${label}`, fn) : fn();
      const engine = await staged(0, 'starting the engine', () => this.engines.engine());
      const latent = await staged(1, 'preparing the model (once per engine)', () =>
        engine.generate(seed, this.settings.psi),
      );
      const image = await staged(2, 'drawing it', () => engine.render(latent));
      this.engines.markWarm();
      this.begin(latent, image, `seed ${seed}, psi ${this.settings.psi}`);
      this.task.status = `Seed ${seed}, computed on ${engineWords(engine.description)}`;
    });
  }

  /** What the model draws, for messages ("cartoon faces, 128 px demo"), from its card. */
  get domain(): string {
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
    await this.task.run('Reading the image', async () => {
      // the host's image first: a host that cannot give one says so before an engine is started for nothing
      const src = await read.call(this.port, this.resolution, this.width);
      // asked once the image is there (a file that cannot be opened asks nothing)
      if (!(await this.confirmDrop(`Opening ${src.label}`, 'Open it'))) return;
      const engine = await this.engines.engine();
      this.faces.pick = null;
      if (engine.model.alignment !== 'none' && engine.findFaces && src.photo)
        return this.faces.open(src, src.photo, engine.findFaces.bind(engine), engine.model.name);
      await this.invertSource(src.image, src.label, src.mask);
      this.task.status += sizeSentence(src.size, this.resolution, this.width);
    });
  }

  /** Inverts a picture as the new source of the edit (a clip's key frame), inside an action already under way. */
  async invertFrame(image: Image8, label: string): Promise<InversionResult> {
    return this.invertSource(image, label);
  }

  /** Runs work that Stop ends (its signal), with Stop offered meanwhile. */
  async stoppable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    this.abort = abort;
    try {
      return await fn(abort.signal);
    } finally {
      this.abort = undefined;
    }
  }

  private async invertSource(
    image: Image8,
    label: string,
    mask?: Uint8Array,
    face: EditedFace | null = null,
  ): Promise<InversionResult> {
    const engine = await this.engines.engine();
    const abort = new AbortController();
    this.abort = abort;
    this.task.progress = { step: 0, max: this.settings.invertSteps, label: `Inverting ${label}` };
    try {
      const inv = await engine.invert(
        { width: image.width, height: image.height, channels: 4, data: image.data },
        {
          steps: this.settings.invertSteps,
          signal: abort.signal,
          onProgress: (p) => {
            this.task.progress = {
              step: p.step,
              max: p.steps,
              label: `Inverting ${label}${p.psnr ? `, PSNR ${p.psnr.toFixed(1)} dB` : ''}`,
            };
          },
        },
      );
      const result = inv.image ?? (await engine.render(inv.latent));
      this.begin(inv.latent, result, label, true, face);
      if (mask) this.mask.set(mask);
      const how = inv.cancelled
        ? `stopped after ${inv.steps} steps, keeping the best fit`
        : `inverted in ${inv.steps} steps`;
      let status = `${label}: ${how}, ${inv.psnr.toFixed(1)} dB PSNR`;
      if (inv.psnr < LOW_PSNR_DB) {
        status +=
          `. That is too low to edit: ${engine.model.name} draws ${this.domain}, and this picture is far from that. ` +
          'A model made for this kind of picture (an FFHQ model for photographed faces), or a tighter selection around the subject, would help.';
      }
      this.task.status = status;
      return inv;
    } finally {
      this.abort = undefined;
    }
  }

  async importHostPoints(): Promise<void> {
    const read = this.port.readPoints;
    if (!read) return;
    await this.task.run('Reading points', async () => {
      const pairs = await read.call(this.port, this.resolution, this.width);
      if (pairs.length === 0)
        throw new UserFixableError(
          'no points found: add colour samplers in pairs (handle, then target) or a pen path of two-point subpaths',
        );
      this.points.set(pairs);
      this.task.status = `${pairs.length} point pair${pairs.length === 1 ? '' : 's'} from ${this.port.name}`;
    });
  }

  /** The settings' overrides of the model's defaults (the engine fills in and validates the rest). */
  hyperParameters(): Partial<DragHyperParameters> {
    return dragSettingsOf(this.settings);
  }

  /** What stops a drag from starting, said as what to do; undefined when it can start. */
  private runProblem(): string | undefined {
    return (
      settingsProblem(this.settings) ??
      (!this.current
        ? 'Generate an image (or read one from the host) first.'
        : this.points.pairs.length === 0
          ? 'Place at least one handle and target: click the image once for a handle, again for its target.'
          : undefined)
    );
  }

  async run(): Promise<void> {
    const problem = this.runProblem();
    if (problem) return this.task.ask(problem, () => this.runProblem() === undefined);
    const current = this.current;
    if (!current) return;
    await this.task.run('Dragging', async () => {
      const engine = await this.engines.engine();
      const session = await engine.openDrag(current.latent, this.hyperParameters());
      session.setPoints(this.points.pairs);
      session.setMask(this.mask.forSession());
      const start = this.edits.beginDrag(current);
      const abort = new AbortController();
      this.abort = abort;
      this.points.locked = true;
      const max = this.settings.maxSteps;
      const t0 = Date.now();
      this.task.progress = { step: 0, max, label: 'Dragging' };
      let run;
      try {
        run = await dragLoop(session, {
          handles: this.points.pairs.map((p) => p.handle),
          stepsPerCall: engine.stepsPerCall,
          maxSteps: max,
          previewEvery: this.settings.previewEvery,
          signal: abort.signal,
          onStep: (rep) => {
            this.points.showTracked(rep.points);
            this.task.progress = {
              step: rep.step,
              max,
              label: `Step ${rep.step} · loss ${rep.loss.toFixed(3)} · ${rep.ms} ms`,
            };
          },
          onPreview: (image, step) => this.edits.showFrame(image, step),
        });
      } finally {
        this.abort = undefined;
        this.points.locked = false;
      }
      const { steps, reason, tracked, shown } = run;
      const latent = session.latent();
      const upToDate = shown?.step === steps ? shown.image : undefined;
      // after a Stop the panel is free at once: the last preview stands in until the final image is rendered
      const standIn = reason === 'cancelled' && !upToDate ? this.current?.image : undefined;
      const image = upToDate ?? standIn ?? (await engine.render(latent));
      if (!upToDate && !standIn) this.edits.showFrame(image, steps);
      this.points.advanceHandles(tracked);
      const result = this.edits.endDrag(start, latent, image, reason);
      if (standIn) this.settling = this.renderLater(engine, result, steps);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      this.task.status =
        reason === 'converged'
          ? `Done: every handle reached its target in ${steps} steps (${secs} s).`
          : reason === 'cancelled'
            ? `Stopped after ${steps} steps.`
            : `Reached the step cap (${steps} steps, ${secs} s); Run again to continue.`;
    });
  }

  /** Replaces a stand-in image by the latent's own (and records it as the run's last frame), unless the user has moved on. */
  private async renderLater(engine: Engine, snap: Snapshot, step: number): Promise<void> {
    try {
      const image = await engine.render(snap.latent);
      if (this.current === snap) this.edits.showFrame(image, step);
    } catch (e) {
      this.task.fail(e, 'Rendering the result');
    }
  }

  stop(): void {
    this.abort?.abort();
    this.faces.stop();
  }

  /** For input that arrives while an action runs (a file dropped on the page): says why it is not taken; true when busy. */
  refuseWhileBusy(what: string): boolean {
    if (!this.busy) return false;
    this.task.ask(
      `${what} was not opened: ${this.busy.toLowerCase()} is still under way. Wait for it (or Stop), then try again.`,
      () => !this.busy,
    );
    return true;
  }

  /** Back to where the edit started (the source image and its points). */
  reset(): void {
    if (this.running) return;
    if (this.edits.reset()) this.task.status = 'Reset to the source image.';
  }

  /** Undoes the last drag. */
  undo(): void {
    if (this.running) return;
    const label = this.edits.undo();
    if (label !== undefined) this.task.status = `Back to ${label}.`;
  }

  /** Shows an earlier result from the strip; the one being left joins the strip. */
  restore(index: number): void {
    if (!this.running) this.edits.restore(index);
  }

  private result(): EditResult | undefined {
    const c = this.current;
    if (!c) return undefined;
    const reconstruction = this.edits.fromHost ? this.origin?.image : undefined;
    const engine = this.engines.running;
    const inPhoto = this.faces.inPhoto(engine, reconstruction, c.image);
    const encode = engine?.encodeVideo;
    const frames = this.frames;
    const timeline = { ease: this.settings.ease, loop: this.settings.loop };
    const video = encode && frames.length > 0 ? () => encode.call(engine, playedFrames(frames, timeline)) : undefined;
    return {
      image: c.image,
      ...(reconstruction ? { reconstruction } : {}),
      ...(inPhoto ? { inPhoto } : {}),
      ...(video ? { video } : {}),
      latent: c.latent,
      pairs: this.points.pairs,
      tracked: this.points.pairs.map((p) => p.handle),
      frames: this.frames,
      timeline,
    };
  }

  async apply(): Promise<void> {
    await this.settling;
    const r = this.result();
    if (!r) return this.task.ask('Nothing to apply yet: generate an image and drag it first.', () => !!this.current);
    await this.task.run(this.port.applyLabel, async () => {
      await this.port.apply(r);
      this.edits.markKept();
      this.task.status = `${this.port.applyLabel}: done.`;
    });
  }

  async extra(action: HostAction): Promise<void> {
    await this.settling;
    const r = this.result();
    if (!r) return this.task.ask('Nothing to save yet: generate an image first.', () => !!this.current);
    await this.task.run(action.label, () => action.run(r));
  }
}
