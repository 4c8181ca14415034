/**
 * Photoshop's getPixels trims: it returns only the part of the requested bounds where the layer has pixels, and
 * says which part in `sourceBounds`. This puts such a returned patch back into the requested square, at the
 * requested size, transparent where nothing came back.
 */
import type { Image8 } from '../../codecs/image8';
import type { Box, Region } from './region';

export function placeReturned(
  patch: { width: number; height: number; components: number; data: ArrayLike<number> },
  returned: Box,
  requested: Region,
  size: number,
): Image8 {
  const out = new Uint8ClampedArray(size * size * 4);
  const rw = returned.right - returned.left;
  const rh = returned.bottom - returned.top;
  if (rw <= 0 || rh <= 0 || patch.width === 0 || patch.height === 0) return { width: size, height: size, data: out };
  const comps = patch.components;
  for (let y = 0; y < size; y++) {
    const docY = requested.top + ((y + 0.5) / size) * requested.side;
    const py = Math.floor(((docY - returned.top) / rh) * patch.height);
    if (py < 0 || py >= patch.height) continue;
    for (let x = 0; x < size; x++) {
      const docX = requested.left + ((x + 0.5) / size) * requested.side;
      const px = Math.floor(((docX - returned.left) / rw) * patch.width);
      if (px < 0 || px >= patch.width) continue;
      const i = (py * patch.width + px) * comps;
      const o = (y * size + x) * 4;
      if (comps >= 3) {
        out[o] = patch.data[i];
        out[o + 1] = patch.data[i + 1];
        out[o + 2] = patch.data[i + 2];
      } else out[o] = out[o + 1] = out[o + 2] = patch.data[i];
      out[o + 3] = comps === 4 || comps === 2 ? patch.data[i + comps - 1] : 255;
    }
  }
  return { width: size, height: size, data: out };
}
