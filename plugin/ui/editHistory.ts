/**
 * The images of one edit: where it started (for Reset), the image being edited, earlier results (the strip Undo
 * steps back through), a run's preview frames (for export), and which image the host last kept.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Image8 } from '../codecs/image8';
import type { HandleTarget, StopReason } from '../core/types';
import type { HostTensor } from '../graph/tensor';
import { imageUrl } from './imageUrl';
import type { PointsController } from './pointsController';

export interface Snapshot {
  latent: HostTensor;
  image: Image8;
  url: string;
  pairs: HandleTarget[];
  label: string;
}

/** Frames kept for export; older ones are dropped so a long run cannot exhaust the panel's memory. */
const MAX_FRAMES = 400;

const copyPairs = (pairs: readonly HandleTarget[]): HandleTarget[] =>
  pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } }));

export class EditHistory {
  /** The image being edited and its latent. */
  current?: Snapshot;
  /** Where the edit started, for Reset. */
  origin?: Snapshot;
  /** Whether `origin` is the inversion of an image the host read (so the host can composite the edit onto it). */
  fromHost = false;
  /** Earlier results, oldest first; Undo steps back through them. */
  results: Snapshot[] = [];
  frames: Image8[] = [];
  /** The step the last of `frames` shows. */
  private frameStep = -1;
  lastStop: StopReason | null = null;
  /** The image last applied or saved by the host: nothing is lost by starting afresh from it. */
  private kept?: Snapshot;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly points: PointsController,
  ) {}

  /** The image URLs still shown or kept (the rest can give their pixels back). */
  get urls(): (string | undefined)[] {
    return [this.current?.url, this.origin?.url, ...this.results.map((h) => h.url)];
  }

  /** An image with the points as placed now. */
  snapshot(latent: HostTensor, image: Image8, label: string): Snapshot {
    return { latent, image, url: imageUrl(image), pairs: copyPairs(this.points.pairs), label };
  }

  /** A new source image (the caller clears its points and mask first). */
  begin(latent: HostTensor, image: Image8, label: string, fromHost: boolean): void {
    this.fromHost = fromHost;
    this.current = this.origin = this.snapshot(latent, image, label);
    this.results = [];
    this.frames = [];
    this.lastStop = null;
  }

  /** No image (another model). */
  clear(): void {
    this.current = this.origin = undefined;
    this.fromHost = false;
    this.results = [];
    this.frames = [];
  }

  /** What starting afresh would lose, as words ("the edited image and its 2 earlier results"); undefined when nothing. */
  get workToLose(): string | undefined {
    const drags = this.results.length;
    if ((drags === 0 && !this.fromHost) || this.current === this.kept) return undefined;
    return drags
      ? `the edited image and its ${drags} earlier result${drags === 1 ? '' : 's'}`
      : 'the image read from the host';
  }

  /** The host has kept the image shown now (applied, saved). */
  markKept(): void {
    this.kept = this.current;
  }

  /** A drag begins on `current`: what Undo returns to, carrying the points as placed for this drag. */
  beginDrag(current: Snapshot): Snapshot {
    const start: Snapshot = { ...current, pairs: copyPairs(this.points.pairs) };
    if (current === this.origin) this.origin = start;
    // the run's frames open on the image it starts from (an animation or video of a quick drag is otherwise one frame)
    this.frames = [current.image];
    this.frameStep = 0;
    return start;
  }

  /** A drag's result becomes the current image; the image it started from joins the strip. */
  endDrag(start: Snapshot, latent: HostTensor, image: Image8, reason: StopReason): Snapshot {
    this.results = [...this.results, start];
    this.current = this.snapshot(latent, image, `drag ${this.results.length}`);
    this.lastStop = reason;
    return this.current;
  }

  /**
   * A preview during a run. A step can arrive twice (a session previews a due step and again at the end of its call;
   * the final render repeats the last step): the later image replaces that step's frame instead of repeating it.
   */
  showFrame(image: Image8, step: number): void {
    if (!this.current) return;
    const again = this.frames.length > 0 && step === this.frameStep;
    this.frames = again ? [...this.frames.slice(0, -1), image] : [...this.frames.slice(-(MAX_FRAMES - 1)), image];
    this.frameStep = step;
    this.current = { ...this.current, image, url: imageUrl(image) };
    this.host.requestUpdate();
  }

  /** Back to where the edit started (the source image and its points); false when there is none. */
  reset(): boolean {
    if (!this.origin) return false;
    if (this.current !== this.origin) this.results = [...this.results, this.current ?? this.origin];
    this.show(this.origin);
    return true;
  }

  /** Back to the result before the last drag; the label of the image shown, undefined when there is none. */
  undo(): string | undefined {
    const prev = this.results[this.results.length - 1];
    if (!prev) return undefined;
    this.results = this.results.slice(0, -1);
    this.show(prev);
    return prev.label;
  }

  /** Shows an earlier result from the strip; the one being left joins the strip. */
  restore(index: number): void {
    const snap = this.results[index];
    if (!snap || !this.current) return;
    this.results = [...this.results.filter((_, i) => i !== index), this.current];
    this.show(snap);
  }

  private show(snap: Snapshot): void {
    this.current = snap;
    this.points.set(snap.pairs);
    this.host.requestUpdate();
  }
}
