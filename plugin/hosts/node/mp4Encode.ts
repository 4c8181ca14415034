import { encodeMp4 as encodeWith } from '../../engine/mp4Encode';

/**
 * RGBA frames as an H.264 MP4, on h264-mp4-encoder's Node build (plugin/engine/mp4Encode.ts). Loaded on first use:
 * the package instantiates its WebAssembly (decoded from base64) as it loads, which every CLI command paid at start.
 */
export const encodeMp4 = (
  frames: readonly (Uint8Array | Uint8ClampedArray)[],
  width: number,
  height: number,
): Promise<Uint8Array> =>
  encodeWith(async () => (await import('h264-mp4-encoder')).createH264MP4Encoder(), frames, width, height);
