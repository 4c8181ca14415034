import { readFileSync } from 'fs';
import { join } from 'path';
import type { Point } from '../../plugin/core/types';
import type { FaceImage } from '../../plugin/faces/faceImage';
import { decodeImage } from '../../plugin/hosts/node/imageDecode';

export const ASTRONAUT = join(__dirname, '..', 'fixtures', 'photos', 'astronaut.jpg');

/**
 * Hand-marked on test/fixtures/photos/astronaut.jpg (512 x 512), in pixel coordinates (pixel centres at integers,
 * x = column): read off 8x zoomed crops with a 10 px grid drawn in. Eye centres: the middle of the eye opening
 * between its two corners (what the mean of the six eye-contour landmarks gives); mouth corners: where the lips meet.
 * "left"/"right" are the picture's: the left eye is the subject's right eye (landmarks 36-41), the left mouth
 * corner landmark 48.
 */
export const MARKS: Readonly<Record<'leftEye' | 'rightEye' | 'mouthLeft' | 'mouthRight', Point>> = {
  leftEye: { x: 201.5, y: 100.5 },
  rightEye: { x: 247, y: 103 },
  mouthLeft: { x: 202.5, y: 139.5 },
  mouthRight: { x: 244.5, y: 140.5 },
};

export function loadAstronaut(): FaceImage & { channels: 3; data: Uint8Array } {
  const r = decodeImage(new Uint8Array(readFileSync(ASTRONAUT)));
  if (r.channels !== 3) throw new Error('the fixture is an RGB JPEG');
  return { width: r.width, height: r.height, channels: 3, data: r.data };
}

/**
 * The photo turned by `degrees` (clockwise on screen) and scaled by `scale` about its centre, placed at `at` in a
 * `width` x `height` canvas of flat grey; `map` takes a photo pixel to the canvas. Bilinear sampling written out
 * here, apart from the finder's own sampler, so a mistake in one is not copied into the other.
 */
export function transformPhoto(
  photo: FaceImage & { channels: 3 },
  degrees: number,
  scale: number,
  width: number,
  height: number,
  at: Point,
): { image: FaceImage; map(p: Point): Point } {
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  const cx = (photo.width - 1) / 2;
  const cy = (photo.height - 1) / 2;
  const map = (p: Point): Point => ({
    x: at.x + scale * (cos * (p.x - cx) - sin * (p.y - cy)),
    y: at.y + scale * (sin * (p.x - cx) + cos * (p.y - cy)),
  });
  const data = new Uint8Array(width * height * 3).fill(128);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // the inverse map: canvas pixel -> photo pixel
      const dx = (x - at.x) / scale;
      const dy = (y - at.y) / scale;
      const sx = cx + cos * dx + sin * dy;
      const sy = cy - sin * dx + cos * dy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= photo.width || y0 + 1 >= photo.height) continue;
      const [fx, fy] = [sx - x0, sy - y0];
      for (let c = 0; c < 3; c++) {
        const v = (xx: number, yy: number): number => photo.data[(yy * photo.width + xx) * 3 + c];
        const top = v(x0, y0) * (1 - fx) + v(x0 + 1, y0) * fx;
        const bottom = v(x0, y0 + 1) * (1 - fx) + v(x0 + 1, y0 + 1) * fx;
        data[(y * width + x) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { image: { width, height, channels: 3, data }, map };
}
