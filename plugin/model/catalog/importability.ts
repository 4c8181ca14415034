/**
 * Whether this project's importer (plugin/model/importCheckpoint.ts) can read a catalog entry today, and if not,
 * why and what the user can do instead. Decided from the entry's facts by the same rules the importer and
 * validateConfig.ts apply, so `draggan models` can say it before anyone downloads hundreds of megabytes.
 */
import type { CatalogEntry } from './catalogTypes';

export type Importability =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly instead: string };

/** validateConfig.ts: img_resolution is a power of two from 64 to 1024. */
const MIN_RES = 64;
const MAX_RES = 1024;

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

export function importability(e: CatalogEntry): Importability {
  const no = (reason: string, instead: string): Importability => ({ ok: false, reason, instead });
  switch (e.format) {
    case 'stylegan1-tf':
      return no(
        'it is a TensorFlow StyleGAN (version 1) pickle, not a StyleGAN2 generator',
        'use a StyleGAN2 model of the same domain',
      );
    case 'unknown':
      return no(
        'its format is not stated by its source',
        'download it and try draggan import: the importer says what it finds',
      );
    case 'stylegan2-pytorch':
    case 'stylegan3-pytorch': // configs T and R (plugin/stylegan2/stylegan3)
    case 'stylegan2-tf': // converted by legacy.py's rules (convertTfGenerator.ts)
      break;
  }
  // StyleGAN-Human's StyleGAN2 layout (square = false): half as wide as tall, which synthesis.ts builds; StyleGAN3 has none
  const portrait =
    e.width !== null && e.height !== null && e.width * 2 === e.height && e.format !== 'stylegan3-pytorch';
  if (e.width !== e.height && !portrait) {
    return no(
      `it is a ${e.width} x ${e.height} generator: of non-square ones only StyleGAN2 models half as wide as tall (StyleGAN-Human's layout) run here`,
      'use a square or a StyleGAN-Human StyleGAN2 model',
    );
  }
  const res = e.height;
  if (res === null || !isPowerOfTwo(res) || res < MIN_RES || res > MAX_RES) {
    return no(
      `it is ${res === null ? 'of unknown size' : `${res} px`}: DragGAN needs a generator from ${MIN_RES} to ${MAX_RES} px`,
      'use a larger model',
    );
  }
  if (e.conditional === true)
    return no(
      'it is a class-conditional generator (c_dim > 0), which the importer refuses',
      'use an unconditional model',
    );
  return { ok: true };
}
