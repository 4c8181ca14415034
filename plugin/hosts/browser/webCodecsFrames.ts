/**
 * A video's frames decoded with WebCodecs (VideoDecoder): the MP4 demuxed by mp4box (GPAC's, BSD-3-Clause; it reads
 * any ISO-BMFF file a camera or an editor writes, not only ours), every sample decoded, each frame taken by its own
 * timestamp: frame-exact and as fast as the decoder, not bound to a player's real-time clock.
 */
import { createFile, DataStream, Endianness, MP4BoxBuffer, type ISOFile, type Movie, type Sample } from 'mp4box';
import type { Image8 } from '../../codecs/image8';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import { VIDEO_FPS } from '../../engine/frameTimeline';
import { fitForModel } from './decodeImage';

interface Demuxed {
  config: VideoDecoderConfig;
  samples: Sample[];
  /** Seconds, from the track's sample durations. */
  duration: number;
}

/** The codec's set-up bytes (avcC, hvcC, vpcC or av1C without its box header), as VideoDecoderConfig.description wants. */
function description(file: ISOFile, trackId: number): Uint8Array | undefined {
  for (const entry of file.getTrackById(trackId).mdia.minf.stbl.stsd.entries) {
    const e = entry as unknown as Record<string, { write(s: DataStream): void } | undefined>;
    const box = e.avcC ?? e.hvcC ?? e.vpcC ?? e.av1C;
    if (box) {
      const stream = new DataStream(undefined, 0, Endianness.BIG_ENDIAN);
      box.write(stream);
      return new Uint8Array(stream.buffer, 8);
    }
  }
  return undefined;
}

/** The first video track's decoder config and samples; undefined where the file is not an MP4 (a WebM: the player reads it). */
function demux(bytes: ArrayBuffer): Demuxed | undefined {
  const file = createFile();
  let movie: Movie | undefined;
  const samples: Sample[] = [];
  // samples are extracted as the file is read, so extraction starts as soon as the tracks are known
  file.onReady = (info) => {
    movie = info;
    const video = info.videoTracks[0];
    if (video) {
      file.setExtractionOptions(video.id, undefined, { nbSamples: video.nb_samples });
      file.start();
    }
  };
  file.onError = () => undefined;
  file.onSamples = (_id, _user, got) => samples.push(...got);
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes, 0), true);
    file.flush();
  } catch {
    return undefined;
  }
  const track = movie?.videoTracks[0];
  if (!track) return undefined;
  const desc = description(file, track.id);
  return {
    config: {
      codec: track.codec,
      codedWidth: track.video?.width ?? track.track_width,
      codedHeight: track.video?.height ?? track.track_height,
      ...(desc ? { description: desc } : {}),
    },
    samples,
    duration: track.samples_duration / track.timescale,
  };
}

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
  const demuxed = demux(await file.arrayBuffer());
  if (!demuxed || demuxed.samples.length === 0) return undefined;
  const { config, samples, duration } = demuxed;
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
  const base = Math.min(...samples.map((s) => s.cts / s.timescale));
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
          type: s.is_sync ? 'key' : 'delta',
          timestamp: (s.cts / s.timescale - base) * 1e6,
          duration: (s.duration * 1e6) / s.timescale,
          data: s.data!,
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
