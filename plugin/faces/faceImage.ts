import { FaceInputError } from '../core/errors';

/**
 * An 8-bit picture as hosts hand it over: interleaved rows, RGBA by default (canvas ImageData, Photoshop's imaging
 * API) or RGB (`channels: 3`, the CLI's decoded files).
 */
export interface FaceImage {
  readonly width: number;
  readonly height: number;
  readonly channels?: 3 | 4;
  readonly data: ArrayLike<number>;
}

/** Largest picture searched, as the CLI's image reader allows (50 megapixels). */
const MAX_PIXELS = 50e6;

export function checkFaceImage(img: FaceImage): void {
  const { width, height } = img;
  const channels = img.channels ?? 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FaceInputError(`the image size ${width}x${height} is not a picture to search for faces`);
  }
  if (width * height > MAX_PIXELS)
    throw new FaceInputError(`the image is ${width}x${height}, more than ${MAX_PIXELS / 1e6} megapixels`);
  if (channels !== 3 && channels !== 4)
    throw new FaceInputError(`the image has ${String(channels)} channels per pixel; RGB (3) or RGBA (4) is needed`);
  const want = width * height * channels;
  if (img.data.length !== want) {
    throw new FaceInputError(
      `the image data has ${img.data.length} values but a ${width}x${height} image with ${channels} channels needs ${want}`,
    );
  }
}
