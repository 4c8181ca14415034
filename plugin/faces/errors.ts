import { UserFixableError } from '../engine/core/errors';

/** The face models' files are missing, truncated or not the tfjs layout the converter reads. */
export class FaceModelError extends UserFixableError {
  override name = 'FaceModelError';
}

/** An image the face finder cannot use (empty, wrong buffer size, too large). */
export class FaceInputError extends UserFixableError {
  override name = 'FaceInputError';
}
