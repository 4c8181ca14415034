import type { HostTensor } from '../graph/tensor';
import type { RgbImage } from '../invert/rgbImage';
import type { HandleTarget, Point } from '../core/types';
import type { DragHyperParameters } from '../core/dragSettings';
import type { Image8 } from '../codecs/image8';
import { DragInputError } from '../core/errors';
import type { Engine } from './engine';
import { smoothEdits } from './smoothEdits';

/** Frames a clip may have: each is inverted and dragged, seconds to minutes apiece. */
export const MAX_CLIP_FRAMES = 2000;
/** Decoded pixels of one clip frame at most, as a host reads it (a GIF's canvas, a video's picture). */
export const MAX_CLIP_FRAME_PIXELS = 40_000_000;

/** One frame of a dragged clip. */
export interface ClipFrame {
  index: number;
  /** The frame's inversion and the edited latent (its drag's edit averaged with its neighbours'), as rendered. */
  latent: HostTensor;
  edited: HostTensor;
  image: Image8;
  /** The key frame's handles carried to this frame (model pixels), and their targets (the same motion). */
  handles: Point[];
  targets: Point[];
  /** Where the handles' content is after the edit (tracked), and the share of the way to its target it came. */
  reached: Point[];
  progress: number[];
  inversion: Omit<FrameInversion, 'latent'>;
  dragSeconds: number;
  dragSteps: number;
}

/** A frame's inversion: its latent, fit, cost, and whether it started from its neighbour's latent. */
export interface FrameInversion {
  latent: HostTensor;
  psnr: number;
  seconds: number;
  steps: number;
  warm: boolean;
}

/**
 * Where a clip's work is kept as it is done, so a stopped run resumes: each frame's inversion and, once dragged,
 * its edited latent (and its inversion figures). A fresh run has none.
 */
export interface ClipStore {
  inverted(index: number): FrameInversion | undefined;
  edited(index: number): HostTensor | undefined;
  saveInverted(index: number, r: FrameInversion): void;
  saveEdited(index: number, edited: HostTensor): void;
}

export interface ClipDragOptions {
  /** The frame the pairs were placed on. */
  key: number;
  pairs: readonly HandleTarget[];
  hp?: Partial<DragHyperParameters>;
  /**
   * The key frame's inversion where the host has it already (a page inverts the key frame for the points): used as
   * it is, not run again. It must be of this engine's model and of this clip's key frame.
   */
  keyInversion?: Omit<FrameInversion, 'warm'>;
  /** Inversion steps of the key frame, and of each other one (warm-started from its neighbour nearer the key). */
  invertSteps: number;
  warmInvertSteps: number;
  signal?: AbortSignal;
  store?: ClipStore;
  /** A stage's progress: 'invert' and 'drag' count frames. */
  onProgress?(stage: 'invert' | 'drag', done: number, total: number): void;
}

const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y });
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const clampTo =
  (res: number) =>
  (p: Point): Point => ({
    x: Math.min(res - 1, Math.max(0, Math.round(p.x))),
    y: Math.min(res - 1, Math.max(0, Math.round(p.y))),
  });

function plus(a: HostTensor, delta: Float32Array): HostTensor {
  return { shape: [...a.shape], data: a.data.map((v, i) => v + delta[i]) };
}

function minus(a: HostTensor, b: HostTensor): Float32Array {
  return a.data.map((v, i) => v - b.data[i]);
}

/**
 * DragGAN across a clip: every frame inverted (the key frame first, unless given, then outward from it, each from
 * its neighbour's latent, so the sequence stays coherent and each costs a fraction of the key's); the key frame's
 * handles carried to every frame by the model's features; the key frame dragged as usual; every other frame started
 * from its own latent plus its neighbour's edit (the same latent motion) and dragged on from there to the same
 * relative targets, so neighbouring results differ as little as the inputs do. Frames run outward from the key.
 * Last, each frame's edit (edited - inverted latent) is averaged with its neighbours' (smoothEdits), so where one
 * drag stopped short or ran on, the clip does not flicker. A Stop keeps the frames done, in order from the key.
 */
