/** A picked, dropped or exported image file -> the model's input, decoded and resized by the browser itself. */
import { UserFixableError } from '../../engine/core/errors';
import { checkImageSize, readImageHeader } from '../../codecs/imageHeader';
import type { Rgba } from '../../ui/rgba';

/**
 * The largest centred square of the image at `resolution` px, transparent pixels flattened on white (as an export
 * would show them). createImageBitmap decodes and resizes off the main thread, so a 24-megapixel photo costs the
 * page a small canvas read, not a loop over every pixel. PNG and JPEG sizes are checked from the header first,
 * before the browser decodes (and allocates for) the pixels.
 */
export async function decodeSquare(blob: Blob, resolution: number): Promise<{ image: Rgba; width: number; height: number }> {
  const header = readImageHeader(new Uint8Array(await blob.slice(0, 1 << 16).arrayBuffer()));
  if (header) checkImageSize(header);
  const full = await createImageBitmap(blob);
  const { width, height } = full;
  let square: ImageBitmap;
  try {
    // other formats (WebP, GIF, ...): at least no canvas and no pixel copy for an oversized one
    checkImageSize({ width, height, decodedBytes: 0 });
    const side = Math.min(width, height);
    square = await createImageBitmap(full, Math.floor((width - side) / 2), Math.floor((height - side) / 2), side, side, {
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
