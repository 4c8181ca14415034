import type { Image8 } from '../codecs/image8';
import type { Point } from '../core/types';
import { composeAffine, invertAffine, applyAffine, type Affine } from './affine';
import { FaceInputError } from '../core/errors';
import { ffhqPad, ffhqPadding } from './ffhqPad';
import { ffhqAlignedToPhoto, ffhqQuad, type FfhqQuad } from './ffhqQuad';
import { addBilinear, image8FromFloat, shrinkWindow } from './rgbFloat';

/** A face cut out as the model's training data was, and the exact way back to the photo. */
export interface AlignedFace {
  /** resolution x resolution, opaque RGBA. */
  image: Image8;
  resolution: number;
  /** Aligned-image pixel -> photo pixel (pixel centres at integers on both sides). */
  toPhoto: Affine;
  /** Photo pixel -> aligned-image pixel: the inverse of toPhoto. */
  toAligned: Affine;
  /** The square in the photo the crop shows. */
  quad: FfhqQuad;
}

/**
 * Bilinear samples per output pixel along each axis, averaged. The script transforms to 4096 px and then shrinks to
 * the 1024 px output (4x4 samples per pixel); after its shrink step the quad spans under 4 photo pixels per output
 * pixel, so 4x4 samples reach every one of them and nothing aliases.
 */
const SUPERSAMPLE = 4;

function checkPhoto(photo: Image8): void {
  const { width, height, data } = photo;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2)
    throw new FaceInputError(`the photo is ${width}x${height} pixels; a face needs a larger one`);
  if (data.length !== width * height * 4)
    throw new FaceInputError(
      `the photo's data has ${data.length} values; ${width}x${height} RGBA needs ${width * height * 4}`,
    );
}

/**
 * FFHQ alignment (NVlabs/ffhq-dataset download_ffhq.py, recreate_aligned_images, with rotation and padding) of one
 * face, from its 68 landmarks in the photo's pixels, at the model's resolution:
 * 1. the oriented square from the eyes and mouth (ffhqQuad);
 * 2. shrink: a face more than twice the output's size per side is first box-shrunk by the whole factor
 *    floor(size / resolution / 2), as the script's ANTIALIAS resize does, so the bilinear sampling never skips pixels;
 * 3. crop to the square's bounds plus a border of 10% of its size;
 * 4. pad where the square leaves the photo: mirrored, blurred and faded to the median colour (ffhqPad);
 * 5. sample the square into the output, bilinear at 4x4 points per pixel.
 * The shrink maps coordinates exactly (the script divides the quad by the factor and ignores PIL's rounded size
 * and half-pixel shift, under a pixel of the shrunk image); so toPhoto is exact for the image returned.
 */
export function ffhqAlign(photo: Image8, landmarks: readonly Point[], resolution: number): AlignedFace {
  checkPhoto(photo);
  if (!Number.isInteger(resolution) || resolution < 8)
    throw new FaceInputError(`cannot align a face to ${resolution} px`);
  const quad = ffhqQuad(landmarks, photo.width, photo.height);
  const toPhoto = ffhqAlignedToPhoto(quad, resolution);

  const factor = Math.max(1, Math.floor((quad.size / resolution) * 0.5));
  // photo pixel -> shrunk pixel: shrunk pixel i covers photo pixels [i * factor, (i + 1) * factor)
  const toShrunk: Affine = { a: 1 / factor, b: 0, c: 0.5 / factor - 0.5, d: 0, e: 1 / factor, f: 0.5 / factor - 0.5 };
  const shrunkW = factor > 1 ? Math.round(photo.width / factor) : photo.width;
  const shrunkH = factor > 1 ? Math.round(photo.height / factor) : photo.height;
  const size = quad.size / factor;
  const corners = quad.corners.map((p) => applyAffine(toShrunk, p));

  const border = Math.max(Math.round(size * 0.1), 3);
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x0 = Math.max(Math.floor(Math.min(...xs)) - border, 0);
  const y0 = Math.max(Math.floor(Math.min(...ys)) - border, 0);
  const x1 = Math.min(Math.ceil(Math.max(...xs)) + border, shrunkW);
  const y1 = Math.min(Math.ceil(Math.max(...ys)) + border, shrunkH);
  if (x1 - x0 < 2 || y1 - y0 < 2) throw new FaceInputError('the face lies (almost) entirely outside the photo');
  let work = shrinkWindow(photo, factor, x0, y0, x1 - x0, y1 - y0);

  const pad = ffhqPadding(
    corners.map((p) => ({ x: p.x - x0, y: p.y - y0 })),
    work.width,
    work.height,
    size,
    border,
  );
  if (pad.some((p) => p > 0)) work = ffhqPad(work, pad, size);
  const shift: Affine = { a: 1, b: 0, c: pad[0] - x0, d: 0, e: 1, f: pad[1] - y0 };
  const toWork = composeAffine(shift, composeAffine(toShrunk, toPhoto));

  const out = new Float32Array(resolution * resolution * 3);
  const k = SUPERSAMPLE;
  const wt = 1 / (k * k);
  for (let v = 0; v < resolution; v++) {
    for (let u = 0; u < resolution; u++) {
      const o = 3 * (v * resolution + u);
      for (let j = 0; j < k; j++) {
        const sv = v + (j + 0.5) / k - 0.5;
        for (let i = 0; i < k; i++) {
          const su = u + (i + 0.5) / k - 0.5;
          addBilinear(
            work,
            toWork.a * su + toWork.b * sv + toWork.c,
            toWork.d * su + toWork.e * sv + toWork.f,
            wt,
            out,
            o,
          );
        }
      }
    }
  }
  return {
    image: image8FromFloat({ width: resolution, height: resolution, data: out }),
    resolution,
    toPhoto,
    toAligned: invertAffine(toPhoto),
    quad,
  };
}
