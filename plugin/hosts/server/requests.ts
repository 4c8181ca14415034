import { LIMITS } from '../../core/limits';
import type { EditState } from '../../core/editState';
import type { HostTensor } from '../../graph/tensor';
import { MAX_STEPS, decodeDragState, decodePoints, decodeTensor } from '../../remote/stateCodec';
import { decodeSettings } from '../../remote/settingsCodec';
import type { DragHyperParameters } from '../../core/dragSettings';
import type { Point } from '../../core/types';
import type { PreviewKind } from '../../remote/protocol';
import { WireError } from '../../remote/wireError';
import {
  readBoolean,
  readEnum,
  readInt,
  readNumber,
  readObject,
  readString,
  type JsonObject,
} from '../../remote/wireReader';
import { HttpError } from './httpError';
import { MODEL_ID_PATTERN, type ServedModel } from './servedModel';

const PREVIEW_KINDS: readonly PreviewKind[] = ['png', 'f32', 'both', 'none'];

/** Parses a JSON body; anything else is a 400 that quotes the parser. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(
      400,
      'malformed-json',
      `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** The model a request names: a plain id the server serves (a path is refused as such, never looked up). */
export function pickModel(o: JsonObject, models: ReadonlyMap<string, ServedModel>): ServedModel {
  const id = readString(o.model, 'model', 1000);
  const named = [...models.values()].find((m) => m.info.name === id && m.id !== id);
  if (named) {
    throw new HttpError(
      404,
      'unknown-model',
      `'${id}' is the display name of model '${named.id}'; requests name a model by its id (GET /v1/models lists both)`,
      { field: 'model' },
    );
  }
  if (!MODEL_ID_PATTERN.test(id) || id.includes('..')) {
    throw new HttpError(
      400,
      'bad-model-id',
      `model ids are plain names such as '${[...models.keys()][0] ?? 'ffhq'}' (see GET /v1/models), not paths or URLs; got ${JSON.stringify(id.slice(0, 80))}`,
      { field: 'model' },
    );
  }
  const m = models.get(id);
  if (!m)
    throw new HttpError(
      404,
      'unknown-model',
      `this server has no model '${id}' (it serves: ${[...models.keys()].join(', ')})`,
      { field: 'model' },
    );
  return m;
}

/** WireError (a field that breaks the protocol) -> 400 naming the field. */
export function asBadRequest<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WireError) throw new HttpError(400, 'invalid-field', e.message, { field: e.field });
    throw e;
  }
}

export interface GenerateInput {
  model: ServedModel;
  z?: { seed: number; psi: number };
  latent?: HostTensor;
  preview: PreviewKind;
}

export function parseGenerate(body: unknown, models: ReadonlyMap<string, ServedModel>): GenerateInput {
  const o = asBadRequest(() => readObject(body, 'body', ['model', 'seed', 'psi', 'latent', 'preview']));
  const model = asBadRequest(() => pickModel(o, models));
  return asBadRequest(() => {
    const preview = o.preview === undefined ? 'png' : readEnum(o.preview, 'preview', PREVIEW_KINDS);
    if ((o.seed === undefined) === (o.latent === undefined))
      throw new WireError('seed', "give either 'seed' (with optional 'psi') or 'latent'");
    if (o.latent !== undefined) {
      if (o.psi !== undefined) throw new WireError('psi', "applies to 'seed' only (a latent is used as it is)");
      return { model, latent: decodeTensor(o.latent, 'latent', [1, model.shape.numWs, model.shape.wDim]), preview };
    }
    const seed = readInt(o.seed, 'seed', LIMITS.seed.min, LIMITS.seed.max);
    const psi = o.psi === undefined ? model.info.defaults.psi : readNumber(o.psi, 'psi', -2, 2);
    return { model, z: { seed, psi }, preview };
  });
}

export interface DragStepsInput {
  model: ServedModel;
  state: EditState;
  steps: number;
  previewEvery: number;
  preview: PreviewKind;
}

export function parseDragSteps(body: unknown, models: ReadonlyMap<string, ServedModel>): DragStepsInput {
  const o = asBadRequest(() => readObject(body, 'body', ['model', 'state', 'steps', 'previewEvery', 'preview']));
  const model = asBadRequest(() => pickModel(o, models));
  return asBadRequest(() => {
    const state = decodeDragState(o.state, 'state', model.shape);
    if (state.pairs.length === 0)
      throw new WireError('state.pairs', 'no points: add at least one handle -> target pair');
    return {
      model,
      state,
      steps: readInt(o.steps, 'steps', 1, MAX_STEPS),
      previewEvery: o.previewEvery === undefined ? 0 : readInt(o.previewEvery, 'previewEvery', 0, MAX_STEPS),
      preview: o.preview === undefined ? 'png' : readEnum(o.preview, 'preview', PREVIEW_KINDS),
    };
  });
}

export interface PrepareInput {
  model: ServedModel;
  handles: Point[];
  masked: boolean;
  hp: DragHyperParameters;
}

export function parsePrepare(body: unknown, models: ReadonlyMap<string, ServedModel>): PrepareInput {
  const o = asBadRequest(() => readObject(body, 'body', ['model', 'handles', 'masked', 'hp']));
  const model = asBadRequest(() => pickModel(o, models));
  return asBadRequest(() => {
    const handles = decodePoints(o.handles, 'handles', undefined, model.shape);
    if (handles.length === 0)
      throw new WireError('handles', 'no points: give the handles of the drag to build for (at least one)');
    return { model, handles, masked: readBoolean(o.masked, 'masked'), hp: decodeSettings(o.hp, 'hp', model.shape) };
  });
}
