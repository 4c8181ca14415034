/**
 * A made-up face photo for the face tests: a textured background with dark eye discs and a mouth bar, drawn in a
 * canonical frame (eyes at (+-EYE, 0), mouth corners at (+-MOUTH_HALF, MOUTH)) and placed in the photo by a
 * rotation, scale and offset; with its 68 landmarks in the iBUG order, mapped the same way.
 */
import type { Image8 } from '../../plugin/codecs/image8';
import type { Point } from '../../plugin/core/types';

export const EYE = 30;
export const MOUTH = 70;
export const MOUTH_HALF = 25;
const EYE_RADIUS = 7;

export interface Placement {
  angle: number;
  scale: number;
  x: number;
  y: number;
}

export function place(p: Point, t: Placement): Point {
  const c = Math.cos(t.angle);
  const s = Math.sin(t.angle);
  return { x: t.x + t.scale * (c * p.x - s * p.y), y: t.y + t.scale * (s * p.x + c * p.y) };
}

/** 68 canonical landmarks: the eyes as hexagons round their centres (the mean is the centre), the rest plausible. */
export function canonicalLandmarks(): Point[] {
  const lm: Point[] = [];
  for (let i = 0; i < 17; i++) lm.push({ x: -60 + (120 * i) / 16, y: -10 + 80 * Math.sin((Math.PI * i) / 16) });
  for (let i = 0; i < 10; i++) lm.push({ x: -45 + 10 * i, y: -20 });
  for (let i = 0; i < 9; i++) lm.push({ x: -8 + 2 * i, y: 10 + 3 * i });
  for (const cx of [-EYE, EYE])
    for (let k = 0; k < 6; k++)
      lm.push({ x: cx + 8 * Math.cos((Math.PI * k) / 3), y: 4 * Math.sin((Math.PI * k) / 3) });
  for (let i = 0; i < 20; i++) {
    const a = (2 * Math.PI * i) / 12;
    lm.push(
      i < 12
        ? { x: -MOUTH_HALF * Math.cos(a), y: MOUTH + 6 * Math.sin(a) }
        : { x: -15 + (30 * (i - 12)) / 7, y: MOUTH },
    );
  }
  return lm;
}

export function placedLandmarks(t: Placement): Point[] {
  return canonicalLandmarks().map((p) => place(p, t));
}

/** Integer hash noise in [0, 1): bit operations only (Math calls are slow in Jest's realm, see plugin/faces/scalar.ts). */
function noise(x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263) | 0;
  h = ((h ^ (h >>> 13)) * 1274126177) | 0;
  h ^= h >>> 16;
  return (h & 0xffff) / 65536;
}

/** A deterministic texture with detail at every scale, so resampling losses show; slow waves from per-axis tables. */
function textureRows(width: number, height: number): (x: number, y: number) => number {
  const sx = Float64Array.from({ length: width }, (_, x) => Math.sin(x * 0.05));
  const cy = Float64Array.from({ length: height }, (_, y) => Math.cos(y * 0.07));
  return (x, y) => 150 + 30 * sx[x] * cy[y] + 40 * (noise(x, y) - 0.5);
}

/** The photo: texture everywhere, a flat skin-grey face disc, dark eyes and mouth (in canonical units). */
export function drawFacePhoto(width: number, height: number, t: Placement): Image8 {
  const data = new Uint8ClampedArray(width * height * 4);
  const texture = textureRows(width, height);
  const c = Math.cos(t.angle) / t.scale;
  const s = Math.sin(t.angle) / t.scale;
  const r2 = EYE_RADIUS * EYE_RADIUS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // canonical coordinates of this pixel (the inverse of place)
      const qx = c * (x - t.x) + s * (y - t.y);
      const qy = -s * (x - t.x) + c * (y - t.y);
      let v = texture(x, y);
      if (qx * qx + (qy - 30) * (qy - 30) < 90 * 90) v = 0.5 * v + 100;
      if ((qx + EYE) * (qx + EYE) + qy * qy < r2 || (qx - EYE) * (qx - EYE) + qy * qy < r2) v = 10;
      if (qx > -MOUTH_HALF && qx < MOUTH_HALF && qy > MOUTH - 3 && qy < MOUTH + 3) v = 20;
      const o = 4 * (y * width + x);
      data[o] = v;
      data[o + 1] = v * 0.9;
      data[o + 2] = v * 0.8;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

/** Darkness-weighted centroid of the pixels darker than `below` within `radius` of `near` (red channel). */
export function darkCentroid(img: Image8, near: Point, radius: number, below = 60): Point {
  let sx = 0;
  let sy = 0;
  let sw = 0;
  for (
    let y = Math.max(0, Math.floor(near.y - radius));
    y <= Math.min(img.height - 1, Math.ceil(near.y + radius));
    y++
  ) {
    for (
      let x = Math.max(0, Math.floor(near.x - radius));
      x <= Math.min(img.width - 1, Math.ceil(near.x + radius));
      x++
    ) {
      const v = img.data[4 * (y * img.width + x)];
      if (v >= below || (x - near.x) * (x - near.x) + (y - near.y) * (y - near.y) > radius * radius) continue;
      const w = below - v;
      sx += w * x;
      sy += w * y;
      sw += w;
    }
  }
  if (sw === 0) throw new Error(`nothing darker than ${below} near (${near.x}, ${near.y})`);
  return { x: sx / sw, y: sy / sw };
}
