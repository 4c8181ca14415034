/** A persistent torch module's parameters and buffers under the official state_dict names. */
import { HostTensor, hostTensor } from '../../graph/tensor';
import { truncated } from './errors';
import { tensorValues } from './torchStorage';
import { PersistentObject, PyDict, PyValue, describe, dictGet, isDict, isKind } from './values';

const MAX_DEPTH = 32;

function stateDict(obj: PersistentObject, key: string): PyDict {
  const d = dictGet(obj.state, key);
  if (!isDict(d)) throw truncated(`module ${obj.className} has no ${key} (found ${describe(d)})`);
  return d;
}

/** The names in the module's `_non_persistent_buffers_set` (not part of its state_dict). */
function nonPersistent(obj: PersistentObject): Set<string> {
  const s = dictGet(obj.state, '_non_persistent_buffers_set');
  const out = new Set<string>();
  if (isKind(s, 'set')) for (const v of s.items) if (typeof v === 'string') out.add(v);
  return out;
}

export function childModule(obj: PersistentObject, name: string): PersistentObject | undefined {
  const m = dictGet(stateDict(obj, '_modules'), name);
  return isKind(m, 'persistent') ? m : undefined;
}

export function flattenModule(obj: PersistentObject, prefix = '', out = new Map<string, HostTensor>(), depth = 0): Map<string, HostTensor> {
  if (depth > MAX_DEPTH) throw truncated('module tree is implausibly deep');
  const skip = nonPersistent(obj);
  const add = (name: string, v: PyValue): void => {
    if (v === null) return;
    if (!isKind(v, 'tensor')) throw truncated(`${prefix}${name} is ${describe(v)}, not a tensor`);
    out.set(prefix + name, hostTensor(v.size, tensorValues(v)));
  };
  const params = stateDict(obj, '_parameters');
  params.keys.forEach((k, i) => add(String(k), params.values[i]));
  const buffers = stateDict(obj, '_buffers');
  buffers.keys.forEach((k, i) => {
    if (!skip.has(String(k))) add(String(k), buffers.values[i]);
  });
  const modules = stateDict(obj, '_modules');
  modules.keys.forEach((k, i) => {
    const m = modules.values[i];
    if (m === null) return;
    if (!isKind(m, 'persistent')) throw truncated(`submodule ${prefix}${String(k)} is ${describe(m)}, not a persistent StyleGAN2 module`);
    flattenModule(m, `${prefix}${String(k)}.`, out, depth + 1);
  });
  return out;
}