export async function dragClip(
  engine: Engine,
  frames: readonly RgbImage[],
  o: ClipDragOptions,
): Promise<{ frames: ClipFrame[]; cancelled: boolean }> {
  const res = engine.model.resolution;
  const track = engine.track?.bind(engine);
  if (!track)
    throw new DragInputError(
      `this engine (${engine.description}) cannot track points between frames: use a local backend (cpu, cuda or wasm)`,
    );
  if (!Number.isInteger(o.key) || o.key < 0 || o.key >= frames.length)
    throw new DragInputError(`the key frame ${o.key} is not in the clip (frames 0 to ${frames.length - 1})`);
  if (o.pairs.length === 0)
    throw new DragInputError('no points: add at least one handle -> target pair on the key frame');
  const given = o.keyInversion?.latent.data.length;
  if (given !== undefined && given !== engine.model.numWs * engine.model.wDim)
    throw new DragInputError(
      `the key frame's latent has ${given} values; ${engine.model.name} takes ${engine.model.numWs} x ${engine.model.wDim}: invert the key frame with this model`,
    );
  const offsets = o.pairs.map((p) => sub(p.target, p.handle));

  // 1. inversions: the key frame's first (or the one given), then outward from it, each from its neighbour's latent
  const order = [
    ...Array.from({ length: frames.length - o.key - 1 }, (_, k) => o.key + 1 + k),
    ...Array.from({ length: o.key }, (_, k) => o.key - 1 - k),
  ];
  const inverted: FrameInversion[] = [];
  for (const [n, i] of [o.key, ...order].entries()) {
    if (o.signal?.aborted) return { frames: [], cancelled: true };
    const kept =
      o.store?.inverted(i) ?? (i === o.key && o.keyInversion ? { ...o.keyInversion, warm: false } : undefined);
    if (kept) inverted[i] = kept;
    else {
      const start = i === o.key ? undefined : inverted[i > o.key ? i - 1 : i + 1].latent;
      const t0 = Date.now();
      const r = await engine.invert(frames[i], {
        steps: start ? o.warmInvertSteps : o.invertSteps,
        signal: o.signal,
        ...(start ? { startLatent: start } : {}),
      });
      if (r.cancelled) return { frames: [], cancelled: true };
      inverted[i] = {
        latent: r.latent,
        psnr: r.psnr,
        seconds: (Date.now() - t0) / 1000,
        steps: r.steps,
        warm: start !== undefined,
      };
      o.store?.saveInverted(i, inverted[i]);
    }
    o.onProgress?.('invert', n + 1, frames.length);
  }

  // 2. the key frame's handles carried outward, frame by frame (each search near where the last frame had them)
  const keyLatent = inverted[o.key].latent;
  const keyHandles = o.pairs.map((p) => p.handle);
  const handles: Point[][] = [];
  handles[o.key] = keyHandles;
  for (const f of order) {
    const neighbour = f > o.key ? f - 1 : f + 1;
    handles[f] = await track(keyLatent, keyHandles, inverted[f].latent, { near: handles[neighbour] });
  }

  // 3. the drags, key first, then outward from it
  const drags: { index: number; delta: Float32Array; seconds: number; steps: number }[] = [];
  const deltas: Float32Array[] = [];
  let cancelled = false;
  for (const f of [o.key, ...order]) {
    if (o.signal?.aborted) {
      cancelled = true;
      break;
    }
    const latent = inverted[f].latent;
    const targets = handles[f].map((h, i) => clampTo(res)(add(h, offsets[i])));
    const neighbour = f === o.key ? undefined : f > o.key ? f - 1 : f + 1;
    const t0 = Date.now();
    const kept = o.store?.edited(f);
    let run = { steps: 0, reason: 'converged' };
    let edited: HostTensor;
    if (kept) edited = kept;
    else {
      const start = neighbour === undefined ? latent : plus(latent, deltas[neighbour]);
      // a neighbour's edit moved its content most of the way: find where this frame's handles went under it
      const from =
        neighbour === undefined
          ? handles[f]
          : await track(latent, handles[f], start, { near: targets, radius: searchRadius(offsets) });
      const session = await engine.openDrag(start, o.hp);
      session.setPoints(from.map((h, i) => ({ handle: h, target: targets[i] })));
      run = await session.run({ signal: o.signal });
      edited = session.latent();
      if (run.reason !== 'cancelled') o.store?.saveEdited(f, edited);
    }
    deltas[f] = minus(edited, latent);
    drags.push({ index: f, delta: deltas[f], seconds: (Date.now() - t0) / 1000, steps: run.steps });
    o.onProgress?.('drag', drags.length, frames.length);
    if (run.reason === 'cancelled') {
      cancelled = true;
      break;
    }
  }

  // 4. each drag stops where its own criterion meets it, so neighbouring edits differ more than the frames do: the
  // edits are averaged across neighbouring frames (the frames done are consecutive: they run outward from the key),
  // and each frame's result is that, rendered and its handles tracked in it
  const inOrder = sorted(drags);
  const smoothed = smoothEdits(inOrder.map((d) => d.delta));
  const done: ClipFrame[] = [];
  for (const [k, { index: f, seconds, steps }] of inOrder.entries()) {
    const latent = inverted[f].latent;
    const targets = handles[f].map((h, i) => clampTo(res)(add(h, offsets[i])));
    const edited = plus(latent, smoothed[k]);
    const reached = await track(latent, handles[f], edited, { near: targets, radius: searchRadius(offsets) });
    done.push({
      index: f,
      latent,
      edited,
      image: await engine.render(edited),
      handles: handles[f],
      targets,
      reached,
      progress: reached.map((p, i) => {
        const whole = dist(handles[f][i], targets[i]);
        return whole === 0 ? 1 : 1 - dist(p, targets[i]) / whole;
      }),
      inversion: {
        psnr: inverted[f].psnr,
        seconds: inverted[f].seconds,
        steps: inverted[f].steps,
        warm: inverted[f].warm,
      },
      dragSeconds: seconds,
      dragSteps: steps,
    });
  }
  return { frames: done, cancelled };
}

/** Far enough to find content anywhere between a handle and its target (plus a margin). */
function searchRadius(offsets: readonly Point[]): number {
  return Math.ceil(Math.max(...offsets.map((d) => Math.hypot(d.x, d.y)))) + 4;
}

function sorted<T extends { index: number }>(frames: T[]): T[] {
  return [...frames].sort((a, b) => a.index - b.index);
}
