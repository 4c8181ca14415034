import { createH264MP4Encoder } from 'h264-mp4-encoder';
import { UserFixableError } from '../../core/errors';

/** Frames per second of an exported drag video. */
export const VIDEO_FPS = 10;

/**
 * RGBA frames as an H.264 MP4 (h264-mp4-encoder: minih264 and the minimp4 muxer compiled to WebAssembly, so it
 * runs wherever Node does, nothing to install). H.264 wants even sides.
 */
export async function encodeMp4(
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
  const encoder = await createH264MP4Encoder();
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
