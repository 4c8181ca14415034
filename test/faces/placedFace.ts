/**
 * A face the bundled model drew, turned, scaled and set into a larger picture over a busy background: what the
 * bundled model's face search must find (plugin/faces/landmarkFaceSearch.ts).
 */
import type { Image8 } from '../../plugin/codecs/image8';
import { applyAffine, invertAffine, type Affine } from '../../plugin/faces/affine';

export interface Placed {
  picture: Image8;
  /** Face pixel -> picture pixel (centres at integers). */
  toPicture: Affine;
}

/** `face` (square RGBA) drawn into a width x height picture turned by `angle` about its centre, scaled, centred at (cx, cy). */
export function placeFace(
  face: Image8,
  width: number,
  height: number,
  angle: number,
  scale: number,
  cx: number,
  cy: number,
): Placed {
  const h = (face.width - 1) / 2;
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  const toPicture: Affine = { a: cos, b: -sin, c: cx - cos * h + sin * h, d: sin, e: cos, f: cy - sin * h - cos * h };
  const toFace = invertAffine(toPicture);
  const data = new Uint8ClampedArray(width * height * 4);
  const n = face.width;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      // background: stripes and a gradient, nothing like a face
      data[o] = (x * 5 + y * 2) % 256;
      data[o + 1] = 60 + ((x >> 3) % 2) * 80 + (y % 50);
      data[o + 2] = 200 - (y % 97);
      data[o + 3] = 255;
      const p = applyAffine(toFace, { x, y });
      if (p.x < 0 || p.y < 0 || p.x > n - 1 || p.y > n - 1) continue;
      const x0 = Math.min(n - 2, Math.floor(p.x));
      const y0 = Math.min(n - 2, Math.floor(p.y));
      const tx = p.x - x0;
      const ty = p.y - y0;
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => face.data[(yy * n + xx) * 4 + c];
        data[o + c] = Math.round(
          (1 - ty) * ((1 - tx) * at(x0, y0) + tx * at(x0 + 1, y0)) +
            ty * ((1 - tx) * at(x0, y0 + 1) + tx * at(x0 + 1, y0 + 1)),
        );
      }
    }
  }
  return { picture: { width, height, data }, toPicture };
}
