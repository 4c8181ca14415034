/** A picked, dropped or exported image file -> the model's input, decoded and resized by the browser itself. */
import { centredSquare, type Image8 } from '../../codecs/image8';
import { UserFixableError } from '../../engine/core/errors';
import { checkImageSize, ImageHeaderError, readImageHeader } from '../../codecs/imageHeader';

/**
 * The largest centred square of the image at `resolution` px, transparent pixels flattened on white (as an export
 * would show them). createImageBitmap decodes and resizes off the main thread, so a 24-megapixel photo costs the
 * page a small canvas read, not a loop over every pixel. PNG and JPEG sizes are checked from the header first,
 * before the browser decodes (and allocates for) the pixels.
 */
export async function decodeSquare(blob: Blob, resolution: number, name = 'the image'): Promise<{ image: Image8; width: number; height: number }> {
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
    throw new UserFixableError(`cannot open ${name}: it is damaged, or not an image format this browser reads (PNG, JPEG, WebP, GIF)`);
  }
  const { width, height } = full;
  let square: ImageBitmap;
  try {
    // other formats (WebP, GIF, ...): at least no canvas and no pixel copy for an oversized one
    checkImageSize({ width, height, decodedBytes: 0 });
    const c = centredSquare(width, height);
    square = await createImageBitmap(full, c.x, c.y, c.size, c.size, {
      resizeWidth: resolution,
      resizeHeight: resolution,
      resizeQuality: 'high',
    });
  } finally {
    full.close();
  }
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = resolution;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new UserFixableError('this browser cannot decode images on a canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, resolution, resolution);
  ctx.drawImage(square, 0, 0);
  square.close();
  const d = ctx.getImageData(0, 0, resolution, resolution);
  return { image: { width: resolution, height: resolution, data: d.data }, width, height };
}
