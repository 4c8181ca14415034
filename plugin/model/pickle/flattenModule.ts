/** A persistent torch module's parameters and buffers under the official state_dict names. */
import { printable } from '../../codecs/printable';
import { overLimit, truncated } from './errors';
import {
  PersistentObject,
  PyDict,
  PyValue,
  TorchTensor,
  describe,
  describeValue,
  dictGet,
  isDict,
  isKind,
} from './values';

/** The official generator is 4 modules deep and has a few hundred modules; bounds for a crafted module graph. */
const MAX_DEPTH = 32;
const MAX_MODULES = 10_000;

function stateDict(obj: PersistentObject, key: string): PyDict {
  const d = dictGet(obj.state, key);
  if (!isDict(d)) throw truncated(`module ${printable(obj.className)} has no ${key} (found ${describe(d)})`);
  return d;
}

/** The names in the module's `_non_persistent_buffers_set` (not part of its state_dict). */
function nonPersistent(obj: PersistentObject): Set<string> {
  const s = dictGet(obj.state, '_non_persistent_buffers_set');
  const out = new Set<string>();
  if (isKind(s, 'set')) for (const v of s.items) if (typeof v === 'string') out.add(v);
  return out;
}

/** A parameter, buffer or submodule name: a string in every torch module (never String() of a crafted value). */
function nameOf(k: PyValue, prefix: string): string {
  if (typeof k !== 'string')
    throw truncated(
      `module ${printable(prefix.slice(0, -1)) || 'G_ema'} names a member ${describeValue(k)}, not a string`,
    );
  return k;
}

export function childModule(obj: PersistentObject, name: string): PersistentObject | undefined {
  const m = dictGet(stateDict(obj, '_modules'), name);
  return isKind(m, 'persistent') ? m : undefined;
}

/**
 * The tensors of `root` and its submodules, by state_dict name, not yet read out of their storages (their shapes
 * are checked first). Walked with an explicit stack, each module once: a module graph that reuses a submodule
 * (a tree never does) could otherwise name exponentially many tensors from a few kilobytes.
 */
export function moduleTensors(root: PersistentObject): Map<string, TorchTensor> {
  const out = new Map<string, TorchTensor>();
  const seen = new Set<PersistentObject>();
  const todo: { obj: PersistentObject; prefix: string; depth: number }[] = [{ obj: root, prefix: '', depth: 0 }];
  while (todo.length > 0) {
    const { obj, prefix, depth } = todo.pop() as (typeof todo)[number];
    if (depth > MAX_DEPTH) throw truncated('module tree is implausibly deep');
    if (seen.has(obj)) throw truncated(`module ${printable(prefix.slice(0, -1))} appears twice in the module tree`);
    seen.add(obj);
    if (seen.size > MAX_MODULES) throw overLimit(`more than ${MAX_MODULES} modules`);
    const skip = nonPersistent(obj);
    const member = (k: PyValue): string => nameOf(k, prefix);
    const add = (name: string, v: PyValue): void => {
      if (v === null) return;
      if (!isKind(v, 'tensor')) throw truncated(`${printable(prefix + name)} is ${describe(v)}, not a tensor`);
      out.set(prefix + name, v);
    };
    const params = stateDict(obj, '_parameters');
    params.keys.forEach((k, i) => add(member(k), params.values[i]));
    const buffers = stateDict(obj, '_buffers');
    buffers.keys.forEach((k, i) => {
      if (!skip.has(member(k))) add(member(k), buffers.values[i]);
    });
    const modules = stateDict(obj, '_modules');
    // reversed onto the stack, so modules are visited (and tensors listed) in their pickled order
    for (let i = modules.keys.length - 1; i >= 0; i--) {
      const m = modules.values[i];
      if (m === null) continue;
      const name = `${prefix}${nameOf(modules.keys[i], prefix)}`;
      if (!isKind(m, 'persistent'))
        throw truncated(`submodule ${printable(name)} is ${describe(m)}, not a persistent StyleGAN2 module`);
      todo.push({ obj: m, prefix: `${name}.`, depth: depth + 1 });
    }
  }
  return out;
}
