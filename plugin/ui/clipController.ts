/**
 * A drag across a clip in the panel (where the host reads clips: a page's "Open video/frames…"): the clip's frames
 * read, one chosen as the key frame and inverted for the user's points, then the engine's clip drag
 * (engine/clipDrag.ts) over every frame with a progress bar per stage and Stop, and the result as an MP4 to play and
 * save where the engine encodes video, and kept by the host where it keeps clips (Photoshop's frame animation). The
 * edit itself (points, progress, Stop) is EditController's.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UserFixableError } from '../core/errors';
import { dragClip, type FrameInversion } from '../engine/clipDrag';
import type { Engine } from '../engine/engine';
import { MemoryClipStore } from '../engine/memoryClipStore';
import { flicker } from '../engine/clipFigures';
import type { EditController } from './editController';
import type { Image8 } from '../codecs/image8';
import type { HostClip } from './hostPort';

/** A dragged clip, ready to play and save. */
export interface ClipResult {
  /** The dragged frames, in order (those done when Stop was pressed). */
  images: Image8[];
  /** Each image's frame in the clip. */
  indices: number[];
  /** The MP4 and its object URL for the panel's player, where the engine writes video (a page's worker). */
  video?: { bytes: Uint8Array; url: string };
  frames: number;
  of: number;
  /** Whether Stop ended it: a frame's drag was cut short or frames were left, and Resume goes on. */
  stopped: boolean;
}

/** Warm-started inversions (from the previous frame's latent) need a fraction of a cold one's steps (`draggan video`'s 50 of 200). */
const WARM_SHARE = 1 / 4;

