import type { Image8 } from '../codecs/image8';
import type { Point } from '../core/types';
import { NoFaceError } from './noFaceError';
import { faceFrame, inFrame, midpoint, type FaceParts } from './faceParts';
import type { FaceFinder } from './faceFinder';
import { partsFromIbug68 } from './ibugParts';
import { partsFromNamed } from './namedParts';
import { SHIFT_TOLERANCE_PX, shiftDisagreement } from './shiftCheck';

/**
 * Finds the face in a model's image (the one the presets will edit), whichever detector suits the model: the
 * photo finder for models of photographed faces, or a detector that names its points (the bundled model's
 * procedural-face detector, plugin/eval/landmarkDetector.ts, fits `NamedLandmarkDetector` as it is).
 */
export interface FaceLocator {
  /** Which detector, for messages. */
  readonly label: string;
  locate(image: Image8): Promise<FaceParts>;
}

export interface NamedLandmarkDetector {
  readonly names: readonly string[];
  detect(image: Image8): Promise<Point[]>;
}

/** Smallest eye distance (px) a face is edited at: below it every preset moves its points by under a pixel. */
const MIN_INTER_OCULAR = 4;

/**
 * A regression detector always answers, face or not, so its answer is checked for a face's layout: eyes apart,
 * the mouth and nose below the eyes (down the face), on the picture. A real face of any roll passes; an answer on a
 * picture without a face usually does too (an average face), which the shift check (shiftCheck.ts) catches.
 */
export function checkFaceLayout(face: FaceParts, image: { width: number; height: number }, label: string): void {
  const fail = (why: string) =>
    new NoFaceError(
      `no face found in the model's image by the ${label} (${why}); place the points by hand instead, or start from an image that shows a face`,
    );
  let frame;
  try {
    frame = faceFrame(face);
  } catch {
    throw fail('both eyes at one place');
  }
  if (frame.interOcular < MIN_INTER_OCULAR) throw fail(`the eyes are ${frame.interOcular.toFixed(1)} px apart`);
  const eyes = midpoint(face.eyes.left.centre, face.eyes.right.centre);
  const mouth = inFrame(frame, face.mouth.centre, eyes);
  const nose = inFrame(frame, face.noseTip, eyes);
  // on a real face the mouth is about one eye distance below the eye line and the nose between the two
  if (!(mouth.dv > 0.5 && mouth.dv < 2.5 && Math.abs(mouth.du) < 1)) throw fail('no mouth below the eyes');
  if (!(nose.dv > 0.1 && nose.dv < mouth.dv)) throw fail('no nose between the eyes and the mouth');
  const inside = (p: Point) => p.x >= 0 && p.y >= 0 && p.x <= image.width - 1 && p.y <= image.height - 1;
  if (![face.eyes.left.centre, face.eyes.right.centre, face.mouth.centre].every(inside))
    throw fail('the eyes or the mouth are off the picture');
}

export function namedLocator(detector: NamedLandmarkDetector, label: string): FaceLocator {
  return {
    label,
    async locate(image) {
      const points = await detector.detect(image);
      const face = partsFromNamed(detector.names, points);
      checkFaceLayout(face, image, label);
      const off = await shiftDisagreement((img) => detector.detect(img), image, points);
      if (off > SHIFT_TOLERANCE_PX) {
        throw new NoFaceError(
          `no face found in the model's image by the ${label} (its points do not follow the picture when it is moved: ${off.toFixed(1)} px off); ` +
            'place the points by hand instead, or start from an image that shows a face',
        );
      }
      return face;
    },
  };
}

/** The photo finder's most confident face (a model's render shows one face; a group photo is aligned first). */
export function photoLocator(finder: FaceFinder, label = 'photo face finder'): FaceLocator {
  return {
    label,
    async locate(image) {
      const faces = await finder.find({ width: image.width, height: image.height, channels: 4, data: image.data });
      if (faces.length === 0) {
        throw new NoFaceError(
          `the ${label} found no face in the model's image; place the points by hand instead, or use a face model and an image that shows a face`,
        );
      }
      const face = partsFromIbug68(faces[0].landmarks);
      checkFaceLayout(face, image, label);
      return face;
    },
  };
}
