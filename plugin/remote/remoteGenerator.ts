import type { CropBox } from '../codecs/image8';
import type { HostTensor } from '../graph/tensor';
import { EndpointClient, type EndpointOptions } from './endpointClient';
import {
  ROUTES,
  STREAM_ACCEPT,
  type GenerateRequest,
  type InvertRequest,
  type ModelInfo,
  type PrepareRequest,
  type PreviewKind,
} from './protocol';
import type { DragHyperParameters } from '../core/dragSettings';
import type { Point } from '../core/types';
import { encodeSettings } from './settingsCodec';
import { decodeModelInfo, decodePreview, type Preview } from './replies';
import { UnknownModelError } from '../core/errors';
import { RetryableFailure } from './retryable';
import { CallbackFailure } from './callbackFailure';
import { readCrop, readInvertStream, type InvertBestReport, type InvertStepReport } from './invertStream';
import { decodeTensor, encodeTensor } from './stateCodec';
import { encodeBase64 } from './base64';
import { readArray, readInt, readNumber, readObject } from './wireReader';

/** Reads a whole JSON reply; a connection that breaks mid-body is a retryable failure like any other. */
export async function readJsonReply(res: Response, endpoint: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new RetryableFailure(
      `${endpoint}: the answer broke off (${e instanceof Error ? e.message : String(e)})`,
      'network',
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RetryableFailure(`${endpoint}: the answer is not JSON`, 'server');
  }
}

/** The models an endpoint serves. */
export async function listRemoteModels(client: EndpointClient, signal?: AbortSignal): Promise<ModelInfo[]> {
  return client.request(ROUTES.models, { method: 'GET', signal, retryForMs: 0 }, async (res, endpoint) => {
    const o = readObject(await readJsonReply(res, endpoint), 'reply');
    return readArray(o.models, 'reply.models', 0, 10000).map((m, i) => decodeModelInfo(m, `reply.models[${i}]`));
  });
}

export interface GenerateResult {
  latent: HostTensor;
  preview?: Preview;
}

export interface InvertReply {
  latent: HostTensor;
  psnr: number;
  steps: number;
  cancelled: boolean;
  crop: CropBox;
  preview?: Preview;
}

/** /v1/generate, /v1/invert and /v1/models for one model of an endpoint: the remote counterpart of mapping + synthesis. */
export class RemoteGenerator {
  readonly client: EndpointClient;

  constructor(readonly options: EndpointOptions & { modelId: string }) {
    this.client = new EndpointClient(options);
  }

  /** The model's card; UnknownModelError (listing what the endpoint serves) when it is not there. */
  async info(signal?: AbortSignal): Promise<ModelInfo> {
    const models = await listRemoteModels(this.client, signal);
    const m = models.find((x) => x.id === this.options.modelId);
    if (!m)
      throw new UnknownModelError(
        `the endpoint has no model '${this.options.modelId}' (it serves: ${models.map((x) => x.id).join(', ') || 'none'})`,
      );
    return m;
  }

  /** A W+ latent from a seed (+ truncation psi) or a given latent, with the image it renders. */
  async generate(
    input: { seed: number; psi?: number } | { latent: HostTensor },
    o: { preview?: PreviewKind; signal?: AbortSignal } = {},
  ): Promise<GenerateResult> {
    const req: GenerateRequest = { model: this.options.modelId, preview: o.preview ?? 'png' };
    if ('latent' in input) req.latent = encodeTensor(input.latent);
    else {
      req.seed = input.seed;
      if (input.psi !== undefined) req.psi = input.psi;
    }
    return this.client.request(
      ROUTES.generate,
      { method: 'POST', body: JSON.stringify(req), signal: o.signal },
      async (res, endpoint) => {
        const r = readObject(await readJsonReply(res, endpoint), 'reply');
        const out: GenerateResult = { latent: decodeTensor(r.latent, 'reply.latent') };
        if (r.preview !== undefined) out.preview = decodePreview(r.preview, 'reply.preview');
        return out;
      },
    );
  }

