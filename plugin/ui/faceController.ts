/**
 * The face-photo flow behind the panel, for a face model (its card asks for an alignment): the faces in the picture
 * read are found (with a progress bar and Stop), shown one by one for the user to invert or fall back to the square;
 * the face an edit started from places presets and carries the edit back into the picture (its alignment's inverse).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Image8 } from '../codecs/image8';
import type { Engine } from '../engine/engine';
import type { FramedFace, PhotoComposite } from '../engine/photoFaces';
import type { Affine } from '../faces/affine';
import type { FaceParts } from '../faces/faceParts';
import { presetPairs, type PresetName } from '../faces/presets';
import type { HostSource } from './hostPort';
import { imageUrl } from './imageUrl';
import type { PanelTask } from './panelTask';
import type { PointsController } from './pointsController';
import { sizeSentence } from './sourceSizeNote';

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

/** The engine's face finder. */
type FindFaces = NonNullable<Engine['findFaces']>;

/** What the flow needs of the edit around it. */
export interface FaceFlowEdit {
  readonly task: PanelTask;
  readonly points: PointsController;
  /** The model's image size (presets are placed in its pixels). */
  size(): { width: number; height: number };
  /** An action that Stop ends is under way. */
  running(): boolean;
  /** What the model draws, for messages. */
  domain(): string;
  /** Inverts `image` and starts the edit on it (from `face` where one was picked). */
  invert(image: Image8, label: string, mask?: Uint8Array, face?: EditedFace | null): Promise<void>;
}

export class FaceController implements ReactiveController {
  /** Faces found in the picture just read, waiting for the user's pick; null otherwise. */
  pick: FacePick | null = null;
  /** The face the current edit started from (presets are offered while it is set). */
  face: EditedFace | null = null;
  private abort?: AbortController;

  constructor(
    host: ReactiveControllerHost,
    private readonly edit: FaceFlowEdit,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The face search is under way (Stop ends it). */
  get searching(): boolean {
    return this.abort !== undefined;
  }

  stop(): void {
    this.abort?.abort();
  }

  /** A new edit starts, from `face` or from no face. */
  begin(face: EditedFace | null): void {
    this.face = face;
    this.pick = null;
  }

  /**
   * The faces in the picture read: the first one's aligned crop is shown for the user to invert, pick another, or
   * fall back to the square; where there is no face (said in the status) the square is inverted at once.
   */
  async open(src: HostSource, photo: Image8, find: FindFaces, modelName: string): Promise<void> {
    const task = this.edit.task;
    task.status = `Looking for faces in ${src.label}…`;
    const found = await this.search(find, photo, src.label);
    if (found === 'stopped') {
      // the picture stays: its square is shown, for Use the square
      this.pick = { source: src, found: [], index: 0, url: imageUrl(src.image) };
      task.status = `The face search in ${src.label} was stopped. Use the square inverts the selection, or the picture's centred square, as it is; or open the picture again to search it.`;
      return;
    }
    if (found.length > 0) return this.show({ source: src, found, index: 0, url: '' }, 0);
    await this.edit.invert(src.image, src.label, src.mask);
    const { width, height } = this.edit.size();
    task.status +=
      `${sizeSentence(src.size, height, width)}. No face was found in it: ${modelName} draws ${this.edit.domain()}, so the square was inverted as it is. ` +
      'For an edit of a face, open a picture that shows one (at least a tenth of its shorter side and 48 pixels across), or select around the face';
  }

  /** The face search, with a progress bar of the crops read and Stop. */
  private async search(find: FindFaces, p: Image8, name: string): Promise<FramedFace[] | 'stopped'> {
    const task = this.edit.task;
    const abort = new AbortController();
    this.abort = abort;
    const label = `Looking for faces in ${name}`;
    task.progress = { step: 0, max: 1, label };
    try {
      const found = await find(
        { width: p.width, height: p.height, data: p.data },
        {
          signal: abort.signal,
          onProgress: (q) => {
            task.progress = { step: q.done, max: q.total, label };
          },
        },
      );
      return abort.signal.aborted ? 'stopped' : found;
    } finally {
      this.abort = undefined;
    }
  }

  private show(pick: FacePick, index: number): void {
    const f = pick.found[index];
    this.pick = { ...pick, index, url: imageUrl(f.image) };
    const n = pick.found.length;
    this.edit.task.status = `Face ${index + 1} of ${n} in ${pick.source.label} (confidence ${f.confidence.toFixed(2)}), shown as it will be inverted.`;
  }

  /** The next face found (they are offered best first). */
  next(): void {
    const pick = this.pick;
    if (!pick || pick.found.length < 2 || this.edit.task.busy) return;
    this.show(pick, (pick.index + 1) % pick.found.length);
  }

  /** Inverts the face shown; presets are offered afterwards, and Apply carries the edit back into the picture. */
  async invert(): Promise<void> {
    const pick = this.pick;
    const f = pick?.found[pick.index];
    if (!pick || !f || !pick.source.photo) return;
    const photo = pick.source.photo;
    await this.edit.task.run('Inverting the face', () =>
      this.edit.invert(f.image, `face ${pick.index + 1} of ${pick.source.label}`, undefined, {
        parts: f.parts,
        toPhoto: f.toPhoto,
        photo,
      }),
    );
  }

  /** Falls back to the square the host read (the selection, or the picture's centred square). */
  async useSquare(): Promise<void> {
    const pick = this.pick;
    if (!pick) return;
    await this.edit.task.run('Reading the image', () =>
      this.edit.invert(pick.source.image, pick.source.label, pick.source.mask),
    );
  }

  /** Places a preset's handle -> target pairs on the face being edited, after any points already there. */
  addPreset(name: PresetName): void {
    if (!this.face || this.edit.running()) return;
    const res = this.edit.size().height;
    const points = this.edit.points;
    const pairs = presetPairs(this.face.parts, { preset: name }, { width: res, height: res });
    points.set([...points.pairs, ...pairs.map((p) => ({ handle: p.handle, target: p.target }))]);
    this.edit.task.status = `${name}: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} placed; move or delete them, then Run.`;
  }

  /** The edit carried back into the picture through the face's alignment, where the engine can composite. */
  inPhoto(
    engine: Engine | undefined,
    reconstruction: Image8 | undefined,
    edited: Image8,
  ): (() => Promise<PhotoComposite>) | undefined {
    const face = this.face;
    const composite = engine?.composite;
    if (!face || !reconstruction || !composite) return undefined;
    return () =>
      composite.call(
        engine,
        { width: face.photo.width, height: face.photo.height, data: face.photo.data },
        face.toPhoto,
        reconstruction,
        edited,
      );
  }
}
