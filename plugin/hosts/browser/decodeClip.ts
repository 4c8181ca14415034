/**
 * "Open video/frames…" on a page: a video file's frames (decoded by the browser's own player, seeked frame by frame
 * and captured), or picture files taken as frames in name order; each fitted to the model's box as a still is.
 */
import type { Image8 } from '../../codecs/image8';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import { VIDEO_FPS } from '../../engine/frameTimeline';
import { decodeForModel, fitForModel } from './decodeImage';

export interface DecodedClip {
  frames: Image8[];
  label: string;
}

/** Resolves on the element's first `ok` event, fails on its `error`. */
function whenReady(v: HTMLVideoElement, ok: 'loadeddata' | 'seeked', name: string): Promise<void> {
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

/**
 * A video's frames at VIDEO_FPS (the rate the project writes its videos at, so one of its clips comes back frame for
 * frame): the player is seeked to the middle of each frame's time and the frame it shows is captured.
 */
async function videoFrames(
  file: File,
  resolution: number,
  modelWidth: number,
  onFrame?: (done: number, total: number) => void,
): Promise<Image8[]> {
  const url = URL.createObjectURL(file);
  const v = document.createElement('video');
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
    const frames: Image8[] = [];
    for (let f = 0; f < count; f++) {
      const seeked = whenReady(v, 'seeked', file.name);
      v.currentTime = (f + 0.5) / VIDEO_FPS;
      await seeked;
      frames.push((await fitForModel(await createImageBitmap(v), resolution, modelWidth)).image);
      onFrame?.(f + 1, count);
    }
    return frames;
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
    const frames = await videoFrames(videos[0], resolution, modelWidth, onFrame);
    return { frames, label: `${videos[0].name} (${frames.length} frames)` };
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
