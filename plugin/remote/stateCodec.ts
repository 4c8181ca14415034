import { DRAG_SETTINGS } from '../core/dragSettings';
import { LIMITS } from '../core/limits';
import type { EditModel, EditState } from '../core/editState';
import type { HandleTarget, Point } from '../core/types';
import type { HostTensor } from '../graph/tensor';
import type { WireDragState, WireTensor } from './protocol';
import { f32ToBase64, f64ToBase64, u8ToBase64 } from './wireArrays';
import { decodeSettings, encodeSettings } from './settingsCodec';
import { WireError } from './wireError';
import { readArray, readBytes, readF32, readF64, readInt, readNumber, readObject } from './wireReader';

/** More handle -> target pairs than any UI offers, small enough that a request stays cheap. */
export const MAX_POINTS = LIMITS.points.max;
export const MAX_STEPS = DRAG_SETTINGS.maxSteps.limit.max;
const MAX_DIM = 1 << 16;

export function encodeTensor(t: HostTensor): WireTensor {
  return { shape: [...t.shape], data: f32ToBase64(t.data) };
}

export function decodeTensor(v: unknown, field: string, shape?: readonly number[]): HostTensor {
  const o = readObject(v, field, ['shape', 'data']);
  const dims = readArray(o.shape, `${field}.shape`, 1, 4).map((d, i) => readInt(d, `${field}.shape[${i}]`, 1, MAX_DIM));
  if (shape && (dims.length !== shape.length || dims.some((d, i) => d !== shape[i]))) {
    throw new WireError(`${field}.shape`, `is [${dims.join(', ')}]; this model needs [${shape.join(', ')}]`);
  }
  const n = dims.reduce((a, b) => a * b, 1);
  return { shape: dims, data: readF32(o.data, `${field}.data`, n) };
}

export function encodeDragState(s: EditState): WireDragState {
  return {
    hp: encodeSettings(s.hp),
    w0: encodeTensor(s.w0),
    params: f32ToBase64(s.params),
    adam: { m: f64ToBase64(s.adam.m), v: f64ToBase64(s.adam.v), t: s.adam.t },
    pairs: s.pairs.map((p) => ({ handle: { ...p.handle }, target: { ...p.target } })),
    tracked: s.tracked.map((p) => ({ ...p })),
    steps: s.steps,
    ...(s.anchor
      ? { anchor: { latent: f32ToBase64(s.anchor.latent), handles: s.anchor.handles.map((p) => ({ ...p })) } }
      : {}),
    ...(s.fixed ? { fixed: u8ToBase64(s.fixed) } : {}),
  };
}

function decodePoint(v: unknown, field: string, m?: EditModel): Point {
  const o = readObject(v, field, ['x', 'y']);
  const x = readNumber(o.x, `${field}.x`, 0, MAX_DIM);
  const y = readNumber(o.y, `${field}.y`, 0, MAX_DIM);
  // a portrait image is width x resolution: x (the column) stops at its width, y at its height
  if (m) {
    const [axis, v, max]: [string, number, number] =
      x > m.width - 1 ? ['x', x, m.width - 1] : ['y', y, m.resolution - 1];
    if (v > max)
      throw new WireError(
        `${field}.${axis}`,
        `must be within 0..${max}, got ${v}: the model's image is ${m.width} x ${m.resolution} px (x is the column, y the row)`,
      );
  }
  return { x, y };
}

/** `count` points (any number up to the points limit when undefined), each inside the image when the model is known. */
export function decodePoints(v: unknown, field: string, count: number | undefined, m?: EditModel): Point[] {
  const a = readArray(v, field, count ?? 0, count ?? MAX_POINTS);
  return a.map((p, i) => decodePoint(p, `${field}[${i}]`, m));
}

/**
 * A EditState from untrusted JSON: every field present with the right type, every array of the right length,
 * every float finite, every point inside the image (when the model is known).
 */
export function decodeDragState(v: unknown, field: string, m?: EditModel): EditState {
  const o = readObject(v, field, ['hp', 'w0', 'params', 'adam', 'pairs', 'tracked', 'steps', 'anchor', 'fixed']);
  const hp = decodeSettings(o.hp, `${field}.hp`, m);
  const w0 = decodeTensor(o.w0, `${field}.w0`, m && [1, m.numWs, m.wDim]);
  if (w0.shape.length !== 3 || w0.shape[0] !== 1)
    throw new WireError(`${field}.w0.shape`, 'must be [1, num_ws, w_dim]');
  const [, numWs, wDim] = w0.shape;
  if (hp.optimisedRows > numWs) throw new WireError(`${field}.hp.optimisedRows`, `must be at most num_ws = ${numWs}`);
  const nParams = (hp.mode === 'w' ? 1 : hp.optimisedRows) * wDim;
  const params = readF32(o.params, `${field}.params`, nParams);
  const ao = readObject(o.adam, `${field}.adam`, ['m', 'v', 't']);
  const adam = {
    m: readF64(ao.m, `${field}.adam.m`, nParams),
    v: readF64(ao.v, `${field}.adam.v`, nParams),
    t: readInt(ao.t, `${field}.adam.t`, 0, MAX_STEPS),
  };
  for (let i = 0; i < adam.v.length; i++)
    if (adam.v[i] < 0) throw new WireError(`${field}.adam.v`, `value ${i} is negative; Adam's second moment never is`);
  const pairList = readArray(o.pairs, `${field}.pairs`, 0, MAX_POINTS);
  const pairs: HandleTarget[] = pairList.map((p, i) => {
    const po = readObject(p, `${field}.pairs[${i}]`, ['handle', 'target']);
    return {
      handle: decodePoint(po.handle, `${field}.pairs[${i}].handle`, m),
      target: decodePoint(po.target, `${field}.pairs[${i}].target`, m),
    };
  });
  const tracked = decodePoints(o.tracked, `${field}.tracked`, pairs.length, m);
  const steps = readInt(o.steps, `${field}.steps`, 0, hp.maxSteps);
  const state: EditState = { hp, w0, params, adam, pairs, tracked, steps };
  if (o.anchor !== undefined) {
    const an = readObject(o.anchor, `${field}.anchor`, ['latent', 'handles']);
    state.anchor = {
      latent: readF32(an.latent, `${field}.anchor.latent`, numWs * wDim),
      handles: decodePoints(an.handles, `${field}.anchor.handles`, pairs.length, m),
    };
  }
  if (o.fixed !== undefined) {
    // without the model its size is checked where a session takes the state (checkEditState)
    const fixed = readBytes(o.fixed, `${field}.fixed`, m && m.width * m.resolution);
    for (let i = 0; i < fixed.length; i++)
      if (fixed[i] > 1)
        throw new WireError(`${field}.fixed`, `byte ${i} is ${fixed[i]}; only 0 (may change) and 1 (keep) are allowed`);
    state.fixed = fixed;
  }
  return state;
}
