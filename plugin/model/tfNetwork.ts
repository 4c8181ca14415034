/**
 * A TensorFlow-era StyleGAN2 pickle (NVlabs/stylegan2: `pickle.dump((G, D, Gs))` of dnnlib.tflib.network.Network
 * objects) read as data: each Network's __getstate__ dict {version, name, static_kwargs, components,
 * build_module_src, build_func_name, variables}. build_module_src is Python source that TensorFlow would exec; it is
 * never read here. The generator's variables are collected under the names legacy.py's _collect_tf_params gives them:
 * a component's variables prefixed with its key in `components` and a slash.
 */
import { printable } from '../codecs/printable';
import { CheckpointError } from '../core/errors';
import { overLimit } from './pickle/errors';
import { type Json, toJson } from './pickle/toJson';
import { PyDict, PyNdarray, PyObject, PyValue, describe, dictGet, isDict, isKind, seqItems } from './pickle/values';
import { TF_NETWORK } from './pickle/whitelist';

/** A variable's value: a numpy array, or a number where TensorFlow returned a numpy scalar (0-d variables). */
export type TfValue = PyNdarray | number;

export interface TfNetwork {
  version: number;
  staticKwargs: { [k: string]: Json };
  /** Every variable of the network and its components, by legacy.py's prefixed name. */
  variables: Map<string, TfValue>;
}

/** Official generators have two components one level down and a few hundred variables. */
const MAX_DEPTH = 8;
const MAX_VARIABLES = 100_000;

function tfError(detail: string): CheckpointError {
  return new CheckpointError('tensorflow', `TensorFlow-era StyleGAN2 pickle: ${detail}`);
}

function isTfNetwork(v: PyValue | undefined): v is PyObject {
  return isKind(v, 'object') && v.className === TF_NETWORK;
}

/** Whether the pickle's top level is TensorFlow-era: a Network, or a tuple holding one. */
export function isTfPickle(root: PyValue): boolean {
  return isTfNetwork(root) || (seqItems(root)?.some(isTfNetwork) ?? false);
}

function networkState(net: PyObject, where: string): PyDict {
  if (!isDict(net.state)) throw tfError(`${where} has no state (found ${describe(net.state)}); the file is damaged`);
  return net.state;
}

function collect(net: PyObject, prefix: string, depth: number, seen: Set<PyObject>, out: Map<string, TfValue>): void {
  const where = prefix === '' ? 'Gs' : `component ${printable(prefix.slice(0, -1))}`;
  if (depth > MAX_DEPTH) throw tfError('components are nested implausibly deep');
  if (seen.has(net)) throw tfError(`${where} appears twice among the components`);
  seen.add(net);
  const state = networkState(net, where);
  const vars = seqItems(dictGet(state, 'variables'));
  if (!vars) throw tfError(`${where} has no variables list (found ${describe(dictGet(state, 'variables'))})`);
  for (const item of vars) {
    const pair = seqItems(item);
    const [name, value] = pair ?? [];
    if (!pair || pair.length !== 2 || typeof name !== 'string')
      throw tfError(`a variable of ${where} is not a (name, value) pair`);
    if (typeof value !== 'number' && !isKind(value, 'ndarray'))
      throw tfError(`variable ${printable(prefix + name)} is ${describe(value)}, not a numpy array`);
    out.set(prefix + name, value);
    if (out.size > MAX_VARIABLES) throw overLimit(`more than ${MAX_VARIABLES} TensorFlow variables`);
  }
  const components = dictGet(state, 'components') ?? null;
  if (components === null) return;
  if (!isDict(components)) throw tfError(`${where}'s components are ${describe(components)}, not a dict`);
  components.keys.forEach((key, i) => {
    const comp = components.values[i];
    if (typeof key !== 'string' || !isTfNetwork(comp))
      throw tfError(`component ${printable(String(key))} of ${where} is ${describe(comp)}, not a Network`);
    collect(comp, `${prefix}${key}/`, depth + 1, seen, out);
  });
}

/** The (G, D, Gs) snapshot's Gs, the averaged generator legacy.py converts into G_ema. */
export function tfGenerator(root: PyValue): TfNetwork {
  const items = seqItems(root);
  if (!items || items.length !== 3 || !items.every(isTfNetwork)) {
    throw tfError(
      `the file holds ${items ? `${items.length} items` : describe(root)}, not the (G, D, Gs) tuple of Networks NVIDIA's TensorFlow StyleGAN2 saves`,
    );
  }
  const gs = items[2] as PyObject;
  const state = networkState(gs, 'Gs');
  const version = dictGet(state, 'version');
  // legacy.py: "TensorFlow pickle version too low" below 4
  if (typeof version !== 'number' || version < 4) {
    throw tfError(
      `Gs has format version ${printable(String(version))}; the official converter reads version 4 and later (StyleGAN2), so this is an older StyleGAN network`,
    );
  }
  const kwargs = toJson(dictGet(state, 'static_kwargs') ?? null);
  if (kwargs === null || typeof kwargs !== 'object' || Array.isArray(kwargs))
    throw tfError('Gs has no static_kwargs dict');
  const variables = new Map<string, TfValue>();
  collect(gs, '', 0, new Set(), variables);
  return { version, staticKwargs: kwargs, variables };
}
