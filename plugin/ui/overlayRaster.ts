/**
 * The points as pixels (handles red, targets blue, white arrows), for a host that writes them as a layer. Shapes
 * are drawn by hand: UXP's canvas cannot give pixels back.
 */
import { blankImage8, type Image8 } from '../codecs/image8';
import type { HandleTarget, Point } from '../core/types';

function disc(img: Image8, c: Point, r: number, rgb: readonly number[]): void {
  for (let y = Math.max(0, Math.floor(c.y - r)); y <= Math.min(img.height - 1, Math.ceil(c.y + r)); y++) {
    for (let x = Math.max(0, Math.floor(c.x - r)); x <= Math.min(img.width - 1, Math.ceil(c.x + r)); x++) {
      if ((x - c.x) ** 2 + (y - c.y) ** 2 <= r * r)
        img.data.set([rgb[0], rgb[1], rgb[2], 255], (y * img.width + x) * 4);
    }
  }
}

function segment(img: Image8, a: Point, b: Point, width: number): void {
  const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
  for (let i = 0; i <= n; i++)
    disc(img, { x: a.x + ((b.x - a.x) * i) / n, y: a.y + ((b.y - a.y) * i) / n }, width / 2, [255, 255, 255]);
}

/** Pairs in the raster's own pixels; `radius` is the marker radius in those pixels. */
export function rasterizePoints(width: number, height: number, pairs: readonly HandleTarget[], radius: number): Image8 {
  const img = blankImage8(width, height);
  for (const { handle: h, target: t } of pairs) {
    const len = Math.hypot(t.x - h.x, t.y - h.y);
    if (len > radius) {
      const ux = (t.x - h.x) / len;
      const uy = (t.y - h.y) / len;
      const tip = { x: t.x - ux * radius, y: t.y - uy * radius };
      segment(img, h, tip, Math.max(1, radius * 0.4));
      const head = radius * 1.6;
      for (const s of [1, -1])
        segment(
          img,
          tip,
          { x: tip.x - ux * head - s * uy * head * 0.6, y: tip.y - uy * head + s * ux * head * 0.6 },
          Math.max(1, radius * 0.4),
        );
    }
    disc(img, h, radius, [255, 43, 43]);
    disc(img, t, radius, [43, 107, 255]);
  }
  return img;
}