export class ClipController implements ReactiveController {
  clip: HostClip | null = null;
  /** The frame the points are placed on (0-based). */
  key = 0;
  result: ClipResult | null = null;
  /** The clip's inversions and edits as they are done: Resume after a Stop goes on from them. */
  private readonly store = new MemoryClipStore();
  /** The key frame's inversion for the points, with the engine that made it: the clip drag reuses it. */
  private keyInversion: { key: number; engine: Engine; inversion: Omit<FrameInversion, 'warm'> } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly edit: EditController,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.dropResult();
  }

  /** Reads a clip from the host and inverts its first frame for the points. */
  async open(): Promise<void> {
    const { edit } = this;
    const read = edit.port.readClip;
    if (!read) return;
    await edit.task.run('Opening the clip', async () => {
      await edit.engines.engine();
      const clip = await read.call(edit.port, edit.resolution, edit.width, (done, total) => {
        edit.task.progress = { step: done, max: total, label: `Reading frame ${done} of ${total}` };
      });
      if (!(await edit.confirmDrop(`Opening ${clip.label}`, 'Open it'))) return;
      this.clip = clip;
      this.store.clear();
      this.dropResult();
      await this.invertKey(Math.min(clip.frames.length - 1, Math.max(0, clip.key ?? 0)));
    });
  }

  /** Another key frame (1-based, as the field shows it): inverted for the points. */
  async chooseKey(frame: number): Promise<void> {
    const clip = this.clip;
    if (!clip) return;
    const k = Math.min(clip.frames.length - 1, Math.max(0, Math.round(frame) - 1));
    await this.edit.task.run('Inverting the key frame', () => this.invertKey(k));
  }

  private async invertKey(k: number): Promise<void> {
    const clip = this.clip!;
    this.key = k;
    this.keyInversion = null;
    this.edit.points.clear();
    const engine = await this.edit.engines.engine();
    const t0 = Date.now();
    const inv = await this.edit.invertFrame(clip.frames[k], `frame ${k + 1} of ${clip.label}`);
    // a stopped inversion is a partial fit: the clip drag inverts the key frame in full instead
    if (!inv.cancelled)
      this.keyInversion = {
        key: k,
        engine,
        inversion: { latent: inv.latent, psnr: inv.psnr, steps: inv.steps, seconds: (Date.now() - t0) / 1000 },
      };
    this.edit.task.status += '. Place points on this key frame, then Drag clip.';
  }

  /** Whether Stop ended the last clip drag (frames left, or one cut short): Resume goes on from the frames done. */
  get resumable(): boolean {
    return this.result?.stopped === true;
  }

  /**
   * The clip drag with the points of the key frame, then its MP4. Every frame's inversion is kept for the next run;
   * `resume` keeps the frames a stopped run dragged too (with the same key frame, points and settings).
   */
  async run(resume = false): Promise<void> {
    const { edit } = this;
    const clip = this.clip;
    if (!clip) return;
    if (edit.points.pairs.length === 0)
      return edit.task.ask(
        'Place at least one handle and target on the key frame: click the image once for a handle, again for its target.',
        () => edit.points.pairs.length > 0,
      );
    await edit.task.run('Dragging the clip', async () => {
      const engine = await edit.engines.engine();
      const encode = engine.encodeVideo?.bind(engine);
      if (!encode && !edit.port.applyClip)
        throw new UserFixableError(`this engine (${engine.description}) cannot write a video`);
      const inputs = clip.frames.map((f) => ({ ...f, channels: 4 as const }));
      const steps = edit.settings.invertSteps;
      const hp = edit.hyperParameters();
      if (!resume) this.store.dropEdits();
      const kept = this.store.begin({ steps }, { key: this.key, pairs: edit.points.pairs, hp });
      const keyInv = this.keyInversion;
      const r = await edit.stoppable((signal) =>
        dragClip(engine, inputs, {
          key: this.key,
          pairs: edit.points.pairs,
          hp,
          invertSteps: steps,
          warmInvertSteps: Math.max(1, Math.round(steps * WARM_SHARE)),
          ...(keyInv?.engine === engine && keyInv.key === this.key ? { keyInversion: keyInv.inversion } : {}),
          signal,
          store: this.store,
          onProgress: (stage, done, total) => {
            const what = stage === 'invert' ? 'Inverting' : 'Dragging';
            edit.task.progress = { step: done, max: total, label: `${what} frame ${done} of ${total}` };
          },
        }),
      );
      const n = clip.frames.length;
      if (r.frames.length === 0) {
        edit.task.status = `Stopped before any frame of ${clip.label} was dragged: nothing to play.`;
        return;
      }
      const images = r.frames.map((f) => f.image);
      if (encode) edit.task.progress = { step: 0, max: 1, label: 'Writing the MP4' };
      const bytes = encode && (await encode(images));
      this.dropResult();
      this.result = {
        images,
        indices: r.frames.map((f) => f.index),
        ...(bytes
          ? { video: { bytes, url: URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'video/mp4' })) } }
          : {}),
        frames: r.frames.length,
        of: n,
        stopped: r.cancelled,
      };
      const done = new Set(r.frames.map((f) => f.index));
      const fl = flicker(
        inputs.filter((_, i) => done.has(i)),
        images,
        edit.resolution,
      );
      const least = Math.min(...r.frames.flatMap((f) => f.progress));
      // the frame a Stop cut short is shown and applied with the rest, but Resume drags it again
      const cut = r.frames.length - this.store.dragged;
      edit.task.status =
        `${r.cancelled ? 'Stopped' : 'Done'}: ${this.store.dragged} of ${n} frames of ${clip.label} dragged` +
        (cut > 0 ? `, ${cut} cut short` : '') +
        (kept ? ` (${kept} kept from the stopped run)` : '') +
        `; every handle at least ${Math.round(least * 100)}% of the way; flicker x${fl.ratio.toFixed(2)} of the input's` +
        (this.resumable ? '. Resume goes on from the next frame.' : '.');
      this.host.requestUpdate();
    });
  }

  async save(): Promise<void> {
    const { edit } = this;
    const save = edit.port.saveClip;
    const video = this.result?.video;
    if (!save || !video) return;
    await edit.task.run('Saving the clip', () => save.call(edit.port, video.bytes));
  }

  /** The dragged frames to the host (Photoshop: a frame animation in a new document, one history step). */
  async apply(): Promise<void> {
    const { edit } = this;
    const apply = edit.port.applyClip;
    const r = this.result;
    if (!apply || !r) return;
    const label = edit.port.applyClipLabel ?? 'Apply clip';
    await edit.task.run(label, async () => {
      await apply.call(edit.port, r.images, r.indices);
      edit.task.status = `${label}: ${r.frames} frames, done.`;
    });
  }

  private dropResult(): void {
    if (this.result?.video) URL.revokeObjectURL(this.result.video.url);
    this.result = null;
  }
}
