/**
 * An <img> URL for an RGBA raster. Where the host's canvas can take pixels (browsers), the browser's own PNG
 * encoder does it in native code; UXP's canvas draws shapes only (no putImageData), so there the panel's own
 * encoder makes the data URL. Previews arrive every few steps, so this stays cheap on the page's main thread.
 */
import { pngDataUrl } from './pngDataUrl';
import type { Rgba } from './rgba';

interface PixelCanvas {
  width: number;
  height: number;
  toDataURL(type?: string): string;
  getContext(id: '2d'): { putImageData?(data: ImageData, x: number, y: number): void } | null;
}

let canvas: PixelCanvas | null | undefined;

function pixelCanvas(): PixelCanvas | null {
  if (canvas !== undefined) return canvas;
  canvas = null;
  try {
    const c = (globalThis as { document?: { createElement(tag: 'canvas'): PixelCanvas } }).document?.createElement('canvas');
    const ctx = c?.getContext('2d');
    if (c && typeof c.toDataURL === 'function' && typeof ctx?.putImageData === 'function' && typeof ImageData === 'function') canvas = c;
  } catch {
    // a host without a usable canvas: the encoder below does it
  }
  return canvas;
}

export function imageUrl(img: Rgba): string {
  const c = pixelCanvas();
  const ctx = c?.getContext('2d');
  if (!c || !ctx?.putImageData) return pngDataUrl(img);
  c.width = img.width;
  c.height = img.height;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  return c.toDataURL('image/png');
}
