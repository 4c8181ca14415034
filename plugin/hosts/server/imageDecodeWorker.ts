/**
 * The worker thread that decodes the images requests carry (imageDecoder.ts): a PNG that takes seconds and
 * hundreds of megabytes to decode costs this thread, never the event loop that answers /healthz.
 */
import { parentPort } from 'worker_threads';
import { ImageError } from '../node/imageError';
import { decodePng } from '../node/pngDecode';

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
}

export type DecodeReply =
  | { id: number; width: number; height: number; channels: number; data: Uint8Array }
  | { id: number; error: string; imageError: boolean };

parentPort?.on('message', ({ id, bytes }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const r = decodePng(bytes);
    // a fresh buffer of its own, so it can be transferred rather than copied (pngjs may hand out a view)
    const data = r.data.byteOffset === 0 && r.data.byteLength === r.data.buffer.byteLength ? r.data : r.data.slice();
    reply = { id, width: r.width, height: r.height, channels: r.channels, data };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e), imageError: e instanceof ImageError };
  }
  parentPort?.postMessage(reply, 'data' in reply ? [reply.data.buffer as ArrayBuffer] : []);
});
