import type { Image8 } from '../../codecs/image8';
import type { GreyImage8 } from '../../faces/editMask';
import { join } from 'path';
import { decodeUtf8 } from '../../codecs/utf8';
import { UserFixableError } from '../../core/errors';
import { normalizeModelConfig } from '../../model/validateConfig';
import type { ModelConfig } from '../../stylegan2/config';
import { MODEL_JSON } from '../node/modelFiles';
import type { Raster8 } from '../node/raster';
import { JSON_FILE_LIMIT, readUserFile } from '../node/userFiles';
import { readImageFile } from './invertCommand';

/** The files `draggan align` and `draggan composite` read: photos as RGBA, JSON, a model's card without its weights. */

/** A PNG or JPEG as 8-bit RGBA (opaque when the file has no alpha), checked as `invert --image` checks it. */
export function readPhoto(path: string): { image: Image8; alpha: boolean } {
  const img = readImageFile(path);
  const n = img.width * img.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) data[4 * i + c] = img.data[img.channels * i + c];
    data[4 * i + 3] = img.channels === 4 ? img.data[4 * i + 3] : 255;
  }
  return { image: { width: img.width, height: img.height, data }, alpha: img.channels === 4 };
}

export function readJsonFile(path: string, what: string): unknown {
  const text = decodeUtf8(readUserFile(path, what, JSON_FILE_LIMIT));
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserFixableError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** model.json alone: the resolution and alignment a model wants, without loading its weights. */
export function readModelCard(dir: string): ModelConfig {
  const raw = readJsonFile(join(dir, MODEL_JSON), 'model config');
  try {
    return normalizeModelConfig(raw);
  } catch (e) {
    throw new UserFixableError(
      `model folder ${dir} is not a valid model package: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** RGBA as the raster the PNG encoder takes: RGB when the source had no alpha. */
export function rasterOf(img: Image8, alpha: boolean): Raster8 {
  if (alpha)
    return {
      width: img.width,
      height: img.height,
      channels: 4,
      data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength),
    };
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = img.data[4 * i + c];
  return { width: img.width, height: img.height, channels: 3, data: out };
}

/** A mask as the one-channel raster the PNG encoder takes. */
export function greyRasterOf(mask: GreyImage8): Raster8 {
  return {
    width: mask.width,
    height: mask.height,
    channels: 1,
    data: new Uint8Array(mask.data.buffer, mask.data.byteOffset, mask.data.byteLength),
  };
}
