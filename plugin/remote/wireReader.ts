import { base64ToF32, base64ToF64, base64ToU8 } from './wireArrays';
import { WireError } from './wireError';

/**
 * Strict readers for untrusted JSON: each checks one field's type and range and names the field when it fails.
 * Unknown keys are refused too, so a misspelt option is an error rather than silently ignored.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

/** `allowed` undefined accepts any keys: clients read replies leniently, so a newer server may add fields. */
export function readObject(v: unknown, field: string, allowed?: readonly string[]): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireError(field, 'must be an object');
  const o = v as JsonObject;
  if (allowed)
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) throw new WireError(field, `unknown field '${k}' (known: ${allowed.join(', ')})`);
  return o;
}

export function readNumber(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new WireError(field, `must be a finite number, got ${describe(v)}`);
  if (v < min || v > max) throw new WireError(field, `must be within ${min}..${max}, got ${v}`);
  return v;
}

export function readInt(v: unknown, field: string, min: number, max: number): number {
  const n = readNumber(v, field, min, max);
  if (!Number.isInteger(n)) throw new WireError(field, `must be a whole number, got ${n}`);
  return n;
}

export function readString(v: unknown, field: string, maxLength: number): string {
  if (typeof v !== 'string') throw new WireError(field, `must be a string, got ${describe(v)}`);
  if (v.length > maxLength) throw new WireError(field, `is longer than ${maxLength} characters`);
  return v;
}

export function readEnum<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  const known: readonly unknown[] = values;
  if (typeof v !== 'string' || !known.includes(v))
    throw new WireError(field, `must be one of ${values.map((x) => `'${x}'`).join(', ')}, got ${describe(v)}`);
  return v as T;
}

export function readBoolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new WireError(field, `must be true or false, got ${describe(v)}`);
  return v;
}

export function readArray(v: unknown, field: string, minLength: number, maxLength: number): readonly unknown[] {
  if (!Array.isArray(v)) throw new WireError(field, `must be an array, got ${describe(v)}`);
  if (v.length < minLength || v.length > maxLength)
    throw new WireError(field, `must have ${minLength}..${maxLength} entries, got ${v.length}`);
  return v;
}

function checkLength(n: number, field: string, length: number | undefined, unit: string): void {
  if (length !== undefined && n !== length) throw new WireError(field, `has ${n} ${unit}; expected ${length}`);
}

function checkFinite(a: Float32Array | Float64Array, field: string): void {
  for (let i = 0; i < a.length; i++)
    if (!Number.isFinite(a[i]))
      throw new WireError(field, `value ${i} is ${a[i]}; every value must be a finite number`);
}

/** Base64 float32 values, all finite, optionally of an exact count. */
export function readF32(v: unknown, field: string, length?: number, maxChars = 64 << 20): Float32Array {
  const a = base64ToF32(readString(v, field, maxChars));
  if (!a) throw new WireError(field, 'must be base64 of little-endian float32 values');
  checkLength(a.length, field, length, 'float32 values');
  checkFinite(a, field);
  return a;
}

export function readF64(v: unknown, field: string, length?: number, maxChars = 64 << 20): Float64Array {
  const a = base64ToF64(readString(v, field, maxChars));
  if (!a) throw new WireError(field, 'must be base64 of little-endian float64 values');
  checkLength(a.length, field, length, 'float64 values');
  checkFinite(a, field);
  return a;
}

export function readBytes(v: unknown, field: string, length?: number, maxChars = 64 << 20): Uint8Array {
  const a = base64ToU8(readString(v, field, maxChars));
  if (!a) throw new WireError(field, 'must be base64');
  checkLength(a.length, field, length, 'bytes');
  return a;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}
