/** An 8-bit RGBA raster, row-major: the one image type the panel and every host exchange. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function blankRgba(width: number, height: number, fill = 0): Rgba {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(fill) };
}

/**
 * Bilinear resampling (pixel centres aligned), used both ways: a host's region down to the model's resolution and
 * the result back to the region's size. Canvas cannot do this in UXP (no drawImage), so it is done by hand.
 */
export function resampleRgba(src: Rgba, width: number, height: number): Rgba {
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
export function flattenOnWhite(src: Rgba): Rgba {
  const out = new Uint8ClampedArray(src.data.length);
  for (let i = 0; i < src.data.length; i += 4) {
    const a = src.data[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = src.data[i + c] * a + 255 * (1 - a);
    out[i + 3] = 255;
  }
  return { width: src.width, height: src.height, data: out };
}

/** [1, 3, H, W] in [-1, 1], the generator's image layout, from RGBA (the inverse of toRgba8). */
export function rgbaToPlanar(src: Rgba): Float32Array {
  const plane = src.width * src.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = (src.data[i * 4 + c] - 127.5) / 127.5;
  return out;
}
