import type { Image8 } from '../codecs/image8';
import { composeAffine, type Affine } from './affine';
import { FaceInputError } from '../core/errors';
import { continuousOf } from './similarityFit';
import { sampleCrop } from './sampleCrop';

/** A face cut out in a model's framing, and the exact way back to the photo. */
export interface FramedFace {
  /** resolution x resolution, opaque RGBA. */
  image: Image8;
  /** Model pixel -> photo pixel (pixel centres at integers on both sides). */
  toPhoto: Affine;
}

/**
 * The face a landmark search framed (landmarkFaceSearch.ts: the similarity that puts its landmarks where the mean
 * training face has them, in the detector's pixels) cut out at the model's resolution: turned upright, scaled and
 * centred as the model's training faces were drawn. Anti-aliased where the face is larger than the model's square;
 * beyond the photo's edge black.
 */
export function meanFaceAlign(
  photo: Image8,
  detectorToPhoto: Affine,
  detectorResolution: number,
  resolution: number,
): FramedFace {
  if (!Number.isInteger(resolution) || resolution < 8)
    throw new FaceInputError(`cannot align a face to ${resolution} px`);
  // model pixel -> detector pixel: the two squares frame the same face, pixel centres at integers
  const k = detectorResolution / resolution;
  const toDetector: Affine = { a: k, b: 0, c: (k - 1) / 2, d: 0, e: k, f: (k - 1) / 2 };
  const toPhoto = composeAffine(detectorToPhoto, toDetector);
  const planes = sampleCrop(
    { width: photo.width, height: photo.height, channels: 4, data: photo.data },
    continuousOf(toPhoto),
    resolution,
  );
  const n = resolution * resolution;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[4 * i] = planes[i];
    data[4 * i + 1] = planes[n + i];
    data[4 * i + 2] = planes[2 * n + i];
    data[4 * i + 3] = 255;
  }
  return { image: { width: resolution, height: resolution, data }, toPhoto };
}
