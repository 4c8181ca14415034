import type { Affine } from './affine';

/**
 * A square of photo pixels (the centred crop or the selection's square) that was resized to the model's side; for a
 * portrait model, the corner and height of its box (resized by the same factor across, so only those matter).
 */
export interface SquareCrop {
  x: number;
  y: number;
  size: number;
}

/**
 * Model pixel -> photo pixel for a model whose alignment is 'none': the square was box-resized to the model's side,
 * so model pixel u covers photo pixels [x + u * k, x + (u + 1) * k) with k = size / resolution, and its centre is
 * x + (u + 0.5) * k - 0.5 (pixel centres at integers). compositeEdit takes it as it takes an FFHQ alignment.
 */
export function squareCropToPhoto(crop: SquareCrop, resolution: number): Affine {
  const k = crop.size / resolution;
  return { a: k, b: 0, c: crop.x + 0.5 * k - 0.5, d: 0, e: k, f: crop.y + 0.5 * k - 0.5 };
}
