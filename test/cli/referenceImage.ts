import { readFileSync } from 'fs';
import { join } from 'path';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { readSafetensors } from '../../plugin/model/safetensors';

/** helper-1's reference tensors for the tiny128 fixture, made with the official PyTorch code. */
export const ROOT = join(__dirname, '..', '..');
export const TINY128_PKL = join(ROOT, 'test/fixtures/checkpoints/tiny128.pkl');
export const reference = readSafetensors(
  new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/reference/tiny128.safetensors'))),
);

/** The largest difference, in 8-bit levels, between a PNG and the official seed-0 image (img_u8, HWC). */
export function maxLevelDiffToReference(pngPath: string): number {
  const ref = reference.get('img_u8')!;
  const img = decodePng(new Uint8Array(readFileSync(pngPath)));
  if (img.width !== 128 || img.height !== 128 || img.channels !== 3)
    throw new Error(`${pngPath} is ${img.width}x${img.height}x${img.channels}, expected 128x128x3`);
  let max = 0;
  for (let i = 0; i < img.data.length; i++) max = Math.max(max, Math.abs(img.data[i] - ref.data[i]));
  return max;
}
