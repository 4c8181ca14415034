/**
 * "Open video/frames…" on a page: a video file's frames (decoded with WebCodecs where the page has it and a decoder
 * for the codec, else by the browser's own player, played and captured frame by frame), or picture files taken as
 * frames in name order; each fitted to the model's box as a still is.
 */
import type { Image8 } from '../../codecs/image8';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import { VIDEO_FPS } from '../../engine/frameTimeline';
import { decodeForModel, fitForModel } from './decodeImage';
import { webCodecsFrames } from './webCodecsFrames';

export interface DecodedClip {
  frames: Image8[];
  label: string;
}

/** A video's frames, and how many of them the player skipped (each given the one before). */
interface PlayedFrames {
  frames: Image8[];
  repeated: number;
}

/** Resolves on the element's first `ok` event, fails on its `error`. */
function whenReady(v: HTMLVideoElement, ok: 'loadeddata', name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      v.removeEventListener(ok, done);
      v.removeEventListener('error', failed);
      resolve();
    };
    const failed = () => {
      v.removeEventListener(ok, done);
      v.removeEventListener('error', failed);
      reject(
        new UserFixableError(
          `cannot open ${name}: it is damaged, or not a video this browser plays (MP4 H.264 or WebM); or give its frames as PNG or JPEG files`,
        ),
      );
    };
    v.addEventListener(ok, done);
    v.addEventListener('error', failed);
  });
}

/** The frame the player shows now, at the model's size. */
async function shownFrame(v: HTMLVideoElement, resolution: number, modelWidth: number): Promise<Image8> {
  return (await fitForModel(await createImageBitmap(v), resolution, modelWidth)).image;
}

/**
 * The player's reading, where WebCodecs cannot: a video's frames at VIDEO_FPS (the rate the project writes its
 * videos at, so one of its clips comes back frame for frame). Seeking a paused player does not repaint its frame in
 * every Chromium (headless showed the first frame at every seek), so the clip is played, slowed down, and each frame
 * the player presents is captured (requestVideoFrameCallback); a frame it skipped (a busy machine) repeats the one
 * before it.
 */
async function videoFrames(
  file: File,
  resolution: number,
  modelWidth: number,
  onFrame?: (done: number, total: number) => void,
): Promise<PlayedFrames> {
  const url = URL.createObjectURL(file);
  const v = document.createElement('video') as HTMLVideoElement & {
    requestVideoFrameCallback?(cb: (now: number, meta: { mediaTime: number }) => void): number;
  };
  v.muted = true;
  v.preload = 'auto';
  try {
    const loaded = whenReady(v, 'loadeddata', file.name);
    v.src = url;
    await loaded;
    const count = Math.round(v.duration * VIDEO_FPS);
    if (!Number.isFinite(count) || count < 1)
      throw new UserFixableError(
        `cannot open ${file.name}: the browser reads no length for it; give its frames as PNG or JPEG files`,
      );
    if (count > MAX_CLIP_FRAMES)
      throw new UserFixableError(
        `${file.name} is ${count} frames long at ${VIDEO_FPS} a second; a clip may have at most ${MAX_CLIP_FRAMES}: cut it shorter`,
      );
    if (!v.requestVideoFrameCallback)
      throw new UserFixableError(
        'this browser cannot read a video frame by frame: give its frames as PNG or JPEG files',
      );
    const frames: (Image8 | undefined)[] = new Array<Image8 | undefined>(count);
    frames[0] = await shownFrame(v, resolution, modelWidth);
    const captures: Promise<void>[] = [];
    await new Promise<void>((resolve, reject) => {
      const grab = (_now: number, meta: { mediaTime: number }) => {
        const f = Math.min(count - 1, Math.floor(meta.mediaTime * VIDEO_FPS + 0.5));
        captures.push(
          shownFrame(v, resolution, modelWidth).then((img) => {
            frames[f] ??= img;
            onFrame?.(frames.filter(Boolean).length, count);
          }),
        );
        if (!v.ended) v.requestVideoFrameCallback!(grab);
      };
      v.requestVideoFrameCallback!(grab);
      v.addEventListener('ended', () => resolve(), { once: true });
      // slowed, so that a busy page still presents every frame
      v.playbackRate = 0.25;
      v.play().catch(reject);
    });
    await Promise.all(captures);
    const repeated = frames.filter((f) => !f).length;
    for (let f = 1; f < count; f++) frames[f] ??= frames[f - 1];
    return { frames: frames as Image8[], repeated };
  } finally {
    v.removeAttribute('src');
    v.load();
    URL.revokeObjectURL(url);
  }
}

/** The picked files as a clip: one video, or pictures (frames in name order). */
export async function decodeClip(
  files: readonly File[],
  resolution: number,
  modelWidth = resolution,
  onFrame?: (done: number, total: number) => void,
): Promise<DecodedClip> {
  const videos = files.filter((f) => f.type.startsWith('video/'));
  if (videos.length > 0) {
    if (files.length > 1)
      throw new UserFixableError(`pick one video file, or picture files as frames (${files.length} files were picked)`);
    const decoded = await webCodecsFrames(videos[0], resolution, modelWidth, onFrame);
    if (decoded) return { frames: decoded, label: `${videos[0].name} (${decoded.length} frames)` };
    // only the player's reading can lose frames: the user is told when it did
    const { frames, repeated } = await videoFrames(videos[0], resolution, modelWidth, onFrame);
    const skipped = repeated > 0 ? `, ${repeated} repeated: the browser's player skipped them` : '';
    return { frames, label: `${videos[0].name} (${frames.length} frames${skipped})` };
  }
  if (files.length < 2)
    throw new UserFixableError('a clip needs at least two frames: pick a video file, or two or more picture files');
  if (files.length > MAX_CLIP_FRAMES)
    throw new UserFixableError(`${files.length} pictures were picked; a clip may have at most ${MAX_CLIP_FRAMES}`);
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const frames: Image8[] = [];
  for (const [i, f] of sorted.entries()) {
    frames.push((await decodeForModel(f, resolution, modelWidth, f.name)).image);
    onFrame?.(i + 1, sorted.length);
  }
  return { frames, label: `${sorted[0].name} … ${sorted[sorted.length - 1].name} (${frames.length} frames)` };
}
