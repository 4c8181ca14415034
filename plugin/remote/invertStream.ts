import type { CropBox } from '../codecs/image8';
import type { HostTensor } from '../graph/tensor';
import type { InvertStepEvent } from './protocol';
import { decodeTensor } from './stateCodec';
import { hostCallback, readStreamedReply } from './streamedReply';
import { readEnum, readInt, readNumber, readObject } from './wireReader';

/** One projection step as a streamed /v1/invert reports it: the wire event without its type. */
export type InvertStepReport = Omit<InvertStepEvent, 'type'>;

/** The best fit so far as a streamed /v1/invert sends it: what a Stop keeps. */
export interface InvertBestReport {
  step: number;
  latent: HostTensor;
  psnr: number;
  crop: CropBox;
}

/** The fitted box of the input (a square, or a portrait model's 1:2), as /v1/invert's answer and its best events carry it. */
export function readCrop(v: unknown, field: string): InvertBestReport['crop'] {
  const crop = readObject(v, field);
  return {
    x: readInt(crop.x, `${field}.x`, 0, 1e9),
    y: readInt(crop.y, `${field}.y`, 0, 1e9),
    size: readInt(crop.size, `${field}.size`, 0, 1e9),
    ...(crop.width !== undefined ? { width: readInt(crop.width, `${field}.width`, 0, 1e9) } : {}),
  };
}

/**
 * Reads a streamed /v1/invert answer (NDJSON: start, step... with a best now and then, result), handing each step
 * to `onStep` and each best fit to `onBest`, and returns the result event: the same fields as the JSON answer.
 */
export function readInvertStream(
  res: Response,
  endpoint: string,
  onStep: (s: InvertStepReport) => void,
  signal?: AbortSignal,
  onBest?: (b: InvertBestReport) => void,
): Promise<Record<string, unknown>> {
  return readStreamedReply(res, endpoint, signal, {
    refusedStatus: 400,
    result: (ev) => ev,
    event(type, ev) {
      if (type === 'step') {
        const report: InvertStepReport = {
          step: readInt(ev.step, 'event.step', 0, 1e9),
          steps: readInt(ev.steps, 'event.steps', 0, 1e9),
          phase: readEnum(ev.phase, 'event.phase', ['w', 'w+'] as const),
          loss: readNumber(ev.loss, 'event.loss', -Infinity, Infinity),
          psnr: readNumber(ev.psnr, 'event.psnr', -Infinity, Infinity),
          bestPsnr: readNumber(ev.bestPsnr, 'event.bestPsnr', -Infinity, Infinity),
        };
        hostCallback(() => onStep(report));
      } else if (type === 'best') {
        onBest?.({
          step: readInt(ev.step, 'event.step', 0, 1e9),
          latent: decodeTensor(ev.latent, 'event.latent'),
          psnr: readNumber(ev.psnr, 'event.psnr', -Infinity, Infinity),
          crop: readCrop(ev.crop, 'event.crop'),
        });
      }
    },
  });
}
