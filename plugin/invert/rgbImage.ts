import { InvertInputError } from '../core/errors';

/**
 * An 8-bit image as hosts hand it over: RGB or RGBA, interleaved row by row (the layout of PNG rows, of
 * Photoshop's imaging API and of canvas ImageData). `channels` is what the host read; anything but 3 or 4 is refused.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: ArrayLike<number>;
}

/** Checks an image before any work, so each kind of bad input gets its own sentence. */
export function checkRgbImage(img: RgbImage): void {
  const { width, height, channels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new InvertInputError(`the image size ${width}x${height} is not a valid size`);
  }
  if (width === 0 || height === 0) throw new InvertInputError(`the image is empty (${width}x${height} pixels)`);
  if (width < 2 || height < 2) {
    throw new InvertInputError(
      `the image is ${width}x${height} pixels; it needs at least 2x2 (a useful inversion wants far more, ideally the model's resolution)`,
    );
  }
  if (channels === 1 || channels === 2) {
    throw new InvertInputError(
      'the image is greyscale; the model needs an RGB image (convert it to RGB and try again)',
    );
  }
  if (channels !== 3 && channels !== 4)
    throw new InvertInputError(`the image has ${channels} channels per pixel; only RGB (3) or RGBA (4) is supported`);
  const want = width * height * channels;
  if (img.data.length !== want) {
    throw new InvertInputError(
      `the image data has ${img.data.length} values but a ${width}x${height} image with ${channels} channels needs ${want}`,
    );
  }
}
