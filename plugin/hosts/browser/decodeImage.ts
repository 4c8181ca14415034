/** A picked or dropped image file -> RGBA, through the page's own decoder (a canvas). */
import { checkImageSize, readImageHeader } from '../../codecs/imageHeader';
import type { Rgba } from '../../ui/rgba';

export async function decodeImage(blob: Blob): Promise<Rgba> {
  // PNG and JPEG sizes are checked from the header, before the browser decodes (and allocates for) the pixels
  const header = readImageHeader(new Uint8Array(await blob.arrayBuffer()));
  if (header) checkImageSize(header);
  const bitmap = await createImageBitmap(blob);
  try {
    // other formats (WebP, GIF, ...): at least no canvas and no pixel copy for an oversized one
    checkImageSize({ width: bitmap.width, height: bitmap.height, decodedBytes: 0 });
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot decode images on a canvas');
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: d.width, height: d.height, data: d.data };
  } finally {
    bitmap.close();
  }
}
