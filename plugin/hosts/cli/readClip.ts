import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import { GifReader } from 'omggif';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAME_PIXELS, MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import type { RgbImage } from '../../invert/rgbImage';
import { readImageFile } from './invertCommand';
import { decodeMp4 } from '../node/mp4Decode';
import { DEFAULT_READ_LIMIT, IMAGE_FILE_LIMIT, readUserFile } from '../node/userFiles';

/** A folder's PNG and JPEG files, in name order (frame_0001.png, frame_0002.png, ...), as a clip. */
export function readFramesFolder(dir: string): RgbImage[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('it is not a folder');
    names = readdirSync(dir)
      .filter((n) => /\.(png|jpe?g)$/i.test(n))
      .sort();
  } catch (e) {
    throw new UserFixableError(`cannot read the frames folder ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (names.length === 0) throw new UserFixableError(`the frames folder ${dir} holds no PNG or JPEG files`);
  if (names.length > MAX_CLIP_FRAMES)
    throw new UserFixableError(
      `the frames folder ${dir} holds ${names.length} images; a clip may have at most ${MAX_CLIP_FRAMES}`,
    );
  return names.map((n) => readImageFile(join(dir, n)));
}

/**
 * An animated GIF's frames as shown: each drawn over the previous one (transparent pixels let it through), the
 * previous frame's area cleared first where its disposal says so.
 */
export function readGifClip(path: string): RgbImage[] {
  const bytes = readUserFile(path, 'GIF', IMAGE_FILE_LIMIT);
  let gif: GifReader;
  try {
    gif = new GifReader(bytes);
  } catch (e) {
    throw new UserFixableError(
      `cannot read GIF ${path}: it is damaged or not a GIF (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const { width, height } = gif;
  if (width * height > MAX_CLIP_FRAME_PIXELS)
    throw new UserFixableError(
      `the GIF ${path} is ${width} x ${height}; frames of at most ${MAX_CLIP_FRAME_PIXELS / 1e6} megapixels are read`,
    );
  const count = gif.numFrames();
  if (count === 0) throw new UserFixableError(`the GIF ${path} has no frames`);
  if (count > MAX_CLIP_FRAMES)
    throw new UserFixableError(`the GIF ${path} has ${count} frames; a clip may have at most ${MAX_CLIP_FRAMES}`);
  const canvas = new Uint8Array(width * height * 4);
  const frames: RgbImage[] = [];
  for (let i = 0; i < count; i++) {
    const info = gif.frameInfo(i);
    try {
      gif.decodeAndBlitFrameRGBA(i, canvas);
    } catch (e) {
      throw new UserFixableError(
        `cannot read GIF ${path}: frame ${i + 1} is damaged (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    frames.push({ width, height, channels: 4, data: opaque(canvas) });
    // disposal 2: the frame's area goes back to the background (transparent here) before the next is drawn
    if (info.disposal === 2)
      for (let y = info.y; y < Math.min(height, info.y + info.height); y++)
        canvas.fill(0, (y * width + info.x) * 4, (y * width + Math.min(width, info.x + info.width)) * 4);
  }
  return frames;
}

/** The canvas as an image: pixels no frame has covered are black. */
function opaque(canvas: Uint8Array): Uint8Array {
  const out = canvas.slice();
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/** A video file's frames (an MP4 with H.264 Baseline video, as this project writes them), every one in order. */
export function readVideoClip(path: string, onFrame?: (done: number, total: number) => void): Promise<RgbImage[]> {
  return decodeMp4(readUserFile(path, 'video', DEFAULT_READ_LIMIT), path, onFrame);
}
