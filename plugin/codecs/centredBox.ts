/** A box of pixels: its corner and size. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The largest box of aspect `aspectWidth : aspectHeight` centred in `width x height` (whole pixels): where a portrait
 * model's image goes in a square, and the crop of a photo that fits it without distortion.
 */
export function centredBox(width: number, height: number, aspectWidth: number, aspectHeight: number): PixelBox {
  const scale = Math.min(width / aspectWidth, height / aspectHeight);
  const w = Math.max(1, Math.min(width, Math.round(aspectWidth * scale)));
  const h = Math.max(1, Math.min(height, Math.round(aspectHeight * scale)));
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}
