/**
 * RGBA frames as an H.264 MP4 through h264-mp4-encoder (minih264 and the minimp4 muxer compiled to WebAssembly).
 * The host hands in the library's factory: Node loads its Node build, a page's worker its web build; the encoding
 * itself is this one function everywhere.
 */
import { UserFixableError } from '../core/errors';
import { VIDEO_FPS } from './frameTimeline';

/** The part of h264-mp4-encoder's H264MP4Encoder this uses. */
export interface H264Encoder {
  width: number;
  height: number;
  frameRate: number;
  quantizationParameter: number;
  readonly outputFilename: string;
  FS: { readFile(path: string): Uint8Array };
  initialize(): void;
  addFrameRgba(frame: Uint8Array): void;
  finalize(): void;
  delete(): void;
}

export type H264EncoderFactory = () => Promise<H264Encoder>;

/** H.264 wants even sides. */
export async function encodeMp4(
  createEncoder: H264EncoderFactory,
  frames: readonly (Uint8Array | Uint8ClampedArray)[],
  width: number,
  height: number,
  fps = VIDEO_FPS,
): Promise<Uint8Array> {
  if (width % 2 !== 0 || height % 2 !== 0)
    throw new UserFixableError(
      `an MP4 needs even sides; this model's images are ${width} x ${height}: write a GIF instead (--gif)`,
    );
  if (frames.length === 0) throw new Error('no frames to encode');
  const encoder = await createEncoder();
  try {
    encoder.width = width;
    encoder.height = height;
    encoder.frameRate = fps;
    // near-transparent quality: a drag's detail is the point of the video
    encoder.quantizationParameter = 18;
    encoder.initialize();
    for (const f of frames)
      encoder.addFrameRgba(f instanceof Uint8Array ? f : new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
    encoder.finalize();
    return encoder.FS.readFile(encoder.outputFilename);
  } finally {
    encoder.delete();
  }
}
