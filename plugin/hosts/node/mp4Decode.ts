/**
 * An MP4's frames in Node, which has no WebCodecs: demuxed (codecs/mp4Demux.ts) and decoded by tinyh264 (h264bsd, a
 * Baseline-profile H.264 decoder, in WebAssembly inlined in its script: nothing to install or download, and it travels
 * inside the node bundle and the single executable). Every frame, in presentation order.
 *
 * h264bsd reads Baseline only and does not check: given a High-profile stream it parses the parameter sets as
 * Baseline ones (tried: a stream relabelled profile 100 decodes as if it were 66), so a camera's High-profile file
 * would come out as garbage. The profile is checked here first and anything else refused with what to do.
 */
import { demuxMp4Video, type AvcConfig, type Mp4Video } from '../../codecs/mp4Demux';
import { yuv420ToRgba } from '../../codecs/yuv420';
import { UserFixableError } from '../../core/errors';
import { MAX_CLIP_FRAME_PIXELS, MAX_CLIP_FRAMES } from '../../engine/clipDrag';
import type { RgbImage } from '../../invert/rgbImage';

/** Decoded RGBA bytes of a whole clip at most (480 frames of 1080p): the clip is held in memory. */
const MAX_CLIP_BYTES = 4e9;

const PICTURE_READY = 1;

const PROFILES: Record<number, string> = {
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High 10',
  122: 'High 4:2:2',
  244: 'High 4:4:4',
};

const OTHER_CODECS: [RegExp, string][] = [
  [/^(hvc1|hev1)/, 'HEVC (H.265)'],
  [/^vp0?9/, 'VP9'],
  [/^vp0?8/, 'VP8'],
  [/^av01/, 'AV1'],
  [/^mp4v/, 'MPEG-4 Part 2'],
];

/** The way out for every file this decoder cannot read. */
const extractFrames = (name: string) =>
  `extract its frames with ffmpeg (ffmpeg -i '${name}' frames/%04d.png) and give --frames frames`;

/** Baseline, or Main with the flag saying the stream keeps to Baseline's tools (same parameter-set syntax). */
const isBaseline = (avc: AvcConfig) => avc.profile === 66 || (avc.profile === 77 && (avc.compatibility & 0x80) !== 0);

/** The frames of a video file's bytes (RGBA, the video's size), or a UserFixableError saying why not and what to do. */
export async function decodeMp4(
  bytes: Uint8Array,
  name: string,
  onFrame?: (done: number, total: number) => void,
): Promise<RgbImage[]> {
  const video = readableVideo(bytes, name);
  const { default: createTinyH264 } = await import('tinyh264/lib/TinyH264.js');
  const h = await createTinyH264();
  const avc = video.avc as AvcConfig;
  const largest = Math.max(...video.samples.map((s) => s.data.length), ...avc.sps.map((p) => p.length), 16);
  const storage = h._h264bsdAlloc();
  const out = h._malloc(12);
  const input = h._malloc(largest + 4);
  const pictures: Uint8Array[] = [];
  let coded = { width: 0, height: 0 };
  // each NAL unit fed with a start code, as h264bsd reads a byte stream; pictures come out as completed, in decode
  // order (no reordering: Baseline has no B-frames)
  const feed = (nal: Uint8Array) => {
    h.HEAPU8.set([0, 0, 0, 1], input);
    h.HEAPU8.set(nal, input + 4);
    if (h._h264bsdDecode(storage, input, nal.length + 4, out, out + 4, out + 8) !== PICTURE_READY) return;
    coded = { width: h.getValue(out + 4, 'i32'), height: h.getValue(out + 8, 'i32') };
    const at = h.getValue(out, 'i8*');
    pictures.push(h.HEAPU8.slice(at, at + (coded.width * coded.height * 3) / 2));
  };
  try {
    h._h264bsdInit(storage, 1);
    for (const p of [...avc.sps, ...avc.pps]) feed(p);
    for (const s of video.samples) {
      for (let at = 0; at < s.data.length; ) {
        let length = 0;
        for (let b = 0; b < avc.lengthSize; b++) length = length * 256 + s.data[at + b];
        at += avc.lengthSize;
        if (length === 0 || at + length > s.data.length) throw new Error('a NAL unit runs past its sample');
        feed(s.data.subarray(at, at + length));
        at += length;
      }
      onFrame?.(pictures.length, video.samples.length);
    }
  } catch (e) {
    // a damaged stream can also trap inside the decoder (a WebAssembly RuntimeError)
    throw new UserFixableError(
      `cannot decode ${name}: it is damaged (${e instanceof Error ? e.message : String(e)}); ${extractFrames(name)}`,
    );
  } finally {
    h._h264bsdShutdown(storage);
    h._h264bsdFree(storage);
  }
  if (pictures.length !== video.samples.length)
    throw new UserFixableError(
      `cannot decode ${name}: only ${pictures.length} of its ${video.samples.length} frames decoded (it is damaged); ${extractFrames(name)}`,
    );
  const { width, height } = video;
  if (coded.width < width || coded.height < height)
    throw new UserFixableError(
      `cannot decode ${name}: its pictures are ${coded.width} x ${coded.height}, smaller than the ${width} x ${height} it declares (it is damaged)`,
    );
  // picture k is sample k's (decode order); shown in the order of the samples' presentation times
  return video.samples
    .map((s, k) => ({ time: s.time, k }))
    .sort((a, b) => a.time - b.time)
    .map(({ k }) => ({
      width,
      height,
      channels: 4,
      data: yuv420ToRgba(pictures[k], coded.width, coded.height, width, height),
    }));
}

