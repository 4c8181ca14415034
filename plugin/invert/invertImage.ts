import { imageSize } from '../stylegan2/config';
import type { Generator } from '../stylegan2/generator';
import { prepareImage } from './prepareImage';
import { projectTarget } from './project';
import type { RgbImage } from './rgbImage';
import type { InvertOptions, InvertResult } from './types';

/**
 * The single entry point hosts use: an RGB/RGBA image of any size -> the W+ latent that reproduces it best, its
 * image and PSNR. Bad input throws InvertInputError before any model work; cancelling returns the best so far.
 */
export async function invertImage(gen: Generator, image: RgbImage, options: InvertOptions = {}): Promise<InvertResult> {
  const { width, height } = imageSize(gen.config);
  const { target, crop } = prepareImage(image, height, width);
  const p = await projectTarget(gen, target, options);
  return { ...p, target, crop };
}
