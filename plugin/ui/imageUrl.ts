/**
 * An <img> URL for an RGBA raster. In Photoshop, UXP's ImageBlob takes the raw pixels (global-members/image-blob:
 * "image/uncompressed", UXP 7+, Photoshop) and an object URL shows them, with no encoding at all: Adobe's documented
 * way to show pixels in an <img>. Where the host's canvas can take pixels (browsers), the browser's own PNG encoder
 * does it in native code; elsewhere (UXP's canvas draws shapes only) the panel's own encoder makes a data URL.
 * Object URLs hold their pixels until revoked: releaseImageUrls(live) revokes every one no longer shown.
 */
import type { Image8 } from '../codecs/image8';
import { pngDataUrl } from './pngDataUrl';

interface PixelCanvas {
  width: number;
  height: number;
  toDataURL(type?: string): string;
  getContext(id: '2d'): { putImageData?(data: ImageData, x: number, y: number): void } | null;
}

interface ImageBlobOptions {
  type: 'image/uncompressed';
  width: number;
  height: number;
  colorSpace: 'RGB';
  hasAlpha: boolean;
  components: number;
  componentSize: number;
  pixelFormat: 'RGBA';
}

type ImageBlobConstructor = new (data: ArrayBuffer, options: ImageBlobOptions) => Blob;

let canvas: PixelCanvas | null | undefined;
const objectUrls = new Set<string>();

function pixelCanvas(): PixelCanvas | null {
  if (canvas !== undefined) return canvas;
  canvas = null;
  try {
    const c = (globalThis as { document?: { createElement(tag: 'canvas'): PixelCanvas } }).document?.createElement(
      'canvas',
    );
    const ctx = c?.getContext('2d');
    if (
      c &&
      typeof c.toDataURL === 'function' &&
      typeof ctx?.putImageData === 'function' &&
      typeof ImageData === 'function'
    )
      canvas = c;
  } catch {
    // a host without a usable canvas: the encoder below does it
  }
  return canvas;
}

function imageBlobUrl(img: Image8): string | null {
  const ImageBlob = (globalThis as { ImageBlob?: ImageBlobConstructor }).ImageBlob;
  if (typeof ImageBlob !== 'function' || typeof URL?.createObjectURL !== 'function') return null;
  const pixels = new Uint8Array(img.data).buffer;
  const blob = new ImageBlob(pixels, {
    type: 'image/uncompressed',
    width: img.width,
    height: img.height,
    colorSpace: 'RGB',
    hasAlpha: true,
    components: 4,
    componentSize: 8,
    pixelFormat: 'RGBA',
  });
  const url = URL.createObjectURL(blob);
  objectUrls.add(url);
  return url;
}

export function imageUrl(img: Image8): string {
  const blobUrl = imageBlobUrl(img);
  if (blobUrl) return blobUrl;
  const c = pixelCanvas();
  const ctx = c?.getContext('2d');
  if (!c || !ctx?.putImageData) return pngDataUrl(img);
  c.width = img.width;
  c.height = img.height;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  return c.toDataURL('image/png');
}

/** Revokes the object URLs this module made that are not in `live` (the ones still shown or kept for history). */
export function releaseImageUrls(live: Iterable<string | null | undefined>): void {
  if (objectUrls.size === 0) return;
  const keep = new Set(live);
  for (const url of objectUrls) {
    if (keep.has(url)) continue;
    URL.revokeObjectURL(url);
    objectUrls.delete(url);
  }
}
