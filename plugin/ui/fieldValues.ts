/**
 * Numbers from the panel's input fields. An empty or unreadable field is not a number (NaN, which the settings
 * check turns into "X must be ..."), never a silent 0 as Number('') would make it. The seed is the exception: an
 * empty seed field means "a new seed each time" (EditController.setSeed), each one shown in the status line so the
 * image can be made again.
 */

import { LIMITS } from '../core/limits';

/** The largest seed: the official tools' seeds are uint32 (np.random.RandomState). */
export const MAX_SEED = LIMITS.seed.max;

/**
 * An input element as far as it is read here. A number field reports text it cannot parse as value '' with
 * validity.badInput; validity is optional because a host's DOM may not have it.
 */
export interface NumberField {
  readonly value: string;
  readonly validity?: { readonly badInput: boolean };
}

export function fieldNumber(field: NumberField): number {
  return field.validity?.badInput || field.value.trim() === '' ? NaN : Number(field.value);
}

/** The seed typed in the field, or null for an empty field (a random seed at each Generate). */
export function seedFromField(field: NumberField): number | null {
  if (!field.validity?.badInput && field.value.trim() === '') return null;
  return fieldNumber(field);
}

/** A seed from the whole range the official tools take. */
export function drawSeed(random: () => number = Math.random): number {
  return Math.min(MAX_SEED, Math.floor(random() * (MAX_SEED + 1)));
}
