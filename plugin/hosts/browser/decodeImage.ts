/** A picked, dropped or exported image file -> the model's input, decoded and resized by the browser itself. */
import type { CropBox, Image8 } from '../../codecs/image8';
import { UserFixableError } from '../../core/errors';
import { checkImageSize, ImageHeaderError, readImageHeader } from '../../codecs/imageHeader';
import { modelCrop } from '../../invert/prepareImage';

/**
 * The longest side of the whole picture the page keeps for finding faces and compositing an edit back: a larger
 * one is shrunk to it (by the browser, off the main thread), so its pixels stay a few tens of megabytes.
 */
export const PHOTO_MAX_SIDE = 4096;

/** The bitmap's pixels at its own size, flattened on white. */
function pixelsOf(bitmap: ImageBitmap): Image8 {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new UserFixableError('this browser cannot decode images on a canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, bitmap.width, bitmap.height);
  ctx.drawImage(bitmap, 0, 0);
  return { width: bitmap.width, height: bitmap.height, data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data };
}

/**
 * The largest centred box of the model's aspect in the image (a square, or a portrait model's W:H) at the model's
 * `modelWidth` x `resolution` px, where it lies in the picture, and the whole picture (at most PHOTO_MAX_SIDE on its
 * longer side), transparent pixels flattened on white (as an export would show them). createImageBitmap decodes and
 * resizes off the main thread, so a 24-megapixel photo costs the page canvas reads, not a loop over every pixel. PNG
 * and JPEG sizes are checked from the header first, before the browser decodes (and allocates for) the pixels.
 */
export async function decodeForModel(
  blob: Blob,
  resolution: number,
  modelWidth = resolution,
  name = 'the image',
): Promise<{ image: Image8; photo: Image8; width: number; height: number; crop: CropBox }> {
  try {
    const header = readImageHeader(new Uint8Array(await blob.slice(0, 1 << 16).arrayBuffer()));
    if (header) checkImageSize(header);
  } catch (e) {
    // a damaged or oversized file is the user's to fix, with the header's own reason
    if (e instanceof ImageHeaderError) throw new UserFixableError(`cannot open ${name}: ${e.message}`);
    throw e;
  }
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(blob);
  } catch {
    // the browser's decoder refused it (a DOMException naming no cause): the file, not the page, is at fault
    throw new UserFixableError(
      `cannot open ${name}: it is damaged, or not an image format this browser reads (PNG, JPEG, WebP, GIF)`,
    );
  }
  return fitForModel(full, resolution, modelWidth);
}

/**
 * A decoded picture (an image file's, a video frame's) -> its centred box at the model's size and the whole picture
 * (see decodeForModel). Closes `full`.
 */
export async function fitForModel(
  full: ImageBitmap,
  resolution: number,
  modelWidth = resolution,
): Promise<{ image: Image8; photo: Image8; width: number; height: number; crop: CropBox }> {
  const { width, height } = full;
  let box: ImageBitmap;
  let whole: ImageBitmap;
  const crop = modelCrop(width, height, resolution, modelWidth);
  try {
    // other formats (WebP, GIF, ...): at least no canvas and no pixel copy for an oversized one
    checkImageSize({ width, height, decodedBytes: 0 });
    box = await createImageBitmap(full, crop.x, crop.y, crop.width ?? crop.size, crop.size, {
      resizeWidth: modelWidth,
      resizeHeight: resolution,
      resizeQuality: 'high',
    });
    const k = Math.min(1, PHOTO_MAX_SIDE / Math.max(width, height));
    whole =
      k < 1
        ? await createImageBitmap(full, {
            resizeWidth: Math.round(width * k),
            resizeHeight: Math.round(height * k),
            resizeQuality: 'high',
          })
        : full;
  } finally {
    if (whole! !== full) full.close();
  }
  try {
    return { image: pixelsOf(box), photo: pixelsOf(whole), width, height, crop };
  } finally {
    box.close();
    whole.close();
  }
}
