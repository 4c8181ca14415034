import { LIMITS } from '../../core/limits';
import { InvertInputError } from '../../core/errors';
import type { HostTensor } from '../../graph/tensor';
import { invertPrepared } from '../../invert/invertImage';
import { imageSize } from '../../stylegan2/config';
import { checkRgbImage, type RgbImage } from '../../invert/rgbImage';
import { PROTOCOL_VERSION, type PreviewKind } from '../../remote/protocol';
import { encodeTensor } from '../../remote/stateCodec';
import { WireError } from '../../remote/wireError';
import { readBytes, readEnum, readInt, readObject } from '../../remote/wireReader';
import { bestThrottle } from './bestThrottle';
import { openEventStream } from './eventStream';
import { HttpError } from './httpError';
import { wirePreview } from './preview';
import { prefersStream } from './prefersStream';
import type { ImageDecoder, PreparedImage } from './imageDecoder';
import { orAbort, queued } from './queued';
import type { RequestContext } from './requestContext';
import { asBadRequest, parseJson, pickModel } from './requests';
import { sendJson } from './respond';

const MAX_SIDE = 8192;
const MAX_INVERT_STEPS = 5000;

/** The image to invert: a PNG's bytes (decoded later, in the queue and off the event loop), or raw RGB/RGBA bytes with their size. */
function readImage(v: unknown): RgbImage | { png: Uint8Array } {
  const o = readObject(v, 'image', ['png', 'width', 'height', 'channels', 'data']);
  if (o.png !== undefined) {
    if (o.data !== undefined)
      throw new WireError('image', "give either 'png' or 'width', 'height', 'channels' and 'data'");
    return { png: readBytes(o.png, 'image.png') };
  }
  const width = readInt(o.width, 'image.width', 1, MAX_SIDE);
  const height = readInt(o.height, 'image.height', 1, MAX_SIDE);
  const channels = readInt(o.channels, 'image.channels', 3, 4);
  return { width, height, channels, data: readBytes(o.data, 'image.data', width * height * channels) };
}

/**
 * POST /v1/invert: an image -> the W+ latent that reproduces it (plugin/invert), with its PSNR and image. Bounded by
 * the server's time limit: the projection plans its steps to end in time, and a stop returns the best so far.
 * One JSON answer, or, when Accept prefers a stream, NDJSON / server-sent events: start, a step per projection step
 * (no latents: progress only), a best (the best fit so far, what a client that stops keeps) when the best improved
 * and at most once per `bestEveryMs`, then a result carrying exactly the JSON answer's fields.
 */
export async function routeInvert(
  ctx: RequestContext,
  decoder: ImageDecoder,
  timeLimitMs: number,
  bestEveryMs = 1000,
): Promise<void> {
  const body = parseJson(await ctx.body());
  const o = asBadRequest(() => readObject(body, 'body', ['model', 'image', 'steps', 'seed', 'preview']));
  const model = asBadRequest(() => pickModel(o, ctx.models));
  ctx.log.model = model.id;
  const { input, steps, seed, preview } = asBadRequest(() => ({
    input: readImage(o.image),
    steps: o.steps === undefined ? undefined : readInt(o.steps, 'steps', 1, MAX_INVERT_STEPS),
    seed: o.seed === undefined ? undefined : readInt(o.seed, 'seed', LIMITS.seed.min, LIMITS.seed.max),
    preview: (o.preview === undefined
      ? 'png'
      : readEnum(o.preview, 'preview', ['png', 'f32', 'both', 'none'] as const)) as PreviewKind,
  }));
  const { width, height: resolution } = imageSize(model.engine.generator.config);
  // a PNG over the per-image budget gets its 400 from its header, given pixels theirs from their size, before they
  // wait in the queue
  if ('png' in input) decoder.cost(input, resolution);
  else checkImage(input);
  const streamed = prefersStream(ctx.req.headers.accept);
  await queued(ctx, async () => {
    // decoded, checked and resized in the worker: the event loop only gets the model's square back
    const preparing = decoder.prepare(input, resolution, width);
    const prepared = await orAbort(preparing, ctx).catch((e: unknown) => {
      // stopped while the worker works: its image gives its budget back when it arrives
      preparing.then(
        (d) => d.release(),
        () => undefined,
      );
      throw e;
    });
    try {
      await invert(prepared);
    } finally {
      prepared.release();
    }
  });

  async function invert(image: PreparedImage): Promise<void> {
    const stream = streamed ? openEventStream(ctx.res, ctx.req.headers.accept) : undefined;
    stream?.send({ type: 'start', protocol: PROTOCOL_VERSION, model: model.id });
    const { crop } = image;
    const throttle = bestThrottle(bestEveryMs);
    let pending: { step: number; latent: HostTensor; psnr: number } | undefined;
    let sentPsnr: number | undefined;
    const sendBest = (b: { step: number; latent: HostTensor; psnr: number }) => {
      stream?.send({ type: 'best', step: b.step, latent: encodeTensor(b.latent), psnr: b.psnr, crop });
      sentPsnr = b.psnr;
    };
    try {
      const r = await invertPrepared(model.engine.generator, image, {
        steps,
        seed,
        signal: ctx.signal,
        // leave room for the answer inside the time limit
        timeBudgetSeconds: (0.85 * timeLimitMs) / 1000,
        onStep: stream
          ? (s) => {
              if (s.best) pending = { step: s.step, latent: s.best.latent, psnr: s.bestPsnr };
              // before its step: a client that stops on a step report has that step's best already
              if (pending && throttle.due()) {
                sendBest(pending);
                pending = undefined;
              }
              stream.send({
                type: 'step',
                step: s.step,
                steps: s.total,
                phase: s.phase,
                loss: s.loss,
                psnr: s.psnr,
                bestPsnr: s.bestPsnr,
              });
            }
          : undefined,
      });
      ctx.log.steps = r.steps;
      if (ctx.stopCause() === 'client-gone') ctx.log.reason = 'client-gone';
      const p = wirePreview(r.image, r.steps, preview);
      const answer = {
        model: model.id,
        latent: encodeTensor(r.latent),
        psnr: r.psnr,
        steps: r.steps,
        cancelled: r.cancelled,
        crop: r.crop,
        ...(p ? { preview: p } : {}),
      };
      // the result's fit as a best too, unless it was the last one sent: a client stopping now still keeps it
      if (stream && r.psnr !== sentPsnr) sendBest({ step: r.steps, latent: r.latent, psnr: r.psnr });
      if (stream) stream.send({ type: 'result', protocol: PROTOCOL_VERSION, ...answer });
      else sendJson(ctx.res, 200, answer);
    } catch (e) {
      if (!stream)
        throw e instanceof InvertInputError ? new HttpError(400, 'invalid-image', e.message, { field: 'image' }) : e;
      // the 200 is already out: report in the stream
      ctx.log.error = e instanceof Error ? e.message : String(e);
      const bad = e instanceof InvertInputError;
      stream.send({
        type: 'error',
        protocol: PROTOCOL_VERSION,
        retryable: !bad,
        error: bad
          ? { code: 'invalid-image', message: ctx.log.error, field: 'image' }
          : { code: 'internal', message: `the inversion failed on the server: ${ctx.log.error}` },
      });
    } finally {
      stream?.end();
    }
  }
}

function checkImage(image: RgbImage): void {
  try {
    checkRgbImage(image);
  } catch (e) {
    if (e instanceof InvertInputError) throw new HttpError(400, 'invalid-image', e.message, { field: 'image' });
    throw e;
  }
}
