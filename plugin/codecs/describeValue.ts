/**
 * A value from an untrusted file, rendered for an error message: short JSON-like text, escaped for the terminal.
 * The walk is an explicit stack that stops once `max` characters are written and looks at no more items than it
 * can show, so a list nested a million deep cannot overflow the call stack and a memo-shared "billion laughs"
 * structure cannot build a gigabyte string (what String() and JSON.stringify do with both).
 */
import { printable } from './printable';

/** How to show a container: its brackets and its items (with `keys`, item i is shown as `keys[i]: items[i]`). */
export interface Container {
  open: string;
  close: string;
  items: readonly unknown[];
  keys?: readonly unknown[];
}

/** Says how an object is shown: a container, a fixed text (e.g. `bytes(12)`), or undefined for the default. */
export type ValueView = (o: object) => Container | string | undefined;

export const DESCRIBE_MAX = 60;

function defaultView(o: object): Container | string {
  if (Array.isArray(o)) return { open: '[', close: ']', items: o };
  if (ArrayBuffer.isView(o)) return `bytes(${o.byteLength})`;
  const keys: string[] = [];
  // for...in stops early; Object.keys would list a million keys to show three
  for (const k in o) {
    if (keys.length > DESCRIBE_MAX) break;
    if (Object.prototype.hasOwnProperty.call(o, k)) keys.push(k);
  }
  return { open: '{', close: '}', keys, items: keys.map((k) => (o as Record<string, unknown>)[k]) };
}

function scalar(v: unknown, max: number): string {
  if (typeof v === 'string') return JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v);
  if (typeof v === 'bigint') return `${v.toString().slice(0, max)}`;
  if (v === undefined) return 'nothing';
  return String(v as number | boolean | null);
}

export function describeValue(value: unknown, max = DESCRIBE_MAX, view?: ValueView): string {
  // work items: text to write as is, or a value to render
  const todo: ({ text: string } | { value: unknown })[] = [{ value }];
  let out = '';
  while (todo.length > 0 && out.length <= max) {
    const w = todo.pop() as { text: string } | { value: unknown };
    if ('text' in w) {
      out += w.text;
      continue;
    }
    const v = w.value;
    if (typeof v !== 'object' || v === null) {
      out += scalar(v, max);
      continue;
    }
    const shape = view?.(v) ?? defaultView(v);
    if (typeof shape === 'string') {
      out += shape;
      continue;
    }
    out += shape.open;
    // each item takes at least one character, so no more than `max` can be shown
    const shown = Math.min(shape.items.length, max);
    todo.push({ text: shown < shape.items.length ? `, …${shape.close}` : shape.close });
    for (let i = shown - 1; i >= 0; i--) {
      todo.push({ value: shape.items[i] });
      if (shape.keys) todo.push({ text: ': ' }, { value: shape.keys[i] });
      if (i > 0) todo.push({ text: ', ' });
    }
  }
  return printable(out.length > max || todo.length > 0 ? `${out.slice(0, max)}…` : out, max + 1);
}
