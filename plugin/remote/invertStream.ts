import { ProtocolMismatchError, RemoteError, RemoteRequestError } from '../engine/core/errors';
import type { HostTensor } from '../graph/tensor';
import { CallbackFailure } from './callbackFailure';
import { ndjsonLines } from './ndjson';
import { PROTOCOL_VERSION, type InvertStepEvent } from './protocol';
import { RetryableFailure } from './retryable';
import { decodeTensor } from './stateCodec';
import { WireError } from './wireError';
import { readEnum, readInt, readNumber, readObject, readString } from './wireReader';

/** One projection step as a streamed /v1/invert reports it: the wire event without its type. */
export type InvertStepReport = Omit<InvertStepEvent, 'type'>;

/** The best fit so far as a streamed /v1/invert sends it: what a Stop keeps. */
export interface InvertBestReport {
  step: number;
  latent: HostTensor;
  psnr: number;
  crop: { x: number; y: number; size: number };
}

/** The fitted square of the input, as /v1/invert's answer and its best events carry it. */
export function readCrop(v: unknown, field: string): InvertBestReport['crop'] {
  const crop = readObject(v, field);
  return { x: readInt(crop.x, `${field}.x`, 0, 1e9), y: readInt(crop.y, `${field}.y`, 0, 1e9), size: readInt(crop.size, `${field}.size`, 0, 1e9) };
}

/**
 * Reads a streamed /v1/invert answer (NDJSON: start, step... with a best now and then, result), handing each step
 * to `onStep` and each best fit to `onBest`, and returns the result event: the same fields as the JSON answer. A
 * stream that breaks or ends early is a retryable failure; an exception from onStep comes out as CallbackFailure,
 * so it is never retried.
 */
export async function readInvertStream(
  res: Response,
  endpoint: string,
  onStep: (s: InvertStepReport) => void,
  signal?: AbortSignal,
  onBest?: (b: InvertBestReport) => void,
): Promise<Record<string, unknown>> {
  try {
    for await (const line of ndjsonLines(res, signal)) {
      const ev = readObject(JSON.parse(line) as unknown, 'event');
      const type = readString(ev.type, 'event.type', 20);
      if (type === 'start') {
        if (ev.protocol !== PROTOCOL_VERSION) throw new ProtocolMismatchError(`the endpoint ${endpoint} speaks DragGAN protocol ${String(ev.protocol)}, this client speaks ${PROTOCOL_VERSION}`);
      } else if (type === 'step') {
        const report: InvertStepReport = {
          step: readInt(ev.step, 'event.step', 0, 1e9),
          steps: readInt(ev.steps, 'event.steps', 0, 1e9),
          phase: readEnum(ev.phase, 'event.phase', ['w', 'w+'] as const),
          loss: readNumber(ev.loss, 'event.loss', -Infinity, Infinity),
          psnr: readNumber(ev.psnr, 'event.psnr', -Infinity, Infinity),
          bestPsnr: readNumber(ev.bestPsnr, 'event.bestPsnr', -Infinity, Infinity),
        };
        try {
          onStep(report);
        } catch (e) {
          throw new CallbackFailure(e);
        }
      } else if (type === 'best') {
        onBest?.({
          step: readInt(ev.step, 'event.step', 0, 1e9),
          latent: decodeTensor(ev.latent, 'event.latent'),
          psnr: readNumber(ev.psnr, 'event.psnr', -Infinity, Infinity),
          crop: readCrop(ev.crop, 'event.crop'),
        });
      } else if (type === 'result') {
        return ev;
      } else if (type === 'error') {
        const err = readObject(ev.error, 'event.error');
        if (ev.retryable === true) throw new RetryableFailure(`${endpoint}: ${String(err.message)}`, 'busy');
        throw new RemoteRequestError(`the endpoint rejected the request: ${String(err.message)}`, 400, String(err.code), typeof err.field === 'string' ? err.field : undefined);
      }
    }
  } catch (e) {
    if (e instanceof CallbackFailure || e instanceof RemoteError || e instanceof RetryableFailure) throw e;
    if (signal?.aborted) throw e;
    // a broken connection, a cut line (SyntaxError) or a garbled event: the replica failed; try another
    const what = e instanceof WireError ? `a malformed event (${e.message})` : `the stream broke off (${e instanceof Error ? e.message : String(e)})`;
    throw new RetryableFailure(`${endpoint}: ${what}`, 'network');
  }
  throw new RetryableFailure(`${endpoint}: the stream ended before the result`, 'network');
}