  /**
   * The W+ latent that reproduces an image (a PNG, or 8-bit RGB / RGBA pixels), fitted on the endpoint. With
   * onProgress the answer is streamed and each projection step reported as it runs (an older server answers with
   * one JSON reply: then no step is reported). A Stop (signal) also stops reading the stream, which closes the
   * connection and so ends the run on the server; it then returns the best fit the stream brought so far
   * (cancelled: true, as a local Stop does), or throws AbortError where none came yet (or from an older server).
   */
  async invert(
    image: { png: Uint8Array } | { width: number; height: number; channels: 3 | 4; data: Uint8Array },
    o: {
      steps?: number;
      seed?: number;
      preview?: PreviewKind;
      signal?: AbortSignal;
      onProgress?(s: InvertStepReport): void;
    } = {},
  ): Promise<InvertReply> {
    const req: InvertRequest = {
      model: this.options.modelId,
      image:
        'png' in image
          ? { png: encodeBase64(image.png) }
          : { width: image.width, height: image.height, channels: image.channels, data: encodeBase64(image.data) },
      preview: o.preview ?? 'png',
      ...(o.steps === undefined ? {} : { steps: o.steps }),
      ...(o.seed === undefined ? {} : { seed: o.seed }),
    };
    const onProgress = o.onProgress;
    // a retry on another replica starts over: report only steps beyond those already shown, so the bar never goes
    // back; step 0 is the start's image, and a step reported again is the result's image when it fits better
    let shown = -1;
    let shownBest = -Infinity;
    const onStep = (s: InvertStepReport) => {
      if (s.step < shown || (s.step === shown && s.bestPsnr <= shownBest)) return;
      shown = s.step;
      shownBest = s.bestPsnr;
      onProgress?.(s);
    };
    // the best fit streamed so far; a retry's replica starts over, so keep whichever fits better
    let best: InvertBestReport | undefined;
    const onBest = (b: InvertBestReport) => {
      if (!best || b.psnr >= best.psnr) best = b;
    };
    const init = {
      method: 'POST' as const,
      body: JSON.stringify(req),
      signal: o.signal,
      ...(onProgress ? { accept: STREAM_ACCEPT } : {}),
    };
    try {
      return await this.client.request(ROUTES.invert, init, async (res, endpoint) => {
        const streamed =
          onProgress !== undefined && /application\/x-ndjson/.test(res.headers.get('content-type') ?? '');
        return decodeInvertReply(
          streamed
            ? await readInvertStream(res, endpoint, onStep, o.signal, onBest)
            : readObject(await readJsonReply(res, endpoint), 'reply'),
        );
      });
    } catch (e) {
      if (o.signal?.aborted && best && !(e instanceof CallbackFailure))
        return {
          latent: best.latent,
          psnr: best.psnr,
          steps: Math.max(shown, best.step, 0),
          cancelled: true,
          crop: best.crop,
        };
      throw e instanceof CallbackFailure ? e.inner : e;
    }
  }

  /**
   * Has the endpoint build ahead what a drag's steps will run for these handles (POST /v1/prepare); resolves with
   * what building took there, in milliseconds. Not retried for long: the drag builds anyway if this fails.
   */
  async prepare(
    handles: readonly Point[],
    masked: boolean,
    hp: DragHyperParameters,
    signal?: AbortSignal,
  ): Promise<number> {
    const req: PrepareRequest = {
      model: this.options.modelId,
      handles: handles.map((p) => ({ x: p.x, y: p.y })),
      masked,
      hp: encodeSettings(hp),
    };
    return this.client.request(
      ROUTES.prepare,
      { method: 'POST', body: JSON.stringify(req), signal, retryForMs: 0 },
      async (res, endpoint) => {
        return readInt(readObject(await readJsonReply(res, endpoint), 'reply').ms, 'reply.ms', 0, 1e9);
      },
    );
  }
}

function decodeInvertReply(r: Record<string, unknown>): InvertReply {
  const out: InvertReply = {
    latent: decodeTensor(r.latent, 'reply.latent'),
    psnr: readNumber(r.psnr, 'reply.psnr', -Infinity, Infinity),
    steps: readInt(r.steps, 'reply.steps', 0, 1e9),
    cancelled: r.cancelled === true,
    crop: readCrop(r.crop, 'reply.crop'),
  };
  if (r.preview !== undefined) out.preview = decodePreview(r.preview, 'reply.preview');
  return out;
}