/** The file's H.264 Baseline track, or why it cannot be read here. */
function readableVideo(bytes: Uint8Array, name: string): Mp4Video {
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    throw new UserFixableError(
      `${name} is a WebM (Matroska) file; the CLI decodes MP4 files with H.264 Baseline video: ${extractFrames(name)}`,
    );
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const video = demuxMp4Video(buffer);
  if (!video)
    throw new UserFixableError(
      `${name} is not an MP4 with a video track (damaged, or another format); the CLI decodes MP4 files with H.264 Baseline video: ${extractFrames(name)}`,
    );
  if (!video.avc) {
    const other = OTHER_CODECS.find(([re]) => re.test(video.codec))?.[1] ?? `'${video.codec}'`;
    throw new UserFixableError(
      `${name} holds ${other} video; the CLI decodes H.264 Baseline only: ${extractFrames(name)}`,
    );
  }
  if (!isBaseline(video.avc)) {
    const profile = PROFILES[video.avc.profile] ?? `profile ${video.avc.profile}`;
    throw new UserFixableError(
      `${name} is H.264 ${profile} profile; the CLI decodes Baseline only (as this project writes its MP4s): ${extractFrames(name)}`,
    );
  }
  const count = video.samples.length;
  if (count === 0) throw new UserFixableError(`${name} has no frames`);
  if (count < video.declaredSamples)
    throw new UserFixableError(
      `${name} holds ${count} of the ${video.declaredSamples} frames it declares: it was cut short; ${extractFrames(name)}`,
    );
  if (count > MAX_CLIP_FRAMES)
    throw new UserFixableError(
      `${name} has ${count} frames; a clip may have at most ${MAX_CLIP_FRAMES}: cut it shorter`,
    );
  const { width, height } = video;
  if (width * height > MAX_CLIP_FRAME_PIXELS)
    throw new UserFixableError(
      `${name} is ${width} x ${height}; frames of at most ${MAX_CLIP_FRAME_PIXELS / 1e6} megapixels are read`,
    );
  if (width * height * 4 * count > MAX_CLIP_BYTES)
    throw new UserFixableError(
      `${name} is ${count} frames of ${width} x ${height}, more than the ${MAX_CLIP_BYTES / 1e9} GB of frames a clip may decode to: cut it shorter or scale it down`,
    );
  return video;
}
