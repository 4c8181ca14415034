/**
 * Decodes the PNGs requests carry and resizes them to the model's square off the event loop, in one worker thread
 * (imageDecodeWorker.ts), within a budget of decoded bytes per request and in total: a 508 KB request declaring
 * 7000x7000 RGBA16 took 1.27 GB and held the event loop for 13.5 s, so /healthz waited; and the resize of a
 * 16-megapixel image, done on the event loop after the decode, held it for hundreds of ms. The size is known from
 * the header before anything is decoded.
 */
import { join } from 'path';
import { Worker } from 'worker_threads';
import type { CropBox } from '../../codecs/image8';
import { ImageHeaderError, readImageHeader } from '../../codecs/imageHeader';
import { hostTensor, type HostTensor } from '../../graph/tensor';
import type { RgbImage } from '../../invert/rgbImage';
import { HttpError } from './httpError';
import type { PrepareReply, PrepareRequest } from './imageDecodeWorker';

export interface ImageBudget {
  /** Decoded bytes one request's image may take. */
  perRequestBytes: number;
  /** Decoded bytes of all images being decoded or held by running work at once. */
  totalBytes: number;
}

/** A 1024 px model needs far less; 256 MB is a 16-megapixel RGBA16 PNG. */
export const DEFAULT_IMAGE_BUDGET: ImageBudget = { perRequestBytes: 256 * 2 ** 20, totalBytes: 512 * 2 ** 20 };

/** An image as the projection takes it (prepareImage), and the budget it holds until the work that uses it ends. */
export interface PreparedImage {
  target: HostTensor;
  crop: CropBox;
  release(): void;
}

/** What a request carries: a PNG's bytes, or pixels as they are. */
export type ImageInput = { png: Uint8Array } | RgbImage;

const mb = (n: number): string => `${Math.ceil(n / 2 ** 20)} MB`;

/** The worker's file beside this module: the bundle's .js, or the .ts source run through ts-node in the tests. */
function workerFile(): { file: string; execArgv: string[] } {
  const ts = __filename.endsWith('.ts');
  return {
    file: join(__dirname, `imageDecodeWorker.${ts ? 'ts' : 'js'}`),
    execArgv: ts ? ['--require', 'ts-node/register/transpile-only'] : [],
  };
}

export class ImageDecoder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(r: PrepareReply): void; reject(e: Error): void }>();
  private nextId = 1;
  private reserved = 0;

  constructor(readonly budget: ImageBudget = DEFAULT_IMAGE_BUDGET) {}

  /**
   * Bytes the image takes in the worker, from its header alone: a PNG's inflated scanlines, the decoder's RGBA
   * (16-bit at most) and the 8-bit copy it returns; given pixels' own bytes; and the resize's row buffer and target.
   * A 400 when it is not a PNG or over the per-request budget.
   */
  cost(input: ImageInput, resolution: number): number {
    const resize = (w: number, h: number) => 24 * resolution * Math.min(w, h) + 12 * resolution * resolution;
    if (!('png' in input)) return input.data.length + resize(input.width, input.height);
    let header;
    try {
      header = readImageHeader(input.png);
    } catch (e) {
      if (e instanceof ImageHeaderError) throw badImage(`is not a readable PNG: ${e.message}`);
      throw e;
    }
    if (header?.format !== 'png') throw badImage('is not a readable PNG: not a PNG file');
    const { width, height } = header;
    const bytesNeeded = header.decodedBytes + 12 * width * height + resize(width, height);
    if (bytesNeeded > this.budget.perRequestBytes) {
      throw badImage(
        `is ${width}x${height} and would take ${mb(bytesNeeded)} to decode, over this server's ${mb(this.budget.perRequestBytes)} per image; scale it down to about the model's resolution first`,
      );
    }
    return bytesNeeded;
  }

  /**
   * The image decoded, checked and resized to `resolution` in the worker; a 429 when the images already in work
   * hold the total budget, a 400 for an unreadable PNG or pixels the projection cannot take.
   */
  async prepare(input: ImageInput, resolution: number, width = resolution): Promise<PreparedImage> {
    const cost = this.cost(input, resolution);
    if (this.reserved + cost > this.budget.totalBytes) {
      throw new HttpError(
        429,
        'busy',
        `the server is decoding or holding ${mb(this.reserved)} of images already; retry in a moment`,
        { headers: { 'retry-after': '2' } },
      );
    }
    this.reserved += cost;
    let held = true;
    const release = (): void => {
      if (held) this.reserved -= cost;
      held = false;
    };
    try {
      const reply = await this.post({ id: this.nextId++, resolution, width, input });
      if ('error' in reply) {
        if (reply.kind === 'unreadable') throw badImage(`is not a readable PNG: ${reply.error}`);
        if (reply.kind === 'unfit') throw new HttpError(400, 'invalid-image', reply.error, { field: 'image' });
        throw new Error(`the image decoder failed: ${reply.error}`);
      }
      return { target: hostTensor([1, 3, resolution, width], reply.target), crop: reply.crop, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Ends the worker; what is still decoding fails. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerFile();
    const w = new Worker(file, { execArgv });
    // a worker that stops (crash, out of memory) fails what it held; the next image starts a new one
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('message', (r: PrepareReply) => {
      this.pending.get(r.id)?.resolve(r);
      this.pending.delete(r.id);
    });
    w.on('error', (e) => fail(new Error(`the image decoder stopped: ${e.message}`)));
    w.on('exit', () => fail(new Error('the image decoder stopped')));
    // an idle worker does not keep the process alive
    w.unref();
    this.worker = w;
    return w;
  }

  /** Hands the request's bytes over to the worker (moved, not copied, where they own their buffer). */
  private post(msg: PrepareRequest): Promise<PrepareReply> {
    const w = this.ensureWorker();
    const bytes = 'png' in msg.input ? msg.input.png : msg.input.data;
    const owned = bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    return new Promise<PrepareReply>((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      w.postMessage(msg, owned ? [bytes.buffer as ArrayBuffer] : []);
    });
  }
}

function badImage(detail: string): HttpError {
  return new HttpError(400, 'invalid-field', `image.png: ${detail}`, { field: 'image.png' });
}
