/** A bound on a number a user can set, and how a message says it. */
export interface Limit {
  /** How the value is named in a message. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Whether the minimum itself is allowed. */
  readonly minIncluded: boolean;
  readonly integer: boolean;
  /** What to try, said after the range. */
  readonly hint?: string;
}

export const limit = (
  what: string,
  min: number,
  max: number,
  o: { integer?: boolean; minIncluded?: boolean; hint?: string } = {},
): Limit => ({
  what,
  min,
  max,
  minIncluded: o.minIncluded ?? true,
  integer: o.integer ?? false,
  hint: o.hint,
});

/** "a whole number from 0 to 10", as messages say it. */
export function rangeText(l: Limit): string {
  const kind = l.integer ? 'a whole number' : 'a number';
  return l.minIncluded ? `${kind} from ${l.min} to ${l.max}` : `${kind} above ${l.min} and at most ${l.max}`;
}

/** Whether a value is within its limit. */
export function withinLimit(l: Limit, value: number): boolean {
  return (
    Number.isFinite(value) &&
    (l.minIncluded ? value >= l.min : value > l.min) &&
    value <= l.max &&
    (!l.integer || Number.isInteger(value))
  );
}

/** The problem with a value, said as what to change; undefined when it is within its limit. */
export function outOfLimit(l: Limit, value: unknown): string | undefined {
  if (typeof value === 'number' && withinLimit(l, value)) return undefined;
  return `${l.what} must be ${rangeText(l)}, got ${String(value)}${l.hint ? ` (${l.hint})` : ''}`;
}
