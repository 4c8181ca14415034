import type { FaceAlignment, Point } from '../core/types';
import type { Image8 } from '../codecs/image8';
import { FaceInputError } from '../core/errors';
import { applyAffine, type Affine } from './affine';
import type { FaceParts } from './faceParts';
import type { FaceFinder } from './faceFinder';
import { ffhqAlign } from './ffhqAlign';
import { partsFromIbug68 } from './ibugParts';
import { searchFaces, type CropLandmarkDetector, type FaceSearchProgress } from './landmarkFaceSearch';
import { meanFaceAlign, type FramedFace } from './meanFaceAlign';
import { partsFromNamed } from './namedParts';

/** One face in a photo, whichever finder saw it: where, how sure, its parts, and its framing for a model. */
export interface FaceInPhoto {
  /** In the photo's pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** 0..1. */
  confidence: number;
  /** The face's parts with every point mapped by `t` (e.g. photo -> model pixels; the identity for the photo's). */
  partsIn(t: Affine): FaceParts;
  /** The face cut out as a model with this alignment wants it, and the way back. */
  frame(photo: Image8, alignment: FaceAlignment, resolution: number): FramedFace;
}

/**
 * How a face search is followed and stopped: progress in crops read (the bundled model's search takes seconds); a
 * Stop ends it with no faces.
 */
export interface FaceSearchControl {
  signal?: AbortSignal;
  onProgress?(p: FaceSearchProgress): void;
}

/** The faces a model's face finder sees in a photo, best first. */
export interface FacesInPhoto {
  /** For messages ("the photo face finder"). */
  readonly label: string;
  find(photo: Image8, control?: FaceSearchControl): Promise<FaceInPhoto[]>;
  release(): Promise<void>;
}

const moved = (t: Affine, points: readonly Point[]): Point[] => points.map((p) => applyAffine(t, p));

function wrongAlignment(finder: string, alignment: FaceAlignment): FaceInputError {
  return new FaceInputError(
    `the ${finder} cannot frame a face for a model whose card asks for '${alignment}' alignment; the card's face_model and alignment do not go together`,
  );
}

/** face-api's detector and 68 landmarks (photographed faces), framed as FFHQ was. */
export function photoFaces(finder: FaceFinder): FacesInPhoto {
  const label = 'photo face finder';
  return {
    label,
    async find(photo, control = {}) {
      // one detector pass and a landmark pass a face: a second or so, followed as one step
      const faces = await finder.find({ width: photo.width, height: photo.height, channels: 4, data: photo.data });
      control.onProgress?.({ done: 1, total: 1 });
      if (control.signal?.aborted) return [];
      return faces.map((f) => ({
        box: f.box,
        confidence: f.confidence,
        partsIn: (t) => partsFromIbug68(moved(t, f.landmarks)),
        frame(image, alignment, resolution) {
          if (alignment !== 'ffhq') throw wrongAlignment(label, alignment);
          return ffhqAlign(image, f.landmarks, resolution);
        },
      }));
    },
    release: () => finder.release(),
  };
}

/** The bundled model's landmark net searched over the photo (its cartoon faces), framed as its training faces were. */
export function proceduralFaces(
  detector: CropLandmarkDetector & { release?(): Promise<void> },
  meanFace: readonly Point[] | undefined,
): FacesInPhoto {
  const label = 'bundled landmark detector';
  if (!meanFace)
    throw new FaceInputError(
      "the landmark detector's card has no mean_face (run models/landmarks/mean_face.py): it cannot frame faces in larger pictures",
    );
  return {
    label,
    async find(photo, control = {}) {
      const faces = await searchFaces(
        detector,
        { width: photo.width, height: photo.height, channels: 4, data: photo.data },
        meanFace,
        { signal: control.signal, onProgress: control.onProgress },
      );
      return faces.map((f) => ({
        box: f.box,
        confidence: f.confidence,
        partsIn: (t) => partsFromNamed(detector.names, moved(t, f.landmarks)),
        frame(image, alignment, resolution) {
          if (alignment !== 'procedural') throw wrongAlignment(label, alignment);
          return meanFaceAlign(image, f.toPicture, detector.resolution, resolution);
        },
      }));
    },
    release: () => detector.release?.() ?? Promise.resolve(),
  };
}
