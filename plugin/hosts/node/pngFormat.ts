/** Constants shared by the PNG encoder and decoder. */

/** PNG colour type by channel count (8-bit: 0 grey, 4 grey + alpha, 2 RGB, 6 RGBA). */
export const COLOUR_TYPE_BY_CHANNELS = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

export type FilterType = 0 | 1 | 2 | 3 | 4;

/** The Paeth predictor of the PNG specification (filter type 4). */
export function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
