/** Plain-data view of pickled kwargs (dicts, lists, numbers, strings), for reading init_kwargs. */
import { PyValue, isDict, seqItems } from './values';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values with no JSON meaning (tensors, bytes, ...) become undefined and are dropped from objects. */
export function toJson(v: PyValue): Json | undefined {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isDict(v)) {
    const o: { [k: string]: Json } = {};
    v.keys.forEach((k, i) => {
      const j = toJson(v.values[i]);
      if (typeof k === 'string' && j !== undefined) o[k] = j;
    });
    return o;
  }
  const items = seqItems(v);
  if (items) return items.map((x) => toJson(x) ?? null);
  return undefined;
}
