/**
 * Numbers from the panel's input fields. An empty or unreadable field is not a number (NaN, which the settings
 * check turns into "X must be ..."), never a silent 0 as Number('') would make it. The seed is the exception: an
 * empty seed field means "any seed", drawn here and then shown in the field, so the image can be made again.
 */

/** The largest seed: the official tools' seeds are uint32 (np.random.RandomState). */
export const MAX_SEED = 0xffffffff;

/** `text` is the field's value; `unreadable` its validity.badInput (a number field reports unparseable text as ''). */
export function fieldNumber(text: string, unreadable = false): number {
  return unreadable || text.trim() === '' ? NaN : Number(text);
}

export function seedFromField(text: string, unreadable = false, random: () => number = Math.random): number {
  if (!unreadable && text.trim() === '') return Math.min(MAX_SEED, Math.floor(random() * (MAX_SEED + 1)));
  return fieldNumber(text, unreadable);
}
