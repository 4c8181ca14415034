/** A picked or dropped image file -> RGBA, through the page's own decoder (a canvas). */
import type { Rgba } from '../../ui/rgba';

export async function decodeImage(blob: Blob): Promise<Rgba> {
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot decode images on a canvas');
  ctx.drawImage(bitmap, 0, 0);
  const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { width: d.width, height: d.height, data: d.data };
}
