import type { PixelBox } from './centredBox';

/**
 * The one 8-bit image of the project and what is done to it: 8-bit RGBA, row-major (the official uint8
 * conversion of the generator's output, canvas ImageData's layout, and what every host exchanges with the panel).
 */
export interface Image8 {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Where a model's input was cut from an image, in its pixels (to put a result back where it came from). */
export interface CropBox {
  x: number;
  y: number;
  /** The box's height, and its width where `width` is absent (a square). */
  size: number;
  /** The width of a box that is not square (a portrait model's 1:2 crop). */
  width?: number;
}

export function blankImage8(width: number, height: number, fill = 0): Image8 {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(fill) };
}

/**
 * The centred square a model can see: the generators are square, and cropping keeps proportions where squashing
 * would distort faces.
 */
export function centredSquare(width: number, height: number): CropBox {
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}

/** The pixels of `box` (inside the image): a portrait model's centred box of a square the host read. */
export function cropImage8(img: Image8, box: PixelBox): Image8 {
  return { width: box.width, height: box.height, data: cropPixels(img.data, img.width, 4, box) };
}

/** `src` written over `dst` with its top-left corner at (left, top) of `dst`, clipped to `dst` (opaque paste). */
export function pasteImage8(dst: Image8, src: Image8, left: number, top: number): void {
  const x0 = Math.max(0, left);
  const x1 = Math.min(dst.width, left + src.width);
  if (x1 <= x0) return;
  for (let y = Math.max(0, top); y < Math.min(dst.height, top + src.height); y++) {
    const from = ((y - top) * src.width + (x0 - left)) * 4;
    dst.data.set(src.data.subarray(from, from + (x1 - x0) * 4), (y * dst.width + x0) * 4);
  }
}

/** `box` of a row-major image of `channels` bytes a pixel (an RGBA image, a one-byte mask). */
export function cropPixels<T extends Uint8Array | Uint8ClampedArray>(
  data: T,
  width: number,
  channels: number,
  box: PixelBox,
): T {
  const out = new (data.constructor as new (n: number) => T)(box.width * box.height * channels);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * width + box.x) * channels;
    out.set(data.subarray(from, from + box.width * channels), y * box.width * channels);
  }
  return out;
}

/**
 * Bilinear resampling (pixel centres aligned), used both ways: a host's region down to the model's resolution and
 * the result back to the region's size. Canvas cannot do this in UXP (no drawImage), so it is done by hand.
 */
export function resampleImage8(src: Image8, width: number, height: number): Image8 {
  if (src.width === width && src.height === height) return { width, height, data: src.data.slice() };
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 4; c++) {
        const a = src.data[(y0 * src.width + x0) * 4 + c];
        const b = src.data[(y0 * src.width + x1) * 4 + c];
        const d = src.data[(y1 * src.width + x0) * 4 + c];
        const e = src.data[(y1 * src.width + x1) * 4 + c];
        out[(y * width + x) * 4 + c] = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
      }
    }
  }
  return { width, height, data: out };
}

/** Composites onto white: a transparent layer area reads as background to the generator, not as black. */
export function flattenOnWhite(src: Image8): Image8 {
  const out = new Uint8ClampedArray(src.data.length);
  for (let i = 0; i < src.data.length; i += 4) {
    const a = src.data[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = src.data[i + c] * a + 255 * (1 - a);
    out[i + 3] = 255;
  }
  return { width: src.width, height: src.height, data: out };
}
