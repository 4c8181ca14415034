import { createH264MP4Encoder } from 'h264-mp4-encoder';
import { encodeMp4 as encodeWith } from '../../engine/mp4Encode';

/** RGBA frames as an H.264 MP4, on h264-mp4-encoder's Node build (plugin/engine/mp4Encode.ts). */
export const encodeMp4 = (
  frames: readonly (Uint8Array | Uint8ClampedArray)[],
  width: number,
  height: number,
): Promise<Uint8Array> => encodeWith(createH264MP4Encoder, frames, width, height);
