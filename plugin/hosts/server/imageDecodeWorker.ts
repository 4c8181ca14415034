/**
 * The worker thread that turns the images requests carry into projection targets (imageDecoder.ts): decoding the
 * PNG, checking its pixels and resizing its centred square to the model's resolution cost this thread, never the
 * event loop that answers /healthz. Only the target (3 x R x R floats) goes back.
 */
import { parentPort } from 'worker_threads';
import type { CropBox } from '../../codecs/image8';
import { InvertInputError } from '../../core/errors';
import { prepareImage } from '../../invert/prepareImage';
import type { RgbImage } from '../../invert/rgbImage';
import { ImageError } from '../node/imageError';
import { decodePng } from '../node/pngDecode';

export interface PrepareRequest {
  id: number;
  /** The model's image height, and its width (half of it for a portrait model): what the image is resized to. */
  resolution: number;
  width: number;
  /** A PNG's bytes, or pixels the request gave as they are. */
  input: { png: Uint8Array } | RgbImage;
}

export type PrepareReply =
  | { id: number; target: Float32Array; crop: CropBox }
  | {
      id: number;
      error: string;
      /** unreadable: not a PNG it can decode; unfit: pixels the projection cannot take (greyscale, too small). */
      kind: 'unreadable' | 'unfit' | 'internal';
    };

parentPort?.on('message', ({ id, resolution, width, input }: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const image = 'png' in input ? decodePng(input.png) : input;
    const { target, crop } = prepareImage(image, resolution, width);
    reply = { id, target: target.data, crop };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const kind = e instanceof ImageError ? 'unreadable' : e instanceof InvertInputError ? 'unfit' : 'internal';
    reply = { id, error, kind };
  }
  parentPort?.postMessage(reply, 'target' in reply ? [reply.target.buffer as ArrayBuffer] : []);
});
