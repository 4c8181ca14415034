/**
 * The square of the document an edit works on, and the maps between its pixels and the model's. A square, so the
 * generator's square image goes back without distortion: a selection's or layer's bounding box is widened to a
 * square around its centre (kept inside the document where it fits).
 */
import { centredBox } from '../../codecs/centredBox';
import type { Point } from '../../core/types';

export interface Region {
  left: number;
  top: number;
  /** Width and height (a square). */
  side: number;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function squareAround(b: Box, docWidth: number, docHeight: number): Region {
  const w = Math.max(1, Math.round(b.right - b.left));
  const h = Math.max(1, Math.round(b.bottom - b.top));
  const side = Math.max(w, h);
  const clampStart = (start: number, extent: number) =>
    side <= extent ? Math.min(Math.max(0, start), extent - side) : Math.round((extent - side) / 2);
  return {
    left: clampStart(Math.round(b.left - (side - w) / 2), docWidth),
    top: clampStart(Math.round(b.top - (side - h) / 2), docHeight),
    side,
  };
}

export function regionBounds(r: Region): Box {
  return { left: r.left, top: r.top, right: r.left + r.side, bottom: r.top + r.side };
}

/**
 * Where a model's image of `width` x `height` goes back in the document: the centred box of its aspect in the
 * region (the whole square for a square model, a narrower box for a portrait one), in document pixels.
 */
export function modelBoxIn(
  region: Region,
  width: number,
  height: number,
): { left: number; top: number; width: number; height: number } {
  const box = centredBox(region.side, region.side, width, height);
  return { left: region.left + box.x, top: region.top + box.y, width: box.width, height: box.height };
}

export function docToModel(p: Point, r: Region, resolution: number): Point {
  return { x: ((p.x - r.left) / r.side) * resolution - 0.5, y: ((p.y - r.top) / r.side) * resolution - 0.5 };
}

export function inside(p: Point, resolution: number): boolean {
  return p.x >= 0 && p.y >= 0 && p.x <= resolution - 1 && p.y <= resolution - 1;
}
