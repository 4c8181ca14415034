/** Plain-data view of pickled kwargs (dicts, lists, numbers, strings), for reading init_kwargs. */
import { overLimit } from './errors';
import { PyValue, isDict, seqItems } from './values';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Official init kwargs are two levels deep and hold a few dozen values. A pickle can share one list under many
 * keys through its memo, so a naive copy of a few hundred bytes can expand exponentially ("billion laughs"):
 * the copy stops at these bounds instead.
 */
const MAX_DEPTH = 16;
const MAX_VALUES = 100_000;

/** Values with no JSON meaning (tensors, bytes, ...) become undefined and are dropped from objects. */
export function toJson(v: PyValue): Json | undefined {
  let left = MAX_VALUES;
  const walk = (x: PyValue, depth: number): Json | undefined => {
    if (--left < 0) throw overLimit(`the network's settings hold more than ${MAX_VALUES} values`);
    if (x === null || typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string') return x;
    if (typeof x === 'bigint') return Number(x);
    if (depth >= MAX_DEPTH) throw overLimit(`the network's settings are nested more than ${MAX_DEPTH} deep`);
    if (isDict(x)) {
      const o: { [k: string]: Json } = {};
      x.keys.forEach((k, i) => {
        const j = walk(x.values[i], depth + 1);
        if (typeof k === 'string' && j !== undefined) o[k] = j;
      });
      return o;
    }
    const items = seqItems(x);
    if (items) return items.map((y) => walk(y, depth + 1) ?? null);
    return undefined;
  };
  return walk(v, 0);
}
