/** A position in image pixels of the model's resolution; x is the column. */
export interface Point {
  x: number;
  y: number;
}

export interface HandleTarget {
  handle: Point;
  target: Point;
}

/**
 * How a model wants a photo framed before inversion, from its model.json `alignment`: 'ffhq' is the FFHQ dataset's
 * face alignment (eyes level, fixed scale and place, from 68 landmarks: plugin/faces/ffhqAlign.ts), 'none' the centred
 * square crop (or the selection), 'procedural' the bundled model's own framing (the face's landmarks brought onto
 * where models/faces/render.py puts them on average: plugin/faces/meanFaceAlign.ts). A face model only reconstructs
 * faces framed the way its training set was.
 */
export type FaceAlignment = 'ffhq' | 'procedural' | 'none';
export const FACE_ALIGNMENTS: readonly FaceAlignment[] = ['ffhq', 'procedural', 'none'];

/**
 * Which face finder reads a model's faces (model.json `face_model`): 'photo' is face-api's detector and 68 landmarks
 * for photographed faces (plugin/faces/faceFinder.ts), 'procedural' the landmark net trained on the bundled model's
 * recipe (models/landmarks), which reads only that model's cartoon faces.
 */
export type FaceModelKind = 'photo' | 'procedural';
export const FACE_MODEL_KINDS: readonly FaceModelKind[] = ['photo', 'procedural'];

export type StopReason = 'converged' | 'step-cap' | 'cancelled';

export interface StepReport {
  step: number;
  /** Tracked handle positions after this step's tracking. */
  points: Point[];
  loss: number;
  ms: number;
  /** How the features were computed: on exact windows around the handles, or the whole map (with a mask). */
  path?: FeaturePath;
}

/** How a step computed the feature map: on exact windows around the handles, or the whole map. */
export type FeaturePath = 'window' | 'whole';

/** A mask as hosts hand it over: the flexible region (> 0.5 = may change) at the model's resolution. */
export interface MaskInput {
  width: number;
  height: number;
  data: ArrayLike<number>;
}
