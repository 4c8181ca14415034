import type { CropBox } from '../codecs/image8';
import type { HostTensor } from '../graph/tensor';
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
  return invertPrepared(gen, prepareImage(image, height, width), options);
}

/** The same for an image prepareImage has made into the model's target already (the server does it in a worker). */
export async function invertPrepared(
  gen: Generator,
  prepared: { target: HostTensor; crop: CropBox },
  options: InvertOptions = {},
): Promise<InvertResult> {
  const p = await projectTarget(gen, prepared.target, options);
  return { ...p, ...prepared };
}
