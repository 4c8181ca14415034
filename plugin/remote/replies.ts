import { DRAG_DEFAULTS, modelHyperParameters } from '../core/defaults';
import { editModelFor } from '../core/editState';
import { LIMITS } from '../core/limits';
import { FACE_ALIGNMENTS, type Point } from '../core/types';
import type { HostTensor } from '../graph/tensor';
import type { ModelInfo, WireStopReason } from './protocol';
import { decodeSettings } from './settingsCodec';
import { decodeTensor } from './stateCodec';
import { readArray, readBytes, readEnum, readInt, readNumber, readObject, readString } from './wireReader';

/** Decoders for what a server sends back; lenient about extra fields, strict about the ones used. */

export interface Preview {
  step: number;
  width: number;
  height: number;
  png?: Uint8Array;
  image?: HostTensor;
}

export function decodePreview(v: unknown, field: string): Preview {
  const o = readObject(v, field);
  const p: Preview = {
    step: readInt(o.step, `${field}.step`, 0, 1e9),
    width: readInt(o.width, `${field}.width`, 1, 1 << 16),
    height: readInt(o.height, `${field}.height`, 1, 1 << 16),
  };
  if (o.png !== undefined) p.png = readBytes(o.png, `${field}.png`);
  if (o.image !== undefined) p.image = decodeTensor(o.image, `${field}.image`);
  return p;
}

export function decodePoints(v: unknown, field: string): Point[] {
  return readArray(v, field, 0, 1 << 16).map((p, i) => {
    const o = readObject(p, `${field}[${i}]`);
    return {
      x: readNumber(o.x, `${field}[${i}].x`, -Infinity, Infinity),
      y: readNumber(o.y, `${field}[${i}].y`, -Infinity, Infinity),
    };
  });
}

export const STOP_REASONS: readonly WireStopReason[] = [
  'converged',
  'step-cap',
  'steps-done',
  'time-limit',
  'shutdown',
];

export function decodeStopReason(v: unknown, field: string): WireStopReason {
  return readEnum(v, field, STOP_REASONS);
}

export function decodeModelInfo(v: unknown, field: string): ModelInfo {
  const o = readObject(v, field);
  const resolution = readInt(o.resolution, `${field}.resolution`, 1, 1 << 16);
  const wDim = readInt(o.wDim, `${field}.wDim`, 1, 1 << 16);
  const numWs = readInt(o.numWs, `${field}.numWs`, 1, 1 << 10);
  // StyleGAN3's feature maps are its layers; a server that does not say has StyleGAN2's blocks
  const numBlocks = o.numBlocks === undefined ? undefined : readInt(o.numBlocks, `${field}.numBlocks`, 1, 1 << 10);
  // a portrait model's width; a server that does not say serves squares
  const width = o.width === undefined ? undefined : readInt(o.width, `${field}.width`, 1, 1 << 16);
  const model = editModelFor({ numWs, wDim, resolution, width, numBlocks });
  const d = readObject(o.defaults, `${field}.defaults`);
  // a server that predates a setting leaves it out: the table's default stands in
  const hp = decodeSettings(d, `${field}.defaults`, model, modelHyperParameters(DRAG_DEFAULTS.model, model));
  return {
    id: readString(o.id, `${field}.id`, 200),
    name: readString(o.name, `${field}.name`, 1000),
    description: readString(o.description, `${field}.description`, 10000),
    license: readString(o.license, `${field}.license`, 10000),
    resolution,
    ...(width === undefined ? {} : { width }),
    zDim: readInt(o.zDim, `${field}.zDim`, 1, 1 << 16),
    wDim,
    numWs,
    ...(numBlocks === undefined ? {} : { numBlocks }),
    defaults: { ...hp, psi: readNumber(d.psi, `${field}.defaults.psi`, LIMITS.psi.min, LIMITS.psi.max) },
    ...(o.alignment === undefined ? {} : { alignment: readEnum(o.alignment, `${field}.alignment`, FACE_ALIGNMENTS) }),
  };
}
