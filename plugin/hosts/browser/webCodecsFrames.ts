/**
 * A video's frames decoded with WebCodecs (VideoDecoder): the MP4 demuxed (codecs/mp4Demux.ts), every sample
 * decoded, each frame taken by its own timestamp: frame-exact and as fast as the decoder, not bound to a player's real-time clock.
 */
import type { Image8 } from '../../codecs/image8';
import { demuxMp4Video } from '../../codecs/mp4Demux';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import { VIDEO_FPS } from '../../engine/frameTimeline';
import { fitForModel } from './decodeImage';

/**
 * The video's frames at VIDEO_FPS (the frame shown at each tick, as a player would show it), fitted to the model's
 * box; undefined where this page has no WebCodecs, the file is not an MP4 or the browser has no decoder for its
 * codec, so the caller reads it with the player instead.
 */
export async function webCodecsFrames(
  file: File,
  resolution: number,
  modelWidth: number,
  onFrame?: (done: number, total: number) => void,
): Promise<Image8[] | undefined> {
  if (typeof VideoDecoder === 'undefined') return undefined;
  const demuxed = demuxMp4Video(await file.arrayBuffer());
  if (!demuxed || demuxed.samples.length === 0) return undefined;
  const { samples, duration } = demuxed;
  const config: VideoDecoderConfig = {
    codec: demuxed.codec,
    codedWidth: demuxed.width,
    codedHeight: demuxed.height,
    ...(demuxed.description ? { description: demuxed.description } : {}),
  };
  if (!(await VideoDecoder.isConfigSupported(config)).supported) return undefined;
  const count = Math.round(duration * VIDEO_FPS);
  if (count < 1) return undefined;
  if (count > MAX_CLIP_FRAMES)
    throw new UserFixableError(
      `${file.name} is ${count} frames long at ${VIDEO_FPS} a second; a clip may have at most ${MAX_CLIP_FRAMES}: cut it shorter`,
    );

  const frames: (Image8 | undefined)[] = new Array<Image8 | undefined>(count);
  let fitted = 0;
  // frames are fitted one after the other, in presentation order, each closed as soon as it is read
  let chain = Promise.resolve();
  let failure: unknown;
  const tick = 1e6 / VIDEO_FPS;
  // timestamps from the first frame's (a B-frame stream's composition offset is no delay)
  const base = Math.min(...samples.map((s) => s.time));
  const decoder = new VideoDecoder({
    output: (frame) => {
      // the ticks this frame is on screen for: from its timestamp to the next frame's (half a microsecond's slack)
      const first = Math.max(0, Math.ceil((frame.timestamp - 0.5) / tick));
      const end = frame.timestamp + (frame.duration ?? tick);
      const ticks: number[] = [];
      for (let f = first; f < count && f * tick < end - 0.5; f++) ticks.push(f);
      if (ticks.length === 0) {
        frame.close();
        return;
      }
      chain = chain.then(async () => {
        try {
          const { image } = await fitForModel(await createImageBitmap(frame), resolution, modelWidth);
          for (const f of ticks) frames[f] = image;
          fitted += ticks.length;
          onFrame?.(Math.min(fitted, count), count);
        } finally {
          frame.close();
        }
      });
    },
    error: (e) => (failure = e),
  });
  try {
    decoder.configure(config);
    for (const s of samples)
      decoder.decode(
        new EncodedVideoChunk({
          type: s.isSync ? 'key' : 'delta',
          timestamp: (s.time - base) * 1e6,
          duration: s.duration * 1e6,
          data: s.data,
        }),
      );
    await decoder.flush();
    await chain;
  } catch (e) {
    throw new UserFixableError(
      `cannot decode ${file.name}: ${String(failure ?? e)}; it may be damaged, or give its frames as PNG or JPEG files`,
    );
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  if (!frames[0]) return undefined;
  // a tick no frame was on screen for (rounding at the end) shows the one before
  for (let f = 1; f < count; f++) frames[f] ??= frames[f - 1];
  return frames as Image8[];
}
