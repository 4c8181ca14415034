import { UserFixableError } from '../engine/core/errors';

/** The face models' files are missing, truncated or not the tfjs layout the converter reads. */
export class FaceModelError extends UserFixableError {
  override name = 'FaceModelError';
}

/** An image the face finder cannot use (empty, wrong buffer size, too large). */
export class FaceInputError extends UserFixableError {
  override name = 'FaceInputError';
}

/** The picture has no face to place suggested points on (or the detector's answer is not laid out as one). */
export class NoFaceError extends UserFixableError {
  override name = 'NoFaceError';
}
